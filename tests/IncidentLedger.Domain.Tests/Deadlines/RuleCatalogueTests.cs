using IncidentLedger.Domain.Deadlines;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.Tests.Deadlines;

public class RuleCatalogueTests
{
    private static RuleDataException LoadFails(string file, string from, string to)
    {
        var json = RuleData.Read(file);
        Assert.Contains(from, json, StringComparison.Ordinal);
        return Assert.Throws<RuleDataException>(() => RuleCatalogue.Load([(file, json.Replace(from, to, StringComparison.Ordinal))]));
    }

    [Fact]
    public void The_EU_AI_Act_periods_are_15_10_and_2_days_24_hours_and_2_5_10_15_days_for_GPAI()
    {
        var rules = RuleCatalogue.Default;
        TimeSpan Period(string id) => rules.FindRule(id)!.Duration;
        Assert.Equal(TimeSpan.FromDays(15), Period("eu-ai-act/art73/general"));
        Assert.Equal(TimeSpan.FromDays(10), Period("eu-ai-act/art73/death"));
        Assert.Equal(TimeSpan.FromDays(2), Period("eu-ai-act/art73/critical"));
        Assert.Equal(TimeSpan.FromHours(24), Period("eu-ai-act/art26-5/deployer-to-provider"));
        Assert.Equal(
            [TimeSpan.FromDays(2), TimeSpan.FromDays(5), TimeSpan.FromDays(10), TimeSpan.FromDays(15)],
            rules.FindClock("eu-ai-act/gpai-systemic-risk")!.Definition.Rules.Select(r => r.Duration).Order());
    }

    [Fact]
    public void The_second_jurisdiction_is_labelled_illustrative()
    {
        var cn = RuleCatalogue.Default.RuleSets.Single(s => s.Id == "cn-cac-illustrative");
        Assert.True(cn.Illustrative);
        Assert.Contains("ILLUSTRATIVE", cn.Notes, StringComparison.Ordinal);
        Assert.False(RuleCatalogue.Default.RuleSets.Single(s => s.Id == "eu-ai-act").Illustrative);
    }

    [Fact]
    public void The_shortest_applicable_rule_of_a_clock_sets_the_deadline()
    {
        var clock = RuleCatalogue.Default.FindClock("eu-ai-act/art73")!;
        var facts = new ClockFacts(["DE"], new Classification(OecdLevel.Disaster, [EuCriterion.Death, EuCriterion.WidespreadInfringement], [HarmType.Physical, HarmType.Privacy]), [F.HighRiskSystem], ReporterRole.Provider, Sector.Healthcare);
        Assert.Equal("eu-ai-act/art73/critical", clock.ApplicableRule(facts)!.Id);
        Assert.Null(clock.ApplicableRule(facts with { Systems = [F.HighRiskSystem with { Tier = EuRiskTier.Minimal }] }));
    }

    [Fact]
    public void Periods_are_ISO_8601_durations() =>
        Assert.Equal(
            [TimeSpan.FromDays(15), TimeSpan.FromHours(24), TimeSpan.FromHours(36), TimeSpan.FromMinutes(30)],
            new[] { "P15D", "PT24H", "P1DT12H", "PT30M" }.Select(p => new DeadlineRule("x/y", "t", "c", p, new RuleCondition(LevelAtLeast: OecdLevel.Incident)).Duration));

    [Fact]
    public void A_period_that_is_not_a_duration_fails_to_load() =>
        Assert.Contains(LoadFails("jurisdictions.eu-ai-act.json", "\"P15D\"", "\"15 days\"").Problems, p => p.Contains("15 days", StringComparison.Ordinal));

    [Fact]
    public void A_zero_period_fails_to_load() =>
        LoadFails("jurisdictions.eu-ai-act.json", "\"P15D\"", "\"P0D\"");

    [Fact]
    public void A_rule_without_conditions_fails_to_load() =>
        Assert.Contains(
            LoadFails("jurisdictions.cn-cac-illustrative.json", "\"when\": { \"levelAtLeast\": \"incident\", \"harmTypesAny\": [\"disinformation\", \"privacy\", \"human_dignity\"] }", "\"when\": { }").Problems,
            p => p.Contains("every incident", StringComparison.Ordinal));

    [Fact]
    public void An_unknown_criterion_fails_to_load() =>
        LoadFails("jurisdictions.eu-ai-act.json", "\"euCriteriaAny\": [\"death\"]", "\"euCriteriaAny\": [\"fatality\"]");

    [Fact]
    public void A_follow_up_report_cannot_meet_a_deadline() =>
        LoadFails("jurisdictions.cn-cac-illustrative.json", "\"reportTypes\": [\"initial\", \"combined_initial_final\", \"final\"]", "\"reportTypes\": [\"follow_up\"]");

    [Fact]
    public void A_rule_id_outside_its_rule_set_fails_to_load() =>
        LoadFails("jurisdictions.eu-ai-act.json", "\"id\": \"eu-ai-act/art73/death\"", "\"id\": \"eu/death\"");

    [Fact]
    public void A_rule_set_applying_nowhere_fails_to_load() =>
        LoadFails("jurisdictions.cn-cac-illustrative.json", "\"appliesIn\": [\"CN\"]", "\"appliesIn\": []");

    [Fact]
    public void A_third_jurisdiction_is_added_as_data()
    {
        const string Uk = """
            { "ruleSet": "uk-example", "version": "1", "title": "Example", "illustrative": true, "appliesIn": ["GB"],
              "clocks": [ { "clock": "sector", "title": "t", "obligedParty": "provider",
                "metBy": { "recipients": ["sectoral_regulator"], "reportTypes": ["initial"] },
                "rules": [ { "id": "uk-example/death", "title": "Death", "citation": "Example", "period": "P3D", "when": { "levelAtLeast": "serious_incident", "harmTypesAny": ["physical"] } } ] } ] }
            """;
        var catalogue = RuleCatalogue.Load([.. RuleData.ReadAll("jurisdictions."), ("jurisdictions.uk-example.json", Uk)]);
        var file = F.FileOf(F.Reported(F.Report(jurisdictions: ["GB"])));
        var started = Assert.IsType<ReportingClockStarted>(Assert.Single(ReportingClocks.Reconcile(file with { Clocks = file.Clocks.Clear() }, F.T0, "test", catalogue)));
        Assert.Equal(("uk-example/sector", F.T0.AddDays(3)), (started.ClockId, started.DueAt));
    }
}
