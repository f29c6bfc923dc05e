using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using IncidentLedger.GraphQL.Server;

namespace IncidentLedger.GraphQL.Tests.Server;

/// <summary>Subscriptions over graphql-transport-ws and over Server-Sent Events, including resumption and each protocol error.</summary>
public sealed class SubscriptionTransportTests : IAsyncLifetime
{
    private ServerTestHost host = null!;

    public async ValueTask InitializeAsync() => host = await ServerTestHost.StartAsync(ServerTestHost.Resumable(new GraphQLServerOptions { ConnectionInitTimeout = TimeSpan.FromMilliseconds(500) }));

    public async ValueTask DisposeAsync() => await host.DisposeAsync();

    private Uri Ws => new UriBuilder(host.GraphQL) { Scheme = "ws" }.Uri;

    private async Task<ClientWebSocket> ConnectAsync(bool subprotocol = true)
    {
        var socket = new ClientWebSocket();
        if (subprotocol)
        {
            socket.Options.AddSubProtocol("graphql-transport-ws");
        }

        await socket.ConnectAsync(Ws, CancellationToken.None);
        return socket;
    }

    private static Task SendAsync(ClientWebSocket socket, string json) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The next message as JSON, or null when the server closed (then CloseStatus says why).</summary>
    private static async Task<JsonElement?> ReceiveAsync(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = await socket.ReceiveAsync(buffer, timeout.Token);
        return received.MessageType == WebSocketMessageType.Close ? null : JsonDocument.Parse(Encoding.UTF8.GetString(buffer, 0, received.Count)).RootElement.Clone();
    }

