using System.Text.Json;

namespace IncidentLedger.GraphQL.Server;

/// <summary>The parameters of a GraphQL-over-HTTP request, read from a JSON body or a query string and checked for type.</summary>
internal sealed record GraphQLHttpRequest(string? Query, string? OperationName, JsonElement? Variables, JsonElement? Extensions, string? DocumentId)
{
    /// <summary>Reads a POST body's parameters; returns the problem a client can act on, or null.</summary>
    public static string? TryRead(JsonElement body, out GraphQLHttpRequest? request)
    {
        request = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            return $"The request body must be a JSON object with a \"query\", not {Describe(body)}.";
        }

        string? query = null, operationName = null, id = null;
        JsonElement? variables = null, extensions = null;
        foreach (var property in body.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "query" when value.ValueKind is JsonValueKind.String or JsonValueKind.Null:
                    query = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                    break;
                case "query":
                    return $"\"query\" must be a string, not {Describe(value)}.";
                case "operationName" when value.ValueKind is JsonValueKind.String or JsonValueKind.Null:
                    operationName = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                    break;
                case "operationName":
                    return $"\"operationName\" must be a string or null, not {Describe(value)}.";
                case "variables" when value.ValueKind is JsonValueKind.Object or JsonValueKind.Null:
                    variables = value.ValueKind == JsonValueKind.Object ? value.Clone() : null;
                    break;
                case "variables":
                    return $"\"variables\" must be an object or null, not {Describe(value)}.";
                case "extensions" when value.ValueKind is JsonValueKind.Object or JsonValueKind.Null:
                    extensions = value.ValueKind == JsonValueKind.Object ? value.Clone() : null;
                    break;
                case "extensions":
                    return $"\"extensions\" must be an object or null, not {Describe(value)}.";
                case "id" when value.ValueKind is JsonValueKind.String:
                    id = value.GetString();
                    break;
                case "id":
                    return $"\"id\" must be a string, not {Describe(value)}.";
                default:
                    break; // Unknown parameters are ignored, as the specification allows.
            }
        }

        request = new GraphQLHttpRequest(query, operationName, variables, extensions, id ?? PersistedHash(extensions));
        return request.Query is null && request.DocumentId is null ? "The request has no \"query\" (nor the id of a persisted operation)." : null;
    }

    /// <summary>Reads a GET query string: query, operationName, and JSON-encoded variables and extensions.</summary>
    public static string? TryRead(Microsoft.AspNetCore.Http.IQueryCollection parameters, out GraphQLHttpRequest? request)
    {
        request = null;
        var body = new Dictionary<string, JsonElement>();
        foreach (var name in new[] { "query", "operationName", "id" })
        {
            if (parameters.TryGetValue(name, out var value) && value.Count > 0)
            {
                body[name] = JsonSerializer.SerializeToElement(value[0]);
            }
        }

        foreach (var name in new[] { "variables", "extensions" })
        {
            if (parameters.TryGetValue(name, out var value) && value.Count > 0 && !string.IsNullOrEmpty(value[0]))
            {
                try
                {
                    using var document = JsonDocument.Parse(value[0]!);
                    body[name] = document.RootElement.Clone();
                }
                catch (JsonException)
                {
                    return $"\"{name}\" must be URL-encoded JSON.";
                }
            }
        }

        return TryRead(JsonSerializer.SerializeToElement(body), out request);
    }

    private static string? PersistedHash(JsonElement? extensions) =>
        extensions is { } e && e.TryGetProperty("persistedQuery", out var persisted) && persisted.ValueKind == JsonValueKind.Object
            && persisted.TryGetProperty("sha256Hash", out var hash) && hash.ValueKind == JsonValueKind.String
            ? hash.GetString()
            : null;

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
