using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace IncidentLedger.Domain.Taxonomies;

/// <summary>A versioned taxonomy from schema/rules/taxonomy.*.json.</summary>
public sealed record Taxonomy(
    [property: JsonPropertyName("taxonomy")] string Name,
    string Version,
    string Title,
    IReadOnlyList<string> Sources,
    IReadOnlyList<TaxonomyTerm> Terms,
    string? Description = null,
    string? BindsTo = null)
{
    public TaxonomyTerm? Find(string code) => Terms.FirstOrDefault(t => t.Code == code);

    public TaxonomyTerm Term(string code) =>
        Find(code) ?? throw new KeyNotFoundException($"Taxonomy {Name} {Version} has no term \"{code}\".");

    /// <summary>The terms incidents use (groups only organise them).</summary>
    public IEnumerable<TaxonomyTerm> Concrete => Terms.Where(t => !t.Group);
}

/// <summary>One term of a taxonomy: its code, labels, and optional parent, weight, citation and mappings to other taxonomies.</summary>
public sealed record TaxonomyTerm(
    string Code,
    LocalizedText Label,
    string? Definition = null,
    string? Parent = null,
    bool Group = false,
    decimal? Weight = null,
    string? Citation = null,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Mappings = null)
{
    public IReadOnlyList<string> MappedTo(string taxonomy) =>
        Mappings is not null && Mappings.TryGetValue(taxonomy, out var codes) ? codes : [];
}

/// <summary>A label in English and, where given, Chinese.</summary>
public sealed record LocalizedText(string En, string? Zh = null);

/// <summary>
/// Every taxonomy, loaded from the embedded data and validated: well-formed codes and versions,
/// unique codes, parents and mappings that resolve, and bound taxonomies naming exactly the codes
/// of the enum the rules use.
/// </summary>
public sealed partial class TaxonomyCatalogue
{
    /// <summary>The enums whose codes must match a taxonomy, by the taxonomy's bindsTo name.</summary>
    public static IReadOnlyDictionary<string, Type> Bindings { get; } = new[]
    {
        typeof(OecdLevel), typeof(EuCriterion), typeof(HarmType), typeof(Sector), typeof(LifecycleStage),
        typeof(PartyRole), typeof(AccountabilityBasis), typeof(EuRiskTier), typeof(AutonomyClass),
        typeof(CaictGrade), typeof(RiskOrigin),
    }.ToDictionary(t => Codes.Name(t.Name), StringComparer.Ordinal);

    private static readonly Lazy<TaxonomyCatalogue> Embedded = new(() => Load(RuleData.ReadAll("taxonomy.")));

    private readonly Dictionary<string, Taxonomy> byName;
    private readonly Dictionary<Type, Taxonomy> byEnum;

    private TaxonomyCatalogue(Dictionary<string, Taxonomy> byName)
    {
        this.byName = byName;
        byEnum = byName.Values.Where(t => t.BindsTo is not null).ToDictionary(t => Bindings[t.BindsTo!]);
    }

    /// <summary>The catalogue compiled into this build.</summary>
    public static TaxonomyCatalogue Default => Embedded.Value;

    public IReadOnlyCollection<Taxonomy> All => byName.Values.OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();

    public Taxonomy this[string name] =>
        byName.TryGetValue(name, out var taxonomy) ? taxonomy : throw new KeyNotFoundException($"There is no taxonomy \"{name}\"; known: {string.Join(", ", byName.Keys.Order())}.");

    public Taxonomy For<T>() where T : struct, Enum => byEnum[typeof(T)];

    public TaxonomyTerm Term<T>(T value) where T : struct, Enum => For<T>().Term(Codes.Of(value));

