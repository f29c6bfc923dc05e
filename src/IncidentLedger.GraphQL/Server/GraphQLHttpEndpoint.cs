using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using IncidentLedger.GraphQL.Execution;
using IncidentLedger.GraphQL.Language;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Net.Http.Headers;

namespace IncidentLedger.GraphQL.Server;

/// <summary>Extra values of extensions.code for requests the server turns away before execution.</summary>
public static class ServerErrorCodes
{
    public const string BadRequest = "BAD_REQUEST";
    public const string PayloadTooLarge = "PAYLOAD_TOO_LARGE";
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";
    public const string PersistedQueryNotFound = "PERSISTED_QUERY_NOT_FOUND";
    public const string PersistedQueryOnly = "PERSISTED_QUERY_ONLY";
    public const string PersistedQueryHashMismatch = "PERSISTED_QUERY_HASH_MISMATCH";
    public const string RateLimited = "RATE_LIMITED";
}

/// <summary>
/// GraphQL over HTTP (graphql/graphql-over-http): POST with application/json, GET for queries
/// only, responses as application/graphql-response+json (request errors → 400, no data entry) or,
/// for clients that ask for it, application/json (well-formed responses → 200).
/// </summary>
public static partial class GraphQLHttpEndpoint
{
    private const string GraphQLResponseJson = "application/graphql-response+json";
    private const string Json = "application/json";

    /// <summary>
    /// Maps GET and POST on <paramref name="pattern"/> to <paramref name="executor"/>; other methods get 405. A browser
    /// opening the endpoint (GET asking for text/html, no query) gets the GraphiQL IDE unless <see cref="GraphQLServerOptions.Ide"/> is null.
    /// </summary>
    public static IEndpointConventionBuilder MapGraphQL(this IEndpointRouteBuilder endpoints, string pattern, Executor executor, GraphQLServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var settings = options ?? new GraphQLServerOptions();
        var limiter = settings.RateLimit is { } limit ? new GraphQLRateLimiter(limit) : null;
        var logger = endpoints.ServiceProvider.GetService<ILoggerFactory>()?.CreateLogger("IncidentLedger.GraphQL") ?? (ILogger)NullLogger.Instance;
        if (settings.Ide is not null)
        {
            GraphiQLIde.MapAssets(endpoints, pattern);
        }

        return endpoints.Map(pattern, context =>
        {
            if (settings.Ide is not { } ide || !HttpMethods.IsGet(context.Request.Method))
            {
                return HandleLoggedAsync(context, executor, settings, limiter, logger);
            }

            // A GET answers with the IDE or with JSON depending on Accept: caches must key on it.
            context.Response.Headers.Vary = "Accept";
            return GraphiQLIde.IsBrowserRequest(context.Request) ? GraphiQLIde.WritePageAsync(context, ide) : HandleLoggedAsync(context, executor, settings, limiter, logger);
        });
    }

    /// <summary>Runs the request inside an activity and logs its operation name, duration and error codes.</summary>
    private static async Task HandleLoggedAsync(HttpContext context, Executor executor, GraphQLServerOptions options, GraphQLRateLimiter? limiter, ILogger logger)
    {
        using var activity = GraphQLTelemetry.Source.StartActivity("graphql.request", ActivityKind.Server);
        var started = Stopwatch.GetTimestamp();
        var outcome = new RequestOutcome { Activity = activity };
        context.Items[typeof(RequestOutcome)] = outcome;
        await HandleAsync(context, executor, options, limiter);
        outcome.Tag();
        var elapsed = Stopwatch.GetElapsedTime(started);
        GraphQLTelemetry.RequestDuration.Record(
            elapsed.TotalSeconds,
            new("graphql.operation.type", outcome.OperationType ?? "none"),
            new("http.response.status_code", context.Response.StatusCode),
            new("graphql.errors", outcome.ErrorCodes is null ? "false" : "true"));
        LogAnswered(logger, context.Request.Method, outcome.OperationName ?? "(anonymous)", outcome.OperationType ?? "-", context.Response.StatusCode,
            elapsed.TotalMilliseconds, outcome.ErrorCodes ?? "none");
    }

