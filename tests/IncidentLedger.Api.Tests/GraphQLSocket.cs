using System.Net.WebSockets;
using System.Threading.Channels;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;

namespace IncidentLedger.Api.Tests;

/// <summary>A graphql-transport-ws client over the test server: connects with a bearer token, subscribes, and reads what each subscription delivers.</summary>
public sealed class GraphQLSocket : IAsyncDisposable
{
    private readonly WebSocket socket;
    private readonly Dictionary<string, Queue<JsonElement>> pending = [];
    private int nextId;

    private readonly Channel<JsonElement> received = Channel.CreateUnbounded<JsonElement>();
    private readonly Task reading;

    // One reader for the socket's life: a WebSocket whose receive is cancelled is aborted, so timeouts apply to the channel instead.
    private GraphQLSocket(WebSocket socket)
    {
        this.socket = socket;
        reading = Task.Run(ReadAllAsync);
    }

    /// <summary>Opens a socket on the test server and completes the connection_init handshake (with the token, when given).</summary>
    public static async Task<GraphQLSocket> ConnectAsync(TestServer server, string? token)
    {
        ArgumentNullException.ThrowIfNull(server);
        var client = server.CreateWebSocketClient();
        client.SubProtocols.Add("graphql-transport-ws");
        return await HandshakeAsync(await client.ConnectAsync(new Uri(server.BaseAddress, "graphql"), TestContext.Current.CancellationToken), token);
    }

    /// <summary>Opens a socket to a listening server (ws:// on its address) and completes the handshake.</summary>
    public static async Task<GraphQLSocket> ConnectAsync(Uri baseAddress, string? token)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        var client = new ClientWebSocket();
        client.Options.AddSubProtocol("graphql-transport-ws");
        await client.ConnectAsync(new UriBuilder(new Uri(baseAddress, "graphql")) { Scheme = "ws" }.Uri, TestContext.Current.CancellationToken);
        return await HandshakeAsync(client, token);
    }

    private static async Task<GraphQLSocket> HandshakeAsync(WebSocket webSocket, string? token)
    {
        var socket = new GraphQLSocket(webSocket);
        await socket.SendAsync(token is null ? new { type = "connection_init" } : new { type = "connection_init", payload = new { Authorization = "Bearer " + token } });
        var ack = await socket.ReceiveAsync(TimeSpan.FromSeconds(10)) ?? throw new InvalidOperationException("The server did not answer connection_init.");
        return ack.GetProperty("type").GetString() == "connection_ack" ? socket : throw new InvalidOperationException($"connection_init was answered with {ack}.");
    }

    /// <summary>Starts a subscription; returns its id.</summary>
    public async Task<string> SubscribeAsync(string query, object? variables = null)
    {
        var id = (++nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        pending[id] = new Queue<JsonElement>();
        await SendAsync(new { id, type = "subscribe", payload = new { query, variables } });
        return id;
    }

    /// <summary>The next message (next, error or complete) of a subscription, or null when none arrives within <paramref name="timeout"/>.</summary>
    public async Task<JsonElement?> NextAsync(string id, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!pending[id].TryPeek(out _))
        {
            if (await ReceiveAsync(deadline.Token) is not { } message)
            {
                return null;
            }

            if (message.TryGetProperty("id", out var of) && pending.TryGetValue(of.GetString()!, out var queue))
            {
                queue.Enqueue(message);
            }
        }

        return pending[id].Dequeue();
    }

    /// <summary>The payloads of a subscription's next messages until <paramref name="until"/> holds for one, or none arrives within <paramref name="idle"/>.</summary>
    public async Task<IReadOnlyList<JsonElement>> CollectAsync(string id, TimeSpan idle, Func<JsonElement, bool>? until = null)
    {
        var payloads = new List<JsonElement>();
        while (await NextAsync(id, idle) is { } message)
        {
            if (message.GetProperty("type").GetString() != "next")
            {
                throw new InvalidOperationException($"Subscription {id} answered {message}.");
            }

            var payload = message.GetProperty("payload");
            payloads.Add(payload);
            if (until?.Invoke(payload) == true)
            {
                break;
            }
        }

        return payloads;
    }

    public async ValueTask DisposeAsync()
    {
        if (socket.State == WebSocketState.Open)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        }

        await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(5)));
        socket.Dispose();
    }

    private Task SendAsync(object message) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, TestContext.Current.CancellationToken);

    private async Task<JsonElement?> ReceiveAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        return await ReceiveAsync(deadline.Token);
    }

    private async Task<JsonElement?> ReceiveAsync(CancellationToken deadline)
    {
        try
        {
            return await received.Reader.ReadAsync(deadline);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return null;
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    private async Task ReadAllAsync()
    {
        var buffer = new byte[64 * 1024];
        using var frame = new MemoryStream();
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                frame.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    received.Writer.TryWrite(JsonDocument.Parse(frame.ToArray()).RootElement.Clone());
                    frame.SetLength(0);
                }
            }
        }
        catch (WebSocketException)
        {
            // The server or the test closed the socket.
        }
        finally
        {
            received.Writer.TryComplete();
        }
    }
}