    /// <summary>The severity weight of a level on the OECD ladder (taxonomy oecd_levels).</summary>
    public decimal Weight(OecdLevel level) => Term(level).Weight ?? 0m;

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_]*$")]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"^\d+\.\d+\.\d+$")]
    private static partial Regex VersionPattern();

    /// <summary>Loads and validates taxonomies from (file, json) pairs; throws <see cref="RuleDataException"/> naming every problem.</summary>
    public static TaxonomyCatalogue Load(IEnumerable<(string File, string Json)> files)
    {
        var byName = new Dictionary<string, Taxonomy>(StringComparer.Ordinal);
        var sourceOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (file, json) in files)
        {
            var taxonomy = RuleData.Parse<Taxonomy>(file, json);
            var problems = ValidateShape(taxonomy);
            if (problems.Count > 0)
            {
                throw new RuleDataException(file, problems);
            }

            if (!byName.TryAdd(taxonomy.Name, taxonomy))
            {
                throw new RuleDataException(file, [$"taxonomy \"{taxonomy.Name}\" is also defined in {sourceOf[taxonomy.Name]}"]);
            }

            sourceOf[taxonomy.Name] = file;
        }

        foreach (var taxonomy in byName.Values)
        {
            var problems = ValidateReferences(taxonomy, byName);
            if (problems.Count > 0)
            {
                throw new RuleDataException(sourceOf[taxonomy.Name], problems);
            }
        }

        var missing = Bindings.Keys.Where(b => byName.Values.All(t => t.BindsTo != b)).ToArray();
        if (missing.Length > 0)
        {
            throw new RuleDataException("taxonomy.*.json", missing.Select(b => $"no taxonomy binds to {b} ({Bindings[b].FullName}), which the rules use").ToArray());
        }

        return new TaxonomyCatalogue(byName);
    }

    private static List<string> ValidateShape(Taxonomy taxonomy)
    {
        var problems = new List<string>();
        if (!NamePattern().IsMatch(taxonomy.Name ?? ""))
        {
            problems.Add($"taxonomy name \"{taxonomy.Name}\" must be lower-case snake_case");
        }

        if (!VersionPattern().IsMatch(taxonomy.Version ?? ""))
        {
            problems.Add($"version \"{taxonomy.Version}\" must be MAJOR.MINOR.PATCH");
        }

        if (string.IsNullOrWhiteSpace(taxonomy.Title))
        {
            problems.Add("title is empty");
        }

        if (taxonomy.Terms is null || taxonomy.Terms.Count == 0)
        {
            problems.Add("terms is empty");
            return problems;
        }

        foreach (var term in taxonomy.Terms)
        {
            if (!CodePattern().IsMatch(term.Code ?? ""))
            {
                problems.Add($"term code \"{term.Code}\" must be letters, digits and underscores");
            }

            if (string.IsNullOrWhiteSpace(term.Label?.En))
            {
                problems.Add($"term {term.Code} has no English label");
            }

            if (term.Weight is < 0)
            {
                problems.Add($"term {term.Code} has a negative weight");
            }
        }

        problems.AddRange(taxonomy.Terms.GroupBy(t => t.Code).Where(g => g.Count() > 1).Select(g => $"term code {g.Key} appears {g.Count()} times"));
        return problems;
    }

    private static List<string> ValidateReferences(Taxonomy taxonomy, Dictionary<string, Taxonomy> all)
    {
        var problems = new List<string>();
        var codes = taxonomy.Terms.Select(t => t.Code).ToHashSet(StringComparer.Ordinal);
        foreach (var term in taxonomy.Terms)
        {
            if (term.Parent is not null && !codes.Contains(term.Parent))
            {
                problems.Add($"term {term.Code}: parent \"{term.Parent}\" is not a term of {taxonomy.Name}");
            }

            foreach (var (target, values) in term.Mappings ?? new Dictionary<string, IReadOnlyList<string>>())
            {
                if (all.TryGetValue(target, out var other))
                {
                    problems.AddRange(values.Where(v => other.Find(v) is null).Select(v => $"term {term.Code}: mapping to {target} names \"{v}\", which {target} {other.Version} does not define"));
                }
            }
        }

        if (taxonomy.BindsTo is { } binding)
        {
            if (!Bindings.TryGetValue(binding, out var enumType))
            {
                problems.Add($"bindsTo \"{binding}\" is not a vocabulary the rules use; known: {string.Join(", ", Bindings.Keys.Order())}");
            }
            else
            {
                var expected = Codes.All(enumType).ToHashSet(StringComparer.Ordinal);
                var concrete = taxonomy.Concrete.Select(t => t.Code).ToHashSet(StringComparer.Ordinal);
                problems.AddRange(expected.Except(concrete).Order().Select(c => $"code \"{c}\" of {enumType.Name} has no concrete term in {taxonomy.Name} {taxonomy.Version}"));
                problems.AddRange(concrete.Except(expected).Order().Select(c => $"term \"{c}\" is not a {enumType.Name}; add it to the enum or mark it as a group"));
            }
        }

        return problems;
    }
}
