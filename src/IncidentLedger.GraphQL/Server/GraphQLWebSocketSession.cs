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
internal sealed class GraphQLWebSocketSession(WebSocket socket, HttpContext context, Executor executor, GraphQLServerOptions options, GraphQLRateLimiter? limiter) : IDisposable
{
    public const string Protocol = "graphql-transport-ws";
    private const int MaxMessageBytes = 1024 * 1024;

    private readonly SemaphoreSlim sending = new(1, 1);
    private readonly ConcurrentDictionary<string, CancellationTokenSource> operations = new();
    private readonly ConcurrentDictionary<Task, byte> streams = new();
    private readonly CancellationTokenSource closing = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
    private int initialised;
    private volatile bool acknowledged;

    public static async Task AcceptAsync(HttpContext context, Executor executor, GraphQLServerOptions options, GraphQLRateLimiter? limiter)
    {
        if (!context.WebSockets.WebSocketRequestedProtocols.Contains(Protocol))
        {
            using var refused = await context.WebSockets.AcceptWebSocketAsync();
            await refused.CloseOutputAsync((WebSocketCloseStatus)4406, "Subprotocol not acceptable", CancellationToken.None);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(Protocol);
        using var session = new GraphQLWebSocketSession(socket, context, executor, options, limiter);
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
                await CancelQuietlyAsync(operation);
            }

            await closing.CancelAsync();
            await Task.WhenAll(streams.Keys); // each ends on its cancellation; none outlives the session
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
                    await CancelQuietlyAsync(running);
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

        if (operations.ContainsKey(id))
        {
            await CloseAsync(4409, $"Subscriber for {id} already exists");
            return;
        }

        // Every operation counts against the caller's rate, as an HTTP request would.
        if (limiter?.TryAcquire(context) is (false, var retryAfter))
        {
            await SendAsync(new { id, type = "error", payload = new[] { new GraphQLError(
                $"Too many requests from {GraphQLRateLimiter.CallerOf(context)}: try again in {Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))} s.", code: ServerErrorCodes.RateLimited) } });
            return;
        }

        if (operations.Count >= options.MaxOperationsPerSocket)
        {
            await SendAsync(new { id, type = "error", payload = new[] { new GraphQLError(
                $"At most {options.MaxOperationsPerSocket} operations may run at once on one connection: complete one first.", code: ErrorCodes.LimitExceeded) } });
            return;
        }

        var prepared = GraphQLHttpEndpoint.Prepare(context, executor, options, request!);
        if (prepared.Error is { } failed)
        {
            await SendAsync(new { id, type = "error", payload = failed.Errors });
            return;
        }

        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(closing.Token);
        if (!operations.TryAdd(id, cancellation))
        {
            cancellation.Dispose();
            await CloseAsync(4409, $"Subscriber for {id} already exists");
            return;
        }

        var stream = Task.Run(() => StreamAsync(id, prepared.Request!, cancellation));
        streams[stream] = 0;
        _ = stream.ContinueWith(done => streams.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Stops an operation whose stream may already have ended (and disposed its source).</summary>
    private static async Task CancelQuietlyAsync(CancellationTokenSource operation)
    {
        try
        {
            await operation.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // The stream finished on its own meanwhile.
        }
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
            // Only this operation's entry: the client may already have reused the id for a new one.
            operations.TryRemove(KeyValuePair.Create(id, cancellation));
            cancellation.Dispose();
        }
    }

    /// <summary>
    /// Sends one message. A client that stops reading does not hold the session (and what its operations hold, such
    /// as database connections) for ever: a send that takes longer than <see cref="GraphQLServerOptions.SendTimeout"/>
    /// aborts the socket and ends the session.
    /// </summary>
    private async Task SendAsync(object message)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, ExecutionResult.ResponseJson);
        await sending.WaitAsync(CancellationToken.None);
        using var timeout = new CancellationTokenSource(options.SendTimeout);
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            socket.Abort();
            await closing.CancelAsync();
            throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, $"The client read nothing for {options.SendTimeout.TotalSeconds:0} s; the connection was dropped.");
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
            await CancelQuietlyAsync(operation);
        }

        closing.CancelAfter(TimeSpan.FromSeconds(2));
    }
}
