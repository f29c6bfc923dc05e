using IncidentLedger.Domain.Deadlines;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Taxonomies;
using static IncidentLedger.Domain.Tests.IncidentSpec;

namespace IncidentLedger.Domain.Tests.Incidents;

public class AmendReportTests
{
    private static AmendReport FollowUp(IncidentRevision? revision = null, Actor? actor = null, string summary = "Root cause: triage thresholds were miscalibrated.", DateTimeOffset? now = null) =>
        new(F.IncidentId, ReportType.FollowUp, summary, revision, null, actor ?? F.Provider, now ?? F.T0.AddDays(3));

    [Fact]
    public void A_follow_up_report_is_recorded_as_report_number_2()
    {
        var amend = FollowUp();
        Given(F.Reported()).When(amend).Then(
            new ReportAmended(F.IncidentId, 2, ReportType.FollowUp, amend.Summary, null, null, amend.Now, F.ProviderOrg, F.Provider.Subject));
    }

    [Fact]
    public void A_revision_that_reclassifies_as_a_death_recomputes_the_art73_clock_to_10_days()
    {
        var revision = new IncidentRevision(Classification: F.Classified(OecdLevel.SeriousIncident, [EuCriterion.Death], HarmType.Physical));
        var events = Given(F.Reported()).When(FollowUp(revision)).Events;
        var recomputed = Assert.IsType<ReportingClockRecomputed>(events[1]);
        Assert.Equal(("eu-ai-act/art73/death", F.T0.AddDays(10), "eu-ai-act/art73/general", F.T0.AddDays(15)), (recomputed.RuleId, recomputed.DueAt, recomputed.PreviousRuleId, recomputed.PreviousDueAt));
    }

    [Fact]
    public void Correcting_awareness_to_an_earlier_time_moves_the_due_time_earlier()
    {
        var events = Given(F.Reported()).When(FollowUp(new IncidentRevision(BecameAwareAt: F.T0.AddHours(-2)))).Events;
        var recomputed = Assert.IsType<ReportingClockRecomputed>(events[1]);
        Assert.Equal(F.T0.AddHours(-2).AddDays(15), recomputed.DueAt);
    }

    [Fact]
    public void Moving_awareness_later_is_rejected_because_it_would_extend_the_deadlines() =>
        Given(F.Reported()).When(FollowUp(new IncidentRevision(BecameAwareAt: F.T0.AddHours(1)))).ThenRejected("report.awareness_moved_later");

    [Fact]
    public void A_final_non_reportable_report_withdraws_the_running_clocks()
    {
        var amend = new AmendReport(F.IncidentId, ReportType.FinalNonReportable, "Investigation complete", null, "The delay was caused by a staffing shortage, not the system.", F.Provider, F.T0.AddDays(4));
        var events = Given(F.Reported()).When(amend).Events;
        var withdrawn = Assert.IsType<ReportingClockWithdrawn>(events[1]);
        Assert.Equal("eu-ai-act/art73", withdrawn.ClockId);
        Assert.Contains("staffing shortage", withdrawn.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Repeating_the_identical_amendment_is_a_no_op()
    {
        var amend = FollowUp();
        Given([.. F.Reported(), .. Given(F.Reported()).When(amend).Events]).When(amend).ThenNothing();
    }

    [Fact]
    public void An_amendment_cannot_be_an_initial_report() =>
        Given(F.Reported()).When(FollowUp() with { ReportType = ReportType.Initial }).ThenRejected("report.type_invalid");

    [Fact]
    public void No_report_follows_a_final_report_until_the_incident_is_reopened()
    {
        var final = new AmendReport(F.IncidentId, ReportType.Final, "Final report", null, null, F.Provider, F.T0.AddDays(5));
        Given([.. F.Reported(), .. Given(F.Reported()).When(final).Events]).When(FollowUp(now: F.T0.AddDays(6))).ThenRejected("report.final_already_filed");
    }

    [Fact]
    public void A_final_non_reportable_report_without_a_rationale_is_rejected() =>
        Given(F.Reported()).When(FollowUp() with { ReportType = ReportType.FinalNonReportable }).ThenRejected("report.rationale_missing");

    [Fact]
    public void A_follow_up_report_with_a_non_reportable_rationale_is_rejected() =>
        Given(F.Reported()).When(FollowUp() with { NonReportableRationale = "Not reportable" }).ThenRejected("report.rationale_missing");

    [Fact]
    public void A_report_without_a_summary_is_rejected() =>
        Given(F.Reported()).When(FollowUp(summary: "")).ThenRejected("report.summary_missing");

    [Fact]
    public void Only_the_reporting_organisation_files_follow_up_reports() =>
        Given(F.Reported()).When(FollowUp(actor: F.Deployer)).ThenRejected("report.not_reporting_organisation");

    [Fact]
    public void A_revision_with_inconsistent_criteria_is_rejected() =>
        Given(F.Reported()).When(FollowUp(new IncidentRevision(Classification: F.Classified(OecdLevel.Hazard, [EuCriterion.Death], HarmType.Physical)))).ThenRejected("incident.eu_criteria_below_serious");

    [Fact]
    public void A_revision_removing_every_system_is_rejected() =>
        Given(F.Reported()).When(FollowUp(new IncidentRevision(Systems: []))).ThenRejected("incident.system_missing");

    [Fact]
    public void A_revision_naming_a_system_without_its_version_is_rejected() =>
        Given(F.Reported()).When(FollowUp(new IncidentRevision(Systems: [F.HighRiskSystem with { Version = "" }]))).ThenRejected("incident.system_invalid");

    [Fact]
    public void A_revision_whose_causal_link_states_nothing_is_rejected() =>
        Given(F.Reported()).When(FollowUp(new IncidentRevision(CausalLink: F.Report().CausalLink with { Statement = " " }))).ThenRejected("incident.causal_link_missing");

    [Fact]
    public void An_amendment_to_an_unknown_incident_is_rejected() =>
        GivenNothing().When(FollowUp()).ThenRejected("incident.unknown");

    [Fact]
    public void A_revision_moving_the_incident_out_of_the_EU_withdraws_the_EU_clock()
    {
        var events = Given(F.Reported()).When(FollowUp(new IncidentRevision(Jurisdictions: ["CH"]))).Events;
        Assert.Equal("eu-ai-act/art73", Assert.IsType<ReportingClockWithdrawn>(events[1]).ClockId);
    }

    [Fact]
    public void The_revised_details_replace_the_old_ones_in_the_incident_file()
    {
        var events = Given(F.Reported()).When(FollowUp(new IncidentRevision(Title: "Revised title", PeopleAffected: 3))).Events;
        var file = F.FileOf([.. F.Reported(), .. events]);
        Assert.Equal(("Revised title", 3), (file.Title, file.PeopleAffected));
        Assert.Equal(ClockStatus.Running, file.Clocks["eu-ai-act/art73"].Status);
    }
}
