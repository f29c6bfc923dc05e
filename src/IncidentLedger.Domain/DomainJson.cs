using System.Text.Json;
using System.Text.Json.Serialization;

namespace IncidentLedger.Domain;

/// <summary>
/// The JSON shape of domain events, commands and read models: camelCase properties, enums as
/// snake_case strings, and nothing lost in a round trip (decimals, offsets and nulls are kept).
/// </summary>
public static class DomainJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            NumberHandling = JsonNumberHandling.Strict,
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    public static string Serialize(object value) => JsonSerializer.Serialize(value, value.GetType(), Options);

    public static object Deserialize(string json, Type type) =>
        JsonSerializer.Deserialize(json, type, Options) ?? throw new JsonException($"The JSON for {type.Name} is null.");

    /// <summary>Structural equality through the JSON shape (records holding lists compare lists by reference otherwise).</summary>
    public static bool Same(object? left, object? right) =>
        left is null || right is null ? left is null && right is null : Serialize(left) == Serialize(right);
}
