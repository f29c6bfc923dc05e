using System.Text.RegularExpressions;

namespace IncidentLedger.Domain;

/// <summary>Jurisdiction codes (ISO 3166-1 alpha-2) and the regions that group them, from schema/rules/regions.json.</summary>
public static partial class Regions
{
    private static readonly Lazy<IReadOnlyDictionary<string, Region>> ByCode = new(() => Load(RuleData.Read("regions.json"), "regions.json"));

    public static IReadOnlyCollection<Region> All => ByCode.Value.Values.ToArray();

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex CodePattern();

    /// <summary>True when <paramref name="code"/> is a two-letter country code or a known region.</summary>
    public static bool IsValid(string? code) => code is not null && CodePattern().IsMatch(code);

    /// <summary>True when <paramref name="held"/> is <paramref name="jurisdiction"/> or a region containing it.</summary>
    public static bool Covers(string held, string jurisdiction) =>
        held == jurisdiction || (ByCode.Value.TryGetValue(held, out var region) && region.Members.Contains(jurisdiction));

    /// <summary>Every code the held ones cover: each held code and the members of each held region (what <see cref="Covers"/> accepts).</summary>
    public static IReadOnlyList<string> CoveredBy(IEnumerable<string> held) =>
        [.. held.SelectMany(h => ByCode.Value.TryGetValue(h, out var region) ? region.Members.Prepend(h) : [h]).Distinct(StringComparer.Ordinal)];

    /// <summary>Validates and normalises a list of jurisdiction codes (upper case, distinct, order kept).</summary>
    internal static IReadOnlyList<string> Normalise(IEnumerable<string>? codes, string code, string what)
    {
        var result = new List<string>();
        foreach (var raw in codes ?? [])
        {
            var normal = raw?.Trim().ToUpperInvariant();
            Rule.Require(IsValid(normal), code, $"{what}: \"{raw}\" is not a jurisdiction code; use ISO 3166-1 alpha-2 (e.g. DE, CN, US) or a region such as EU.");
            if (!result.Contains(normal!))
            {
                result.Add(normal!);
            }
        }

        return result;
    }

    internal static IReadOnlyDictionary<string, Region> Load(string json, string source)
    {
        var data = RuleData.Parse<RegionsDocument>(source, json);
        var problems = new List<string>();
        var result = new Dictionary<string, Region>(StringComparer.Ordinal);
        foreach (var region in data.Regions)
        {
            if (!IsValid(region.Code))
            {
                problems.Add($"region code \"{region.Code}\" must be two upper-case letters");
            }

            if (!result.TryAdd(region.Code, region))
            {
                problems.Add($"region {region.Code} is defined twice");
            }

            problems.AddRange(region.Members.Where(m => !IsValid(m)).Select(m => $"region {region.Code}: member \"{m}\" is not an ISO 3166-1 alpha-2 code"));
            problems.AddRange(region.Members.GroupBy(m => m).Where(g => g.Count() > 1).Select(g => $"region {region.Code}: member {g.Key} is listed twice"));
        }

        if (problems.Count > 0)
        {
            throw new RuleDataException(source, problems);
        }

        return result;
    }

    private sealed record RegionsDocument(string Version, string Description, IReadOnlyList<Region> Regions);
}

/// <summary>A group of jurisdictions (e.g. the EU's member states).</summary>
public sealed record Region(string Code, string Name, IReadOnlyList<string> Members);
