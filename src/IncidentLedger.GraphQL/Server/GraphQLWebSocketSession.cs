using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using IncidentLedger.GraphQL.Execution;
using Microsoft.AspNetCore.Http;

namespace IncidentLedger.GraphQL.Server;

/// <summary>
/// One WebSocket speaking graphql-transport-ws (the protocol of the graphql-ws library):
/// connection_init/ack within a timeout, ping/pong, subscribe → next* → complete (or error),
/// client-side complete to stop, and the protocol's close codes for every misuse.
/// </summary>
internal sealed class GraphQLWebSocketSession(WebSocket socket, HttpContext context, Executor executor, GraphQLServerOptions options) : IDisposable
{
    public const string Protocol = "graphql-transport-ws";
    private const int MaxMessageBytes = 1024 * 1024;

    private readonly SemaphoreSlim sending = new(1, 1);
    private readonly ConcurrentDictionary<string, CancellationTokenSource> operations = new();
    private readonly ConcurrentBag<Task> streams = [];
    private readonly CancellationTokenSource closing = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
    private int initialised;
    private volatile bool acknowledged;

    public static async Task AcceptAsync(HttpContext context, Executor executor, GraphQLServerOptions options)
    {
        if (!context.WebSockets.WebSocketRequestedProtocols.Contains(Protocol))
        {
            using var refused = await context.WebSockets.AcceptWebSocketAsync();
            await refused.CloseOutputAsync((WebSocketCloseStatus)4406, "Subprotocol not acceptable", CancellationToken.None);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(Protocol);
        using var session = new GraphQLWebSocketSession(socket, context, executor, options);
        await session.RunAsync();
    }

    public void Dispose()
    {
        sending.Dispose();
        closing.Dispose();
    }

    private async Task RunAsync()
    {
        _ = CloseUnlessInitialisedAsync();
        try
        {
            // After the server's close frame (CloseSent), keep reading until the client's answers.
            while (!closing.IsCancellationRequested && socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var message = await ReceiveAsync(closing.Token);
                if (message is null)
                {
                    break;
                }

                if (socket.State == WebSocketState.Open)
                {
                    await HandleAsync(message);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The client went away, or the session was closed on purpose.
        }
        finally
        {
            foreach (var operation in operations.Values)
            {
                await operation.CancelAsync();
            }

            await closing.CancelAsync();
            await Task.WhenAll(streams); // each ends on its cancellation; none outlives the session
        }
    }

    private async Task CloseUnlessInitialisedAsync()
    {
        try
        {
            await Task.Delay(options.ConnectionInitTimeout, closing.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (Volatile.Read(ref initialised) == 0)
        {
            await CloseAsync(4408, "Connection initialisation timeout");
        }
    }

    /// <summary>One whole text message, or null when the client closed.</summary>
    private async Task<string?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        using var message = new MemoryStream();
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                await AnswerCloseAsync(received.CloseStatus, received.CloseStatusDescription);
                return null;
            }

            if (message.Length + received.Count > MaxMessageBytes)
            {
                await CloseAsync(4400, "Message too large");
                return null;
            }

            message.Write(buffer, 0, received.Count);
            if (received.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
            }
        }
    }

    private async Task HandleAsync(string text)
    {
        JsonElement message;
        try
        {
            using var document = JsonDocument.Parse(text);
            message = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            await CloseAsync(4400, "Invalid message received: not JSON");
            return;
        }

        var type = message.ValueKind == JsonValueKind.Object && message.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        JsonElement? payload = message.ValueKind == JsonValueKind.Object && message.TryGetProperty("payload", out var p) && p.ValueKind != JsonValueKind.Null ? p : null;
        switch (type)
        {
            case "connection_init":
                if (Interlocked.Exchange(ref initialised, 1) == 1)
                {
                    await CloseAsync(4429, "Too many initialisation requests");
                    return;
                }

                if (payload is { ValueKind: not JsonValueKind.Object })
                {
                    await CloseAsync(4400, "Invalid message received: connection_init payload must be an object");
                    return;
                }

                if (options.OnConnect is { } onConnect && !await onConnect(context, payload))
                {
                    await CloseAsync(4403, "Forbidden");
                    return;
                }

                acknowledged = true;
                await SendAsync(new { type = "connection_ack" });
                break;
            case "ping":
                await SendAsync(payload is { } ping ? new { type = "pong", payload = ping } : new { type = "pong" });
                break;
            case "pong":
                break;
            case "subscribe":
                await SubscribeAsync(message, payload);
                break;
            case "complete":
                if (IdOf(message) is { } done && operations.TryRemove(done, out var running))
                {
                    await running.CancelAsync();
                }

                break;
            default:
                await CloseAsync(4400, type is null ? "Invalid message received: no type" : $"Invalid message received: unknown type {type}");
                break;
        }
    }

    private static string? IdOf(JsonElement message) =>
        message.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } value ? value : null;

    private async Task SubscribeAsync(JsonElement message, JsonElement? payload)
    {
        if (!acknowledged)
        {
            await CloseAsync(4401, "Unauthorized");
            return;
        }

        if (IdOf(message) is not { } id || payload is not { ValueKind: JsonValueKind.Object } body)
        {
            await CloseAsync(4400, "Invalid message received: subscribe needs an id and a payload object");
            return;
        }

        var problem = GraphQLHttpRequest.TryRead(body, out var request);
        if (problem is not null)
        {
            await CloseAsync(4400, $"Invalid message received: {problem}");
            return;
        }

        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(closing.Token);
        if (!operations.TryAdd(id, cancellation))
        {
            await CloseAsync(4409, $"Subscriber for {id} already exists");
            return;
        }

        var prepared = GraphQLHttpEndpoint.Prepare(context, executor, options, request!);
        if (prepared.Error is { } failed)
        {
            operations.TryRemove(id, out _);
            await SendAsync(new { id, type = "error", payload = failed.Errors });
            return;
        }

        streams.Add(Task.Run(() => StreamAsync(id, prepared.Request!, cancellation)));
    }

    private async Task StreamAsync(string id, ExecutionRequest request, CancellationTokenSource cancellation)
    {
        try
        {
            await foreach (var result in executor.SubscribeAsync(request, cancellation.Token))
            {
                if (result.IsRequestError)
                {
                    await SendAsync(new { id, type = "error", payload = result.Errors });
                    return;
                }

                await SendAsync(new { id, type = "next", payload = result });
            }

            if (!cancellation.IsCancellationRequested)
            {
                await SendAsync(new { id, type = "complete" });
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Completed by the client, or the socket is gone.
        }
        finally
        {
            operations.TryRemove(id, out _);
            cancellation.Dispose();
        }
    }

    private async Task SendAsync(object message)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, ExecutionResult.ResponseJson);
        await sending.WaitAsync(CancellationToken.None);
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            }
        }
        finally
        {
            sending.Release();
        }
    }

    /// <summary>Completes a close the client started by echoing its status (RFC 6455 §5.5.1); without it the client sees 1006.</summary>
    private async Task AnswerCloseAsync(WebSocketCloseStatus? status, string? description)
    {
        await sending.WaitAsync(CancellationToken.None);
        try
        {
            if (socket.State == WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(status ?? WebSocketCloseStatus.NormalClosure, description, CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
            // Already gone.
        }
        finally
        {
            sending.Release();
        }
    }

    private async Task CloseAsync(int code, string reason)
    {
        await sending.WaitAsync(CancellationToken.None);
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
            // Already gone.
        }
        finally
        {
            sending.Release();
        }

        // Stop every operation now; give the client a moment to answer the close before the socket is dropped.
        foreach (var operation in operations.Values)
        {
            await operation.CancelAsync();
        }

        closing.CancelAfter(TimeSpan.FromSeconds(2));
    }
}
