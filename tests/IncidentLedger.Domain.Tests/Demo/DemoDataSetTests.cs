using IncidentLedger.Domain.Crosswalks;
using IncidentLedger.Domain.Deadlines;
using IncidentLedger.Domain.Demo;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.ReadModels;

namespace IncidentLedger.Domain.Tests.Demo;

public class DemoDataSetTests
{
    private static readonly string[] Cases =
    [
        "incident:surgery", "incident:driver-assistance", "incident:voice-assistant", "incident:companion-chatbot", "incident:dismissals",
        "incident:compute-hijack", "incident:face-swap", "incident:bank-run", "incident:stop-sign",
    ];

    [Fact]
    public void The_demo_holds_the_nine_cases_from_the_source_reports() =>
        Assert.Equal(Cases.Order(), DemoLedger.View.ReportedIncidents.Select(i => DemoLedger.Data.Ids.Single(kv => kv.Value == i.IncidentId).Key).Order());

    [Fact]
    public void The_demo_is_deterministic()
    {
        var again = DemoDataSet.Build(DemoLedger.Origin);
        Assert.Equal(
            DemoLedger.Data.Steps.Select(s => DomainJson.Serialize(s.Command) + DomainJson.Serialize(s.Events)),
            again.Steps.Select(s => DomainJson.Serialize(s.Command) + DomainJson.Serialize(s.Events)));
    }

    [Fact]
    public void Another_origin_shifts_every_time_and_keeps_everything_else()
    {
        var later = DemoDataSet.Build(DemoLedger.Origin.AddDays(100));
        Assert.Equal(DemoLedger.Data.Steps.Count, later.Steps.Count);
        Assert.All(DemoLedger.Data.Steps.Zip(later.Steps), pair => Assert.Equal(pair.First.At.AddDays(100), pair.Second.At));
        Assert.Equal(DemoLedger.Data.Ids, later.Ids);
    }

    [Fact]
    public void Every_event_type_occurs_in_the_demo() =>
        Assert.Empty(DomainEvents.All.Select(e => e.Name).Except(DemoLedger.Recorded.Select(r => r.EventName)));

    [Fact]
    public void Every_demo_event_was_produced_by_a_decider_from_a_command()
    {
        Assert.All(DemoLedger.Data.Steps, step => Assert.NotEmpty(step.Events));
        foreach (var ((streamType, id), events) in DemoLedger.Data.Streams)
        {
            var decider = DomainStreams.For(streamType);
            var replayed = new List<object>();
            foreach (var step in DemoLedger.Data.Steps.Where(s => s.StreamId == id && s.StreamType == streamType))
            {
                replayed.AddRange(decider.Decide(step.Command, decider.Fold(replayed)));
            }

            Assert.Equal(DomainJson.Serialize(events), DomainJson.Serialize(replayed));
        }
    }

    [Fact]
    public void Repeating_any_demo_command_right_after_it_is_a_no_op()
    {
        foreach (var group in DemoLedger.Data.Steps.GroupBy(s => (s.StreamType, s.StreamId)))
        {
            var decider = DomainStreams.For(group.Key.StreamType);
            var history = new List<object>();
            foreach (var step in group)
            {
                history.AddRange(step.Events);
                Assert.Empty(decider.Decide(step.Command, decider.Fold(history)));
            }
        }
    }

    [Fact]
    public void The_demo_recorded_log_is_gap_free_chronological_and_versioned_per_stream()
    {
        Assert.Equal(Enumerable.Range(0, DemoLedger.Recorded.Count).Select(i => (long)i), DemoLedger.Recorded.Select(r => r.Position));
        Assert.Equal(DemoLedger.Recorded.Select(r => r.RecordedAt).Order(), DemoLedger.Recorded.Select(r => r.RecordedAt));
        Assert.All(DemoLedger.Recorded.GroupBy(r => r.StreamId), g => Assert.Equal(Enumerable.Range(1, g.Count()).Select(i => (long)i), g.Select(r => r.Version)));
        Assert.True(DemoLedger.Data.End - DemoLedger.Origin <= DemoDataSet.Span);
    }

    [Fact]
    public void The_demo_shows_reporting_clocks_in_every_state_and_a_recomputation()
    {
        var board = DeadlineBoard.Compute(DemoLedger.View, DemoLedger.Data.End);
        Assert.Equal([ClockStatus.Running, ClockStatus.Met, ClockStatus.Breached, ClockStatus.Withdrawn], board.Select(r => r.Status).Distinct().Order());
        var crash = DemoLedger.Incident("incident:driver-assistance").File.Clocks["eu-ai-act/art73"];
        Assert.Equal(("eu-ai-act/art73/death", ClockStatus.Met), (crash.RuleId, crash.Status));
        Assert.Contains(DemoLedger.Incident("incident:driver-assistance").Timeline, t => t.EventName == "incident.reporting_clock_recomputed");
        var bankRun = DemoLedger.Incident("incident:bank-run").File.Clocks;
        Assert.Equal(ClockStatus.Breached, bankRun["cn-cac-illustrative/cybersecurity-incident"].Status);
        Assert.NotNull(bankRun["cn-cac-illustrative/cybersecurity-incident"].LateNotificationId);
        Assert.Equal(ClockStatus.Met, bankRun["cn-cac-illustrative/generative-ai-content"].Status);
        var faceSwap = DemoLedger.Incident("incident:face-swap");
        Assert.Null(DemoLedger.Recorded.Select(r => r.Event).OfType<ReportingClockBreached>().Single(e => e.IncidentId == faceSwap.IncidentId).LateNotificationId);
        Assert.Equal(DemoLedger.Day(124, 10), faceSwap.File.Clocks["cn-cac-illustrative/generative-ai-content"].NotifiedAt);
        Assert.Equal(ClockStatus.Running, DemoLedger.Incident("incident:dismissals").File.Clocks["eu-ai-act/art73"].Status);
        Assert.Equal(ClockStatus.Withdrawn, DemoLedger.Incident("incident:voice-assistant").File.Clocks["eu-ai-act/gpai-systemic-risk"].Status);
    }

