using System.Text.Json.Serialization;

namespace IncidentLedger.GraphQL;

/// <summary>A line and column (both 1-based) in a GraphQL document.</summary>
public readonly record struct SourceLocation([property: JsonPropertyName("line")] int Line, [property: JsonPropertyName("column")] int Column);

/// <summary>One error of a GraphQL response: message, locations, path and extensions, in spec order.</summary>
public sealed class GraphQLError
{
    public GraphQLError(string message, IReadOnlyList<SourceLocation>? locations = null, IReadOnlyList<object>? path = null, string? code = null)
    {
        Message = message;
        Locations = locations is { Count: > 0 } ? locations : null;
        Path = path;
        if (code is not null)
        {
            Extensions = new Dictionary<string, object?> { ["code"] = code };
        }
    }

    [JsonPropertyName("message")]
    public string Message { get; }

    [JsonPropertyName("locations")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<SourceLocation>? Locations { get; }

    /// <summary>Response path: strings for field names, ints for list indexes.</summary>
    [JsonPropertyName("path")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<object>? Path { get; init; }

    [JsonPropertyName("extensions")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, object?>? Extensions { get; set; }

    /// <summary>The machine-readable error code in extensions.code, when set.</summary>
    [JsonIgnore]
    public string? Code => Extensions is not null && Extensions.TryGetValue("code", out var c) ? c as string : null;

    public override string ToString()
    {
        var at = Locations is null ? "" : " (" + string.Join(", ", Locations.Select(l => $"{l.Line}:{l.Column}")) + ")";
        return Message + at;
    }
}

/// <summary>Well-known values of extensions.code.</summary>
public static class ErrorCodes
{
    public const string ParseFailed = "GRAPHQL_PARSE_FAILED";
    public const string ValidationFailed = "GRAPHQL_VALIDATION_FAILED";
    public const string BadUserInput = "BAD_USER_INPUT";
    public const string OperationNotFound = "OPERATION_RESOLUTION_FAILURE";
    public const string LimitExceeded = "LIMIT_EXCEEDED";
    public const string IntrospectionDisabled = "INTROSPECTION_DISABLED";
    public const string InternalError = "INTERNAL_SERVER_ERROR";
    public const string Timeout = "TIMEOUT";
    public const string Cancelled = "CANCELLED";
}

/// <summary>Thrown for a document that cannot be parsed: a syntax error or a parser limit.</summary>
public sealed class GraphQLSyntaxException : Exception
{
    public GraphQLSyntaxException(string message, SourceLocation location, string code = ErrorCodes.ParseFailed)
        : base(message)
    {
        Error = new GraphQLError(message, [location], code: code);
    }

    public GraphQLError Error { get; }
}

/// <summary>Thrown by a resolver to produce a field error with its own extensions.code.</summary>
public class GraphQLException : Exception
{
    public GraphQLException(string message, string? code = null) : base(message) => Code = code;

    public GraphQLException(string message, string? code, Exception inner) : base(message, inner) => Code = code;

    public string? Code { get; }

    public Dictionary<string, object?>? Extensions { get; init; }
}