    // Source-generated: checks the level before it formats or allocates anything.
    [LoggerMessage(Level = LogLevel.Information, Message = "GraphQL {Method} {Operation} ({Type}) answered {Status} in {Milliseconds:0.0} ms; error codes: {Codes}")]
    private static partial void LogAnswered(ILogger logger, string method, string operation, string type, int status, double milliseconds, string codes);

    /// <summary>What the log line and the activity say about one request.</summary>
    private sealed class RequestOutcome
    {
        public Activity? Activity { get; init; }

        public string? OperationName { get; set; }

        public string? OperationType { get; set; }

        public string? ErrorCodes { get; set; }

        /// <summary>Puts what is known on the request's activity; called before the response is written, so a caller that has the response can rely on it.</summary>
        public void Tag()
        {
            Activity?.SetTag("graphql.operation.name", OperationName);
            Activity?.SetTag("graphql.operation.type", OperationType);
            Activity?.SetTag("graphql.error.codes", ErrorCodes);
        }
    }

    /// <summary>Which media type the response uses, from the Accept header; null when none the server offers is acceptable.</summary>
    public static string? Negotiate(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var accept = request.Headers.Accept;
        if (accept.Count == 0 || string.IsNullOrWhiteSpace(accept.ToString()))
        {
            return Json; // legacy clients send no Accept: the specification says assume application/json
        }

        if (!MediaTypeHeaderValue.TryParseList(accept, out var ranges))
        {
            return null;
        }

        string? best = null;
        double bestQuality = 0;
        foreach (var range in ranges)
        {
            var quality = range.Quality ?? 1.0;
            string? offered = range.MediaType.Value?.ToLowerInvariant() switch
            {
                GraphQLResponseJson => GraphQLResponseJson,
                Json => Json,
                "application/*" or "*/*" => Json,
                _ => null,
            };
            if (offered is null || quality <= 0)
            {
                continue;
            }

            if (quality > bestQuality || (quality == bestQuality && offered == GraphQLResponseJson))
            {
                (best, bestQuality) = (offered, quality);
            }
        }

        return best;
    }

    private static async Task HandleAsync(HttpContext context, Executor executor, GraphQLServerOptions options, GraphQLRateLimiter? limiter)
    {
        var method = context.Request.Method;
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsPost(method))
        {
            context.Response.Headers.Allow = "GET, POST";
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        if (context.WebSockets.IsWebSocketRequest)
        {
            await GraphQLWebSocketSession.AcceptAsync(context, executor, options, limiter);
            return;
        }

        // Errors that end a stream before it starts are answered as plain JSON.
        var mediaType = IsEventStream(context.Request) ? Json : Negotiate(context.Request);
        if (mediaType is null)
        {
            context.Response.StatusCode = StatusCodes.Status406NotAcceptable;
            await context.Response.WriteAsync($"This endpoint answers with {GraphQLResponseJson} or {Json}.", context.RequestAborted);
            return;
        }

        if (limiter?.TryAcquire(context) is (false, var retryAfter))
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await WriteAsync(context, mediaType, ExecutionResult.RequestError(new GraphQLError(
                $"Too many requests from {GraphQLRateLimiter.CallerOf(context)}: try again in {seconds} s.", code: ServerErrorCodes.RateLimited)), StatusCodes.Status429TooManyRequests);
            return;
        }

        var (request, problem, status) = HttpMethods.IsPost(method) ? await ReadPostAsync(context, options) : ReadGet(context);
        if (problem is not null)
        {
            await WriteAsync(context, mediaType, ExecutionResult.RequestError(problem), status);
            return;
        }

        if (IsEventStream(context.Request))
        {
            await GraphQLServerSentEvents.RunAsync(context, executor, options, request!);
            return;
        }

        var prepared = Prepare(context, executor, options, request!);
        if (prepared.Error is { } failed)
        {
            await WriteAsync(context, mediaType, failed, null);
            return;
        }

        var operation = prepared.Operation!;
        if (context.Items[typeof(RequestOutcome)] is RequestOutcome outcome)
        {
            outcome.OperationName = operation.Name?.Value ?? request!.OperationName;
            outcome.OperationType = operation.Operation.ToString().ToLowerInvariant();
        }

        if (RefusedOnGet(context, operation.Operation, streaming: false) is { } refused)
        {
            await WriteAsync(context, mediaType, refused, StatusCodes.Status405MethodNotAllowed);
            return;
        }