    [Fact]
    public void Incidents_outside_every_rule_set_have_no_clock()
    {
        Assert.Empty(DemoLedger.Incident("incident:surgery").File.Clocks);
        Assert.Empty(DemoLedger.Incident("incident:companion-chatbot").File.Clocks);
        Assert.Empty(DemoLedger.Incident("incident:stop-sign").File.Clocks);
    }

    [Fact]
    public void The_demo_incidents_end_in_the_expected_states() =>
        Assert.Equal(
            new Dictionary<string, IncidentStatus>
            {
                ["incident:surgery"] = IncidentStatus.Closed,
                ["incident:driver-assistance"] = IncidentStatus.Open,
                ["incident:voice-assistant"] = IncidentStatus.Closed,
                ["incident:companion-chatbot"] = IncidentStatus.Open,
                ["incident:dismissals"] = IncidentStatus.Open,
                ["incident:compute-hijack"] = IncidentStatus.Open,
                ["incident:face-swap"] = IncidentStatus.Closed,
                ["incident:bank-run"] = IncidentStatus.Open,
                ["incident:stop-sign"] = IncidentStatus.Open,
            },
            Cases.ToDictionary(c => c, c => DemoLedger.Incident(c).State.Status));

    // The crosswalk completeness each demo incident reaches: (filled/total) for the OECD common
    // reporting framework, the EU Art. 73 template and the AVID report; every incident gives all
    // seven mandatory OECD criteria.
    [Theory]
    [InlineData("incident:surgery", 27, 22, 12)]
    [InlineData("incident:driver-assistance", 26, 25, 12)]
    [InlineData("incident:voice-assistant", 24, 20, 11)]
    [InlineData("incident:companion-chatbot", 25, 20, 11)]
    [InlineData("incident:dismissals", 24, 22, 12)]
    [InlineData("incident:compute-hijack", 25, 22, 12)]
    [InlineData("incident:face-swap", 23, 19, 11)]
    [InlineData("incident:bank-run", 24, 21, 11)]
    [InlineData("incident:stop-sign", 21, 19, 12)]
    public void The_demo_incidents_reach_their_crosswalk_completeness(string key, int oecd, int euArt73, int avid)
    {
        var reports = CrosswalkRenderer.RenderAll(DemoLedger.Incident(key), DemoLedger.View).ToDictionary(r => r.Crosswalk);
        Assert.Equal((oecd, 29), (reports[CrosswalkCatalogue.OecdCrf].Filled, reports[CrosswalkCatalogue.OecdCrf].Total));
        Assert.Equal((7, 7), (reports[CrosswalkCatalogue.OecdCrf].MandatoryFilled, reports[CrosswalkCatalogue.OecdCrf].MandatoryTotal));
        Assert.Equal((euArt73, 28), (reports[CrosswalkCatalogue.EuArt73].Filled, reports[CrosswalkCatalogue.EuArt73].Total));
        Assert.Equal((avid, 14), (reports[CrosswalkCatalogue.Avid].Filled, reports[CrosswalkCatalogue.Avid].Total));
        Assert.All(reports.Values, r => Assert.Equal(r.Total - r.Filled, r.Missing.Count));
        Assert.All(reports.Values, r => Assert.Equal(Math.Round(100m * r.Filled / r.Total, 1, MidpointRounding.AwayFromZero), r.Completeness));
    }

    [Fact]
    public void The_driver_assistance_crash_gives_every_mandatory_field_of_the_EU_template()
    {
        var report = CrosswalkRenderer.Render(CrosswalkCatalogue.EuArt73, DemoLedger.Incident("incident:driver-assistance"), DemoLedger.View);
        Assert.Equal(100m, report.MandatoryCompleteness);
        Assert.Equal(["deployers", "gpai_model", "others_informed"], report.Missing);
        Assert.Equal("Kraftfahrt-Bundesamt (DE)", report.Fields.Single(f => f.Id == "authority").Value);
        Assert.Equal("EU-AIDB-HR-000417", report.Fields.Single(f => f.Id == "eu_database_id").Value);
    }

    [Fact]
    public void A_fresh_incident_lists_what_the_authority_still_lacks()
    {
        var report = CrosswalkRenderer.Render(CrosswalkCatalogue.EuArt73, DemoLedger.Incident("incident:dismissals"), DemoLedger.View);
        Assert.Equal(["authority"], report.MissingMandatory);
        Assert.Contains("evidence", report.Missing);
        Assert.Contains("measures", report.Missing);
    }
}