    private static async Task InitAsync(ClientWebSocket socket)
    {
        await SendAsync(socket, """{"type":"connection_init"}""");
        Assert.Equal("connection_ack", (await ReceiveAsync(socket))!.Value.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_websocket_subscription_streams_next_messages_then_complete()
    {
        using var socket = await ConnectAsync();
        Assert.Equal("graphql-transport-ws", socket.SubProtocol);
        await InitAsync(socket);
        await SendAsync(socket, """{"type":"ping","payload":{"n":1}}""");
        Assert.Equal("pong", (await ReceiveAsync(socket))!.Value.GetProperty("type").GetString());

        await SendAsync(socket, """{"id":"s1","type":"subscribe","payload":{"query":"subscription { ticks(upTo: 3) }"}}""");
        var ticks = new List<int>();
        while (await ReceiveAsync(socket) is { } message && message.GetProperty("type").GetString() == "next")
        {
            Assert.Equal("s1", message.GetProperty("id").GetString());
            ticks.Add(message.GetProperty("payload").GetProperty("data").GetProperty("ticks").GetInt32());
        }

        Assert.Equal([1, 2, 3], ticks);
    }

    [Fact]
    public async Task A_client_complete_stops_the_stream_and_the_socket_stays_usable()
    {
        using var socket = await ConnectAsync();
        await InitAsync(socket);
        await SendAsync(socket, """{"id":"long","type":"subscribe","payload":{"query":"subscription { ticks(upTo: 1000, everyMs: 20) }"}}""");
        Assert.Equal("next", (await ReceiveAsync(socket))!.Value.GetProperty("type").GetString());
        await SendAsync(socket, """{"id":"long","type":"complete"}""");

        await SendAsync(socket, """{"id":"q","type":"subscribe","payload":{"query":"{ hello }"}}""");
        JsonElement message;
        do
        {
            message = (await ReceiveAsync(socket))!.Value;
        }
        while (message.GetProperty("id").GetString() == "long");
        Assert.Equal("Hello, world!", message.GetProperty("payload").GetProperty("data").GetProperty("hello").GetString());
    }

    [Fact]
    public async Task An_invalid_operation_gets_an_error_message_not_a_closed_socket()
    {
        using var socket = await ConnectAsync();
        await InitAsync(socket);
        await SendAsync(socket, """{"id":"bad","type":"subscribe","payload":{"query":"subscription { nope }"}}""");
        var error = (await ReceiveAsync(socket))!.Value;
        Assert.Equal(("error", "bad"), (error.GetProperty("type").GetString(), error.GetProperty("id").GetString()));
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", error.GetProperty("payload")[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal(WebSocketState.Open, socket.State);
    }

    [Fact]
    public async Task A_close_the_client_starts_is_answered_so_the_handshake_completes()
    {
        using var socket = await ConnectAsync();
        await InitAsync(socket);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", TestContext.Current.CancellationToken);
        Assert.Equal((WebSocketState.Closed, WebSocketCloseStatus.NormalClosure, "bye"), (socket.State, socket.CloseStatus, socket.CloseStatusDescription));
    }

    [Theory]
    [InlineData("subscribe before ack", 4401)]
    [InlineData("second init", 4429)]
    [InlineData("duplicate id", 4409)]
    [InlineData("not json", 4400)]
    [InlineData("unknown type", 4400)]
    [InlineData("no init", 4408)]
    public async Task Protocol_misuse_closes_with_the_protocols_code(string misuse, int code)
    {
        using var socket = await ConnectAsync();
        const string subscribe = """{"id":"x","type":"subscribe","payload":{"query":"subscription { ticks(upTo: 1000, everyMs: 50) }"}}""";
        switch (misuse)
        {
            case "subscribe before ack":
                await SendAsync(socket, subscribe);
                break;
            case "second init":
                await InitAsync(socket);
                await SendAsync(socket, """{"type":"connection_init"}""");
                break;
            case "duplicate id":
                await InitAsync(socket);
                await SendAsync(socket, subscribe);
                await SendAsync(socket, subscribe);
                break;
            case "not json":
                await SendAsync(socket, "{{{");
                break;
            case "unknown type":
                await InitAsync(socket);
                await SendAsync(socket, """{"type":"frobnicate"}""");
                break;
            case "no init":
                break;
        }

        while (await ReceiveAsync(socket) is not null)
        {
        }

        Assert.Equal(code, (int)socket.CloseStatus!.Value);
    }

    [Fact]
    public async Task A_client_without_the_subprotocol_is_turned_away_with_4406()
    {
        using var socket = await ConnectAsync(subprotocol: false);
        Assert.Null(await ReceiveAsync(socket));
        Assert.Equal(4406, (int)socket.CloseStatus!.Value);
    }

    private async Task<List<(string? Id, int Tick)>> ReadSseAsync(string? lastEventId, int take)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, host.GraphQL)
        {
            Content = new StringContent("""{"query":"subscription Ticks($after: Int) { ticks(upTo: 8, after: $after, everyMs: 10) }"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = new List<(string?, int)>();
        string? id = null, kind = null;
        while (events.Count < take && await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                kind = line[7..];
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && kind == "next")
            {
                events.Add((id, JsonDocument.Parse(line[6..]).RootElement.GetProperty("data").GetProperty("ticks").GetInt32()));
            }
            else if (kind == "complete")
            {
                break;
            }
        }

        return events;
    }

    [Fact]
    public async Task An_sse_client_that_reconnects_with_last_event_id_misses_nothing_and_sees_nothing_twice()
    {
        var first = await ReadSseAsync(null, take: 3);   // then the connection drops
        Assert.Equal([("1", 1), ("2", 2), ("3", 3)], first);

        var resumed = await ReadSseAsync(first[^1].Id, take: 100);
        Assert.Equal([4, 5, 6, 7, 8], resumed.Select(e => e.Tick));
    }

    [Fact]
    public async Task An_sse_request_with_a_bad_document_is_a_json_error_before_any_stream()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, host.GraphQL) { Content = new StringContent("""{"query":"subscription { nope }"}""", Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("GRAPHQL_VALIDATION_FAILED", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_sse_GET_may_not_run_a_mutation()
    {
        using var http = new HttpClient();
        var before = host.Count;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.GraphQL, "?query=" + Uri.EscapeDataString("mutation { increment(by: 5) }")));
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("METHOD_NOT_ALLOWED", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, host.Count);
    }

    private static async Task<ClientWebSocket> ConnectToAsync(ServerTestHost other, HttpMessageInvoker? invoker = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("graphql-transport-ws");
        await socket.ConnectAsync(new UriBuilder(other.GraphQL) { Scheme = "ws" }.Uri, invoker, CancellationToken.None);
        return socket;
    }

    private static string? ErrorCode(JsonElement message) =>
        message.GetProperty("type").GetString() == "error" ? message.GetProperty("payload")[0].GetProperty("extensions").GetProperty("code").GetString() : null;

    [Fact]
    public async Task Operations_over_a_websocket_count_against_the_callers_rate()
    {
        await using var limited = await ServerTestHost.StartAsync(new GraphQLServerOptions { RateLimit = new GraphQLRateLimit(2, TimeSpan.FromSeconds(30), 2) });
        using var socket = await ConnectToAsync(limited);
        await InitAsync(socket);
        for (var i = 1; i <= 2; i++)
        {
            await SendAsync(socket, $$$"""{"id":"q{{{i}}}","type":"subscribe","payload":{"query":"{ count }"}}""");
            Assert.Equal("next", (await ReceiveAsync(socket))!.Value.GetProperty("type").GetString());
            Assert.Equal("complete", (await ReceiveAsync(socket))!.Value.GetProperty("type").GetString());
        }

        await SendAsync(socket, """{"id":"q3","type":"subscribe","payload":{"query":"{ count }"}}""");
        var refused = (await ReceiveAsync(socket))!.Value;
        Assert.Equal(("q3", ServerErrorCodes.RateLimited), (refused.GetProperty("id").GetString(), ErrorCode(refused)));
        Assert.Equal(WebSocketState.Open, socket.State);
    }

    [Fact]
    public async Task A_socket_runs_at_most_the_configured_number_of_operations_at_once()
    {
        await using var small = await ServerTestHost.StartAsync(new GraphQLServerOptions { MaxOperationsPerSocket = 1 });
        using var socket = await ConnectToAsync(small);
        await InitAsync(socket);
        await SendAsync(socket, """{"id":"long","type":"subscribe","payload":{"query":"subscription { ticks(upTo: 100000, everyMs: 50) }"}}""");
        Assert.Equal("next", (await ReceiveAsync(socket))!.Value.GetProperty("type").GetString());
        await SendAsync(socket, """{"id":"more","type":"subscribe","payload":{"query":"subscription { ticks(upTo: 3) }"}}""");
        JsonElement message;
        do
        {
            message = (await ReceiveAsync(socket))!.Value;
        }
        while (message.GetProperty("id").GetString() == "long");

        Assert.Equal(("more", ErrorCodes.LimitExceeded), (message.GetProperty("id").GetString(), ErrorCode(message)));
    }

    [Fact]
    public async Task An_id_reused_after_complete_names_the_new_operation_which_complete_stops()
    {
        using var socket = await ConnectAsync();
        await InitAsync(socket);
        const string Long = """{"id":"a","type":"subscribe","payload":{"query":"subscription { ticks(upTo: 100000, everyMs: 10) }"}}""";
        await SendAsync(socket, Long);
        Assert.Equal("next", (await ReceiveAsync(socket))!.Value.GetProperty("type").GetString());
        await SendAsync(socket, """{"id":"a","type":"complete"}""");
        await SendAsync(socket, Long);
        await SendAsync(socket, """{"id":"a","type":"complete"}""");

        // Whatever was in flight arrives first; after that the id is quiet.
        await Task.Delay(300, TestContext.Current.CancellationToken);
        await SendAsync(socket, """{"type":"ping"}""");
        while ((await ReceiveAsync(socket))!.Value.GetProperty("type").GetString() != "pong")
        {
        }

        await Task.Delay(300, TestContext.Current.CancellationToken);
        await SendAsync(socket, """{"type":"ping"}""");
        Assert.Equal("pong", (await ReceiveAsync(socket))!.Value.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_dropped_after_the_send_timeout()
    {
        await using var strict = await ServerTestHost.StartAsync(new GraphQLServerOptions { SendTimeout = TimeSpan.FromMilliseconds(300) });

        // A small receive buffer of our own: left to grow (to 32 MB on some machines), the buffers between us and the
        // server could hold more than a slow machine's server sends in the pause below, and it would never wait on a send.
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var tcp = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = 64 * 1024 };
                try
                {
                    await tcp.ConnectAsync(context.DnsEndPoint, token);
                    return new NetworkStream(tcp, ownsSocket: true);
                }
                catch
                {
                    tcp.Dispose();
                    throw;
                }
            },
        };
        using var invoker = new HttpMessageInvoker(handler);
        using var socket = await ConnectToAsync(strict, invoker);
        await InitAsync(socket);
        await SendAsync(socket, """{"id":"flood","type":"subscribe","payload":{"query":"subscription { ticks(upTo: 100000000, everyMs: 0) }"}}""");

        // Read nothing while the server fills every buffer between us and then waits on a send.
        await Task.Delay(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        // Draining what was buffered ends in the dropped connection, long before a hundred million ticks.
        var buffer = new byte[64 * 1024];
        var received = 0L;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var dropped = false;
        try
        {
            while (received < 50_000_000)
            {
                var result = await socket.ReceiveAsync(buffer, limit.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    dropped = true;
                    break;
                }

                received += result.Count;
            }
        }
        catch (WebSocketException)
        {
            dropped = true;
        }

        Assert.True(dropped, $"still streaming after {received:N0} bytes");
    }
}
