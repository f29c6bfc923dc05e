using System.Globalization;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.Deadlines;

/// <summary>A jurisdiction's reporting-deadline rules, from schema/rules/jurisdictions.*.json.</summary>
public sealed record RuleSet(
    [property: JsonPropertyName("ruleSet")] string Id,
    string Version,
    string Title,
    bool Illustrative,
    IReadOnlyList<string> AppliesIn,
    IReadOnlyList<ClockDefinition> Clocks,
    string? Notes = null)
{
    /// <summary>True when an incident in <paramref name="jurisdictions"/> falls under this rule set.</summary>
    public bool AppliesToAny(IEnumerable<string> jurisdictions) =>
        jurisdictions.Any(j => AppliesIn.Any(held => Regions.Covers(held, j)));

    /// <summary>The first of <paramref name="jurisdictions"/> this rule set covers, used to label its clocks.</summary>
    public string? CoveredJurisdiction(IEnumerable<string> jurisdictions) =>
        jurisdictions.FirstOrDefault(j => AppliesIn.Any(held => Regions.Covers(held, j)));
}

/// <summary>
/// One reporting obligation that runs as one clock per incident. Among its rules that apply,
/// the one with the shortest period sets the due time.
/// </summary>
public sealed record ClockDefinition(
    string Clock,
    string Title,
    PartyRole ObligedParty,
    NotificationRequirement MetBy,
    IReadOnlyList<DeadlineRule> Rules);

/// <summary>Which notification meets a clock: one to any of these recipients, of one of these report types.</summary>
public sealed record NotificationRequirement(IReadOnlyList<Recipient> Recipients, IReadOnlyList<ReportType> ReportTypes);

/// <summary>A deadline: when its conditions hold, the report is due <see cref="Period"/> after awareness.</summary>
public sealed partial record DeadlineRule(string Id, string Title, string Citation, string Period, RuleCondition When)
{
    [GeneratedRegex(@"^P(?:(?<d>\d+)D)?(?:T(?:(?<h>\d+)H)?(?:(?<m>\d+)M)?)?$")]
    private static partial Regex DurationPattern();

    /// <summary>The period as a duration (ISO 8601 days, hours and minutes; calendar time).</summary>
    public TimeSpan Duration => ParsePeriod(Period) ?? throw new FormatException($"Rule {Id}: period \"{Period}\" is not an ISO 8601 duration of days, hours and minutes.");

    internal static TimeSpan? ParsePeriod(string? period)
    {
        var match = DurationPattern().Match(period ?? "");
        if (!match.Success || period is "P" or "PT" || period!.EndsWith('T'))
        {
            return null;
        }

        static int Part(Match m, string name) => m.Groups[name].Success ? int.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        var span = new TimeSpan(Part(match, "d"), Part(match, "h"), Part(match, "m"), 0);
        return span > TimeSpan.Zero ? span : null;
    }
}

/// <summary>
/// When a rule applies. Every condition given must hold; within a list, any element suffices.
/// "modelTiersAny" matches a system's own tier or the tier of the foundation model it builds on.
/// </summary>
public sealed record RuleCondition(
    OecdLevel? LevelAtLeast = null,
    IReadOnlyList<EuCriterion>? EuCriteriaAny = null,
    IReadOnlyList<HarmType>? HarmTypesAny = null,
    IReadOnlyList<EuRiskTier>? SystemTiersAny = null,
    IReadOnlyList<EuRiskTier>? ModelTiersAny = null,
    IReadOnlyList<ReporterRole>? ReporterRolesAny = null,
    IReadOnlyList<Sector>? SectorsAny = null)
{
    public bool IsEmpty =>
        LevelAtLeast is null && EuCriteriaAny is null && HarmTypesAny is null && SystemTiersAny is null
        && ModelTiersAny is null && ReporterRolesAny is null && SectorsAny is null;

    public bool Matches(ClockFacts facts) =>
        (LevelAtLeast is not { } level || facts.Classification.Level >= level)
        && (EuCriteriaAny is null || EuCriteriaAny.Intersect(facts.Classification.EuCriteria).Any())
        && (HarmTypesAny is null || HarmTypesAny.Intersect(facts.Classification.HarmTypes).Any())
        && (SystemTiersAny is null || facts.Systems.Any(s => SystemTiersAny.Any(s.HasTier)))
        && (ModelTiersAny is null || facts.Systems.Any(s => ModelTiersAny.Any(s.HasModelTier)))
        && (ReporterRolesAny is null || ReporterRolesAny.Contains(facts.ReporterRole))
        && (SectorsAny is null || SectorsAny.Contains(facts.Sector));
}

/// <summary>What deadline rules look at.</summary>
public sealed record ClockFacts(
    IReadOnlyList<string> Jurisdictions,
    Classification Classification,
    IReadOnlyList<InvolvedSystem> Systems,
    ReporterRole ReporterRole,
    Sector Sector);
