using System.Text.Json;
using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Execution;

/// <summary>Per-request limits and switches.</summary>
public sealed record ExecutionOptions
{
    public static ExecutionOptions Default { get; } = new();

    /// <summary>Deepest allowed field nesting of an operation (fragments expanded); null for no limit.</summary>
    public int? MaxDepth { get; init; } = 15;

    /// <summary>Highest allowed estimated cost of an operation; null for no limit.</summary>
    public int? MaxCost { get; init; }

    /// <summary>Whether __schema and __type may be queried by this caller.</summary>
    public bool AllowIntrospection { get; init; } = true;

    /// <summary>Time allowed for execution; null for none.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Document size, token and nesting limits of the parser.</summary>
    public ParserOptions Parser { get; init; } = ParserOptions.Default;

    /// <summary>When true, errors thrown by resolvers (other than <see cref="GraphQLException"/>) show their message; otherwise a generic one.</summary>
    public bool ExposeExceptionMessages { get; init; }

    /// <summary>Assumed list size for a paged field when no paging argument is given, for the cost estimate.</summary>
    public int DefaultListSize { get; init; } = 10;
}

/// <summary>One GraphQL request: the document (text or pre-parsed), operation name, variables and caller context.</summary>
public sealed record ExecutionRequest
{
    /// <summary>The document text; ignored when <see cref="Document"/> is set.</summary>
    public string? Query { get; init; }

    /// <summary>A parsed document that has already passed validation for this schema.</summary>
    public DocumentNode? Document { get; init; }

    public string? OperationName { get; init; }

    /// <summary>Variable values as a JSON object (from the HTTP body).</summary>
    public JsonElement? VariablesJson { get; init; }

    /// <summary>Variable values as CLR values (JSON-shaped: dictionaries, lists, strings, numbers, booleans).</summary>
    public IReadOnlyDictionary<string, object?>? Variables { get; init; }

    /// <summary>The caller's context, e.g. a ClaimsPrincipal; available to resolvers as <see cref="IResolveContext.UserContext"/>.</summary>
    public object? UserContext { get; init; }

    /// <summary>Root value passed to root-level resolvers as their parent.</summary>
    public object? RootValue { get; init; }

    public IServiceProvider? Services { get; init; }

    public CancellationToken CancellationToken { get; init; }

    public ExecutionOptions Options { get; init; } = ExecutionOptions.Default;
}

/// <summary>
/// A response: data, errors and extensions. <see cref="IsRequestError"/> is true when the request failed before
/// execution (parse, validation, operation selection, variable coercion, limits), in which case there is no data entry.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(ExecutionResultJsonConverter))]
public sealed class ExecutionResult
{
    public ExecutionResult(object? data, IReadOnlyList<GraphQLError>? errors, bool hasData = true)
    {
        Data = data;
        Errors = errors is { Count: > 0 } ? errors : null;
        HasData = hasData;
    }

    /// <summary>The data entry: a <see cref="ResultMap"/> or null.</summary>
    public object? Data { get; }

    /// <summary>True when the response has a data entry (execution started).</summary>
    public bool HasData { get; }

    public IReadOnlyList<GraphQLError>? Errors { get; }

    public Dictionary<string, object?>? Extensions { get; set; }

    public bool IsRequestError => !HasData;

    public static ExecutionResult RequestError(IReadOnlyList<GraphQLError> errors) => new(null, errors, hasData: false);

    public static ExecutionResult RequestError(GraphQLError error) => new(null, [error], hasData: false);

    /// <summary>The response as JSON text.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ResponseJson);

    /// <summary>The response as UTF-8 JSON bytes.</summary>
    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, ResponseJson);

    /// <summary>
    /// How responses are written: only what JSON requires is escaped (a "+" or "&lt;" stays as it is), because a
    /// response is a JSON body, never embedded in HTML.
    /// </summary>
    internal static JsonSerializerOptions ResponseJson { get; } = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
