using System.Text.RegularExpressions;
using IncidentLedger.Domain.Incidents;

namespace IncidentLedger.Domain.Deadlines;

/// <summary>A clock definition together with the rule set it belongs to.</summary>
public sealed record ClockInRuleSet(RuleSet RuleSet, ClockDefinition Definition)
{
    /// <summary>The clock's stable id: "&lt;rule set&gt;/&lt;clock&gt;", e.g. "eu-ai-act/art73".</summary>
    public string ClockId => $"{RuleSet.Id}/{Definition.Clock}";

    /// <summary>The applicable rule with the shortest period, or null when none applies.</summary>
    public DeadlineRule? ApplicableRule(ClockFacts facts) =>
        Definition.Rules.Where(r => r.When.Matches(facts)).OrderBy(r => r.Duration).ThenBy(r => r.Id, StringComparer.Ordinal).FirstOrDefault();
}

/// <summary>
/// Every jurisdiction's deadline rules, loaded from the embedded schema/rules/jurisdictions.*.json and
/// validated at load. A new jurisdiction is a new data file, not code.
/// </summary>
public sealed partial class RuleCatalogue
{
    private static readonly Lazy<RuleCatalogue> Embedded = new(() => Load(RuleData.ReadAll("jurisdictions.")));

    private RuleCatalogue(IReadOnlyList<RuleSet> ruleSets)
    {
        RuleSets = ruleSets;
        Clocks = ruleSets.SelectMany(s => s.Clocks.Select(c => new ClockInRuleSet(s, c))).ToArray();
    }

    /// <summary>The rule sets compiled into this build.</summary>
    public static RuleCatalogue Default => Embedded.Value;

    public IReadOnlyList<RuleSet> RuleSets { get; }

    public IReadOnlyList<ClockInRuleSet> Clocks { get; }

    public ClockInRuleSet? FindClock(string clockId) => Clocks.FirstOrDefault(c => c.ClockId == clockId);

    public DeadlineRule? FindRule(string ruleId) => Clocks.SelectMany(c => c.Definition.Rules).FirstOrDefault(r => r.Id == ruleId);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)+$")]
    private static partial Regex RuleIdPattern();

    private static readonly ReportType[] MeetingReportTypes = [ReportType.Initial, ReportType.CombinedInitialFinal, ReportType.Final];

    /// <summary>Loads and validates rule sets from (file, json) pairs; throws <see cref="RuleDataException"/> naming every problem.</summary>
    public static RuleCatalogue Load(IEnumerable<(string File, string Json)> files)
    {
        var sets = new List<RuleSet>();
        var ruleIds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (file, json) in files)
        {
            var set = RuleData.Parse<RuleSet>(file, json);
            var problems = Validate(set);
            foreach (var rule in set.Clocks?.SelectMany(c => c.Rules ?? []) ?? [])
            {
                if (!ruleIds.TryAdd(rule.Id, file) && ruleIds[rule.Id] != file)
                {
                    problems.Add($"rule {rule.Id} is also defined in {ruleIds[rule.Id]}");
                }
            }

            if (sets.Any(s => s.Id == set.Id))
            {
                problems.Add($"rule set {set.Id} is defined twice");
            }

            if (problems.Count > 0)
            {
                throw new RuleDataException(file, problems);
            }

            sets.Add(set);
        }

        return new RuleCatalogue(sets.OrderBy(s => s.Id, StringComparer.Ordinal).ToArray());
    }

    private static List<string> Validate(RuleSet set)
    {
        var problems = new List<string>();
        if (!IdPattern().IsMatch(set.Id ?? ""))
        {
            problems.Add($"ruleSet \"{set.Id}\" must be lower-case letters, digits and hyphens");
        }

        if (string.IsNullOrWhiteSpace(set.Version))
        {
            problems.Add("version is empty");
        }

        if (set.AppliesIn is null || set.AppliesIn.Count == 0)
        {
            problems.Add("appliesIn is empty: say which jurisdictions the rule set covers");
        }
        else
        {
            problems.AddRange(set.AppliesIn.Where(j => !Regions.IsValid(j)).Select(j => $"appliesIn: \"{j}\" is not an ISO 3166-1 alpha-2 code or region"));
        }

        if (set.Clocks is null || set.Clocks.Count == 0)
        {
            problems.Add("clocks is empty");
            return problems;
        }

        problems.AddRange(set.Clocks.GroupBy(c => c.Clock).Where(g => g.Count() > 1).Select(g => $"clock {g.Key} is defined {g.Count()} times"));
        foreach (var clock in set.Clocks)
        {
            var where = $"clock {clock.Clock}";
            if (!IdPattern().IsMatch(clock.Clock ?? ""))
            {
                problems.Add($"{where}: name must be lower-case letters, digits and hyphens");
            }

            if (clock.MetBy?.Recipients is not { Count: > 0 })
            {
                problems.Add($"{where}: metBy.recipients is empty, so no notification could ever meet it");
            }

            if (clock.MetBy?.ReportTypes is not { Count: > 0 })
            {
                problems.Add($"{where}: metBy.reportTypes is empty");
            }
            else
            {
                problems.AddRange(clock.MetBy.ReportTypes.Except(MeetingReportTypes).Select(t => $"{where}: a {t} report cannot meet a deadline; use initial, combined_initial_final or final"));
            }

            if (clock.Rules is not { Count: > 0 })
            {
                problems.Add($"{where}: rules is empty");
                continue;
            }

            foreach (var rule in clock.Rules)
            {
                var at = $"{where}, rule {rule.Id}";
                if (!RuleIdPattern().IsMatch(rule.Id ?? "") || !rule.Id!.StartsWith(set.Id + "/", StringComparison.Ordinal))
                {
                    problems.Add($"{at}: id must start with \"{set.Id}/\" and use lower-case letters, digits, hyphens and slashes");
                }

                if (DeadlineRule.ParsePeriod(rule.Period) is null)
                {
                    problems.Add($"{at}: period \"{rule.Period}\" is not a positive ISO 8601 duration such as P15D, PT24H or P1DT12H");
                }

                if (rule.When is null || rule.When.IsEmpty)
                {
                    problems.Add($"{at}: 'when' has no condition, so the rule would apply to every incident");
                }

                if (string.IsNullOrWhiteSpace(rule.Citation))
                {
                    problems.Add($"{at}: citation is empty; say which provision the deadline comes from");
                }
            }
        }

        return problems;
    }
}
