using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace IncidentLedger.Domain;

/// <summary>
/// The versioned data files of schema/rules/, compiled into this assembly as resources named
/// "Rules.&lt;file name&gt;". Reading them touches no file system: the data ships with the code that
/// interprets it, so a decision is reproducible from the build that made it.
/// </summary>
public static class RuleData
{
    private const string Prefix = "Rules.";

    internal static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };

    /// <summary>The names of the embedded data files, e.g. "taxonomy.harm-types.json".</summary>
    public static IReadOnlyList<string> Files { get; } =
        typeof(RuleData).Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(name => name[Prefix.Length..])
            .Order(StringComparer.Ordinal)
            .ToArray();

    /// <summary>The text of one embedded data file.</summary>
    public static string Read(string file)
    {
        using var stream = typeof(RuleData).Assembly.GetManifestResourceStream(Prefix + file)
            ?? throw new RuleDataException(file, [$"no embedded rule data is named {file}; embedded: {string.Join(", ", Files)}"]);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Every embedded file whose name starts with <paramref name="prefix"/>, as (file, text).</summary>
    public static IReadOnlyList<(string File, string Json)> ReadAll(string prefix) =>
        Files.Where(f => f.StartsWith(prefix, StringComparison.Ordinal)).Select(f => (f, Read(f))).ToArray();

    internal static T Parse<T>(string source, string json)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options)
                ?? throw new RuleDataException(source, ["the document is null"]);
        }
        catch (JsonException e)
        {
            throw new RuleDataException(source, [$"{e.Message}"], e);
        }
    }
}
