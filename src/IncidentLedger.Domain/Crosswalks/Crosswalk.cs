using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace IncidentLedger.Domain.Crosswalks;

/// <summary>A reporting format an incident can be rendered in, from schema/rules/crosswalk.*.json.</summary>
public sealed record CrosswalkDefinition(
    [property: JsonPropertyName("crosswalk")] string Id,
    string Version,
    string Title,
    string Source,
    IReadOnlyList<CrosswalkSection> Sections,
    string? Notes = null)
{
    public IEnumerable<CrosswalkFieldDefinition> Fields => Sections.SelectMany(s => s.Fields);
}

public sealed record CrosswalkSection(string Id, string Title, IReadOnlyList<CrosswalkFieldDefinition> Fields);

/// <summary>A field of the format and the ledger field (source) that answers it.</summary>
public sealed record CrosswalkFieldDefinition(string Id, string Label, string Source, bool Mandatory = false);

/// <summary>A rendered field: its value, or null when the ledger does not (yet) know it.</summary>
public sealed record CrosswalkField(string Section, string Id, string Label, bool Mandatory, string? Value)
{
    public bool Filled => Value is not null;
}

/// <summary>An incident rendered in one format, with its completeness and the fields still missing.</summary>
public sealed record CrosswalkReport(
    string Crosswalk,
    string Version,
    string Title,
    Guid IncidentId,
    IReadOnlyList<CrosswalkField> Fields,
    int Filled,
    int Total,
    decimal Completeness,
    int MandatoryFilled,
    int MandatoryTotal,
    decimal MandatoryCompleteness,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> MissingMandatory);

/// <summary>The crosswalk definitions compiled into this build, validated at load.</summary>
public sealed partial class CrosswalkCatalogue
{
    public const string OecdCrf = "oecd-crf";
    public const string EuArt73 = "eu-art73";
    public const string Avid = "avid";

    private static readonly Lazy<CrosswalkCatalogue> Embedded = new(() => Load(RuleData.ReadAll("crosswalk.")));

    private CrosswalkCatalogue(IReadOnlyList<CrosswalkDefinition> definitions) => Definitions = definitions;

    public static CrosswalkCatalogue Default => Embedded.Value;

    public IReadOnlyList<CrosswalkDefinition> Definitions { get; }

    public CrosswalkDefinition this[string id] =>
        Definitions.FirstOrDefault(d => d.Id == id) ?? throw new KeyNotFoundException($"There is no crosswalk \"{id}\"; known: {string.Join(", ", Definitions.Select(d => d.Id))}.");

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex IdPattern();

    public static CrosswalkCatalogue Load(IEnumerable<(string File, string Json)> files)
    {
        var definitions = new List<CrosswalkDefinition>();
        foreach (var (file, json) in files)
        {
            var definition = RuleData.Parse<CrosswalkDefinition>(file, json);
            var problems = new List<string>();
            if (!IdPattern().IsMatch(definition.Id ?? ""))
            {
                problems.Add($"crosswalk id \"{definition.Id}\" must be lower-case letters, digits, hyphens and underscores");
            }

            if (definitions.Any(d => d.Id == definition.Id))
            {
                problems.Add($"crosswalk {definition.Id} is defined twice");
            }

            if (string.IsNullOrWhiteSpace(definition.Version))
            {
                problems.Add("version is empty");
            }

            if (definition.Sections is not { Count: > 0 } || definition.Sections.Any(s => s.Fields is not { Count: > 0 }))
            {
                problems.Add("every crosswalk has sections and every section has fields");
            }
            else
            {
                var fields = definition.Fields.ToArray();
                problems.AddRange(fields.GroupBy(f => f.Id).Where(g => g.Count() > 1).Select(g => $"field {g.Key} is defined {g.Count()} times"));
                problems.AddRange(fields.Where(f => !IdPattern().IsMatch(f.Id ?? "")).Select(f => $"field id \"{f.Id}\" must be lower-case letters, digits, hyphens and underscores"));
                problems.AddRange(fields.Where(f => !CrosswalkSources.All.ContainsKey(f.Source ?? "")).Select(f => $"field {f.Id}: source \"{f.Source}\" is not a ledger field; known sources: {string.Join(", ", CrosswalkSources.All.Keys.Order(StringComparer.Ordinal))}"));
            }

            if (problems.Count > 0)
            {
                throw new RuleDataException(file, problems);
            }

            definitions.Add(definition);
        }

        return new CrosswalkCatalogue(definitions.OrderBy(d => d.Id, StringComparer.Ordinal).ToArray());
    }
}
