using System.Text;
using System.Text.Json;
using IncidentLedger.GraphQL.Execution;
using Microsoft.AspNetCore.Http;

namespace IncidentLedger.GraphQL.Server;

/// <summary>
/// GraphQL over Server-Sent Events, distinct-connections mode (graphql-sse): one request, one stream of
/// "next" events, then "complete". Each event carries an id when the server can name one; a client
/// that reconnects with Last-Event-ID resumes after it (see <see cref="GraphQLServerOptions.ResumeVariable"/>).
/// </summary>
internal static class GraphQLServerSentEvents
{
    public static async Task RunAsync(HttpContext context, Executor executor, GraphQLServerOptions options, GraphQLHttpRequest request)
    {
        var prepared = GraphQLHttpEndpoint.Prepare(context, executor, options, request, WithResume(context, options, request.Variables));
        if (prepared.Error is { } failed)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, failed);
            return;
        }

        if (GraphQLHttpEndpoint.RefusedOnGet(context, prepared.Operation!.Operation, streaming: true) is { } refused)
        {
            await RefuseAsync(context, StatusCodes.Status405MethodNotAllowed, refused);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        await context.Response.Body.FlushAsync(context.RequestAborted);
        try
        {
            await foreach (var result in executor.SubscribeAsync(prepared.Request!, context.RequestAborted))
            {
                var id = options.EventId?.Invoke(result);
                var frame = new StringBuilder("event: next\n");
                if (id is not null)
                {
                    frame.Append("id: ").Append(id).Append('\n');
                }

                frame.Append("data: ").Append(result.ToJson()).Append("\n\n");
                await context.Response.WriteAsync(frame.ToString(), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }

            await context.Response.WriteAsync("event: complete\ndata:\n\n", context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nothing more to say.
        }
    }

    /// <summary>Before the stream starts, a refusal is an ordinary JSON response.</summary>
    private static async Task RefuseAsync(HttpContext context, int status, ExecutionResult result)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(result.ToJson(), context.RequestAborted);
    }

    /// <summary>The request's variables with the resume variable set from Last-Event-ID, when both are present.</summary>
    internal static JsonElement? WithResume(HttpContext context, GraphQLServerOptions options, JsonElement? variables)
    {
        var lastEventId = context.Request.Headers["Last-Event-ID"].ToString();
        if (options.ResumeVariable is null || string.IsNullOrEmpty(lastEventId))
        {
            return variables;
        }

        var merged = variables is { } v ? JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(v.GetRawText())! : [];
        merged[options.ResumeVariable] = long.TryParse(lastEventId, out var number) ? JsonSerializer.SerializeToElement(number) : JsonSerializer.SerializeToElement(lastEventId);
        return JsonSerializer.SerializeToElement(merged);
    }
}