        if (operation.Operation == OperationType.Subscription)
        {
            await WriteAsync(context, mediaType, ExecutionResult.RequestError(new GraphQLError(
                "Subscriptions are served over WebSocket (graphql-transport-ws) or Server-Sent Events (Accept: text/event-stream), not as a single HTTP response.", code: ServerErrorCodes.BadRequest)), null);
            return;
        }

        await WriteAsync(context, mediaType, await executor.ExecuteAsync(prepared.Request!), null);
    }

    /// <summary>
    /// GET must not change anything (and a cross-site EventSource must not be able to run a mutation): on GET only
    /// queries run, and subscriptions when they stream (SSE). Sets Allow and returns the error to answer with 405.
    /// </summary>
    internal static ExecutionResult? RefusedOnGet(HttpContext context, OperationType operation, bool streaming)
    {
        if (!HttpMethods.IsGet(context.Request.Method) || operation == OperationType.Query || (streaming && operation == OperationType.Subscription))
        {
            return null;
        }

        context.Response.Headers.Allow = "POST";
        return ExecutionResult.RequestError(new GraphQLError(
            $"A {operation.ToString().ToLowerInvariant()} cannot be sent with GET, which must not change anything: use POST.", code: ServerErrorCodes.MethodNotAllowed));
    }

    /// <summary>What a transport needs to run one request: the execution request and its selected operation, or the error that ends it.</summary>
    internal sealed record PreparedRequest(ExecutionRequest? Request, OperationDefinitionNode? Operation, ExecutionResult? Error);

    /// <summary>Resolves persisted ids, parses and validates (cached), and selects the operation: shared by HTTP, SSE and WebSocket.</summary>
    internal static PreparedRequest Prepare(HttpContext context, Executor executor, GraphQLServerOptions options, GraphQLHttpRequest request, JsonElement? variables = null)
    {
        var resolved = Resolve(request, options);
        if (resolved.Error is { } unresolved)
        {
            return new(null, null, ExecutionResult.RequestError(unresolved));
        }

        var executionOptions = options.Execution(context);
        if (options.IntrospectionForAuthenticatedOnly && context.User.Identity?.IsAuthenticated != true)
        {
            executionOptions = executionOptions with { AllowIntrospection = false };
        }

        var cached = executor.Cache.GetOrAdd(resolved.Text!, executionOptions.Parser, executor.Schema);
        if (cached.Document is null)
        {
            return new(null, null, ExecutionResult.RequestError(cached.Errors));
        }

        var operation = Executor.SelectOperation(cached.Document, request.OperationName, out var notFound);
        if (operation is null)
        {
            return new(null, null, ExecutionResult.RequestError(notFound ?? new GraphQLError("No operation to run.", code: ErrorCodes.OperationNotFound)));
        }

        return new(new ExecutionRequest
        {
            Document = cached.Document,
            OperationName = request.OperationName,
            VariablesJson = variables ?? request.Variables,
            UserContext = context.User,
            Services = context.RequestServices,
            CancellationToken = context.RequestAborted,
            Options = executionOptions,
        }, operation, null);
    }

    private static bool IsEventStream(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase);

    private static async Task<(GraphQLHttpRequest? Request, GraphQLError? Problem, int? Status)> ReadPostAsync(HttpContext context, GraphQLServerOptions options)
    {
        var contentType = context.Request.ContentType;
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var parsed) || !parsed.MediaType.Equals(Json, StringComparison.OrdinalIgnoreCase))
        {
            return (null, Bad($"A POST must carry a JSON body with Content-Type: {Json}{(contentType is null ? "" : $", not {contentType}")}."), StatusCodes.Status415UnsupportedMediaType);
        }

        if (parsed.Charset.HasValue && !parsed.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Bad($"Requests are UTF-8; charset {parsed.Charset} is not supported."), StatusCodes.Status415UnsupportedMediaType);
        }

        if (context.Request.ContentLength > options.MaxRequestBytes)
        {
            return (null, TooLarge(options), StatusCodes.Status413PayloadTooLarge);
        }

        // The body is read from the request's pipe and parsed where it lies, without copying it into a buffer of our own.
        var reader = context.Request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(context.RequestAborted);
            var body = read.Buffer;
            if (body.Length > options.MaxRequestBytes)
            {
                reader.AdvanceTo(body.End);
                return (null, TooLarge(options), StatusCodes.Status413PayloadTooLarge);
            }

            if (!read.IsCompleted)
            {
                reader.AdvanceTo(body.Start, body.End);
                continue;
            }

            try
            {
                return Parse(body);
            }
            finally
            {
                reader.AdvanceTo(body.End);
            }
        }
    }

    private static (GraphQLHttpRequest? Request, GraphQLError? Problem, int? Status) Parse(ReadOnlySequence<byte> body)
    {
        // A body that is not JSON at all is not a GraphQL-over-HTTP request under either media type: 400.
        if (body.IsEmpty)
        {
            return (null, Bad("The request body is empty: send a JSON object with a \"query\"."), StatusCodes.Status400BadRequest);
        }

        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
            var problem = GraphQLHttpRequest.TryRead(document.RootElement, out var request);
            return (request, problem is null ? null : Bad(problem), null);
        }
        catch (JsonException e)
        {
            return (null, Bad($"The request body is not valid JSON: {e.Message}"), StatusCodes.Status400BadRequest);
        }
    }

    private static (GraphQLHttpRequest? Request, GraphQLError? Problem, int? Status) ReadGet(HttpContext context)
    {
        var problem = GraphQLHttpRequest.TryRead(context.Request.Query, out var request);
        return (request, problem is null ? null : Bad(problem), null);
    }

    private static GraphQLError Bad(string message) => new(message, code: ServerErrorCodes.BadRequest);

    private static GraphQLError TooLarge(GraphQLServerOptions options) =>
        new($"The request body is larger than {options.MaxRequestBytes} bytes.", code: ServerErrorCodes.PayloadTooLarge);

    private sealed record Resolved(string? Text, GraphQLError? Error);

    /// <summary>The document to run: the request's own, or a persisted one by id.</summary>
    private static Resolved Resolve(GraphQLHttpRequest request, GraphQLServerOptions options)
    {
        if (request.DocumentId is { } id)
        {
            if (options.PersistedOperations is null)
            {
                return new(null, new GraphQLError("This server has no persisted operations.", code: ServerErrorCodes.PersistedQueryNotFound));
            }

            if (request.Query is { } text)
            {
                return DocumentCache.Hash(text).Equals(id, StringComparison.OrdinalIgnoreCase)
                    ? options.PersistedOperationsOnly && !options.PersistedOperations.TryGet(id, out _)
                        ? new(null, new GraphQLError("Only persisted operations run here, and this one is not registered.", code: ServerErrorCodes.PersistedQueryOnly))
                        : new(text, null)
                    : new(null, new GraphQLError($"The query's SHA-256 is not {id}.", code: ServerErrorCodes.PersistedQueryHashMismatch));
            }

            return options.PersistedOperations.TryGet(id, out var document)
                ? new(document, null)
                : new(null, new GraphQLError($"No persisted operation has id {id}.", code: ServerErrorCodes.PersistedQueryNotFound));
        }

        if (options.PersistedOperationsOnly)
        {
            return new(null, new GraphQLError("Only persisted operations run here: send the operation's id (or extensions.persistedQuery.sha256Hash) instead of a document.", code: ServerErrorCodes.PersistedQueryOnly));
        }

        return request.Query is null
            ? new(null, Bad("The request has no \"query\"."))
            : new(request.Query, null);
    }

    /// <summary>Writes a result: request errors are 400 under application/graphql-response+json and 200 under application/json.</summary>
    private static async Task WriteAsync(HttpContext context, string mediaType, ExecutionResult result, int? status)
    {
        if (context.Items[typeof(RequestOutcome)] is RequestOutcome outcome)
        {
            if (result.Errors is { Count: > 0 } errors)
            {
                outcome.ErrorCodes = string.Join(",", errors.Select(e => e.Code ?? "UNSPECIFIED").Distinct());
            }

            outcome.Tag();
        }

        context.Response.StatusCode = status ?? (result.IsRequestError && mediaType == GraphQLResponseJson ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
        context.Response.ContentType = mediaType + "; charset=utf-8";
        var json = result.ToUtf8Json();
        context.Response.ContentLength = json.Length;
        await context.Response.Body.WriteAsync(json, context.RequestAborted);
    }
}
