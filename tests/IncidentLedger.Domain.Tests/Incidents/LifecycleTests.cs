using IncidentLedger.Domain.Deadlines;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Taxonomies;
using static IncidentLedger.Domain.Tests.IncidentSpec;

namespace IncidentLedger.Domain.Tests.Incidents;

public class LifecycleTests
{
    private static readonly IIncidentEvent[] Notified = F.Run(F.Report(), NotificationTests.ToMsa(F.T0.AddDays(2)));

    private static CloseIncident Close(IncidentResolution resolution = IncidentResolution.Resolved, Actor? actor = null, int day = 20, string summary = "Thresholds recalibrated and validated; compensation settled.") =>
        new(F.IncidentId, resolution, summary, actor ?? F.Provider, F.T0.AddDays(day));

    private static ReopenIncident Reopen(Actor? actor = null, int day = 30) =>
        new(F.IncidentId, "A second patient was affected by the same thresholds.", actor ?? F.RegulatorDe, F.T0.AddDays(day));

    [Fact]
    public void An_incident_whose_clocks_are_met_is_closed() =>
        Given(Notified).When(Close()).Then(new IncidentClosed(F.IncidentId, IncidentResolution.Resolved, "Thresholds recalibrated and validated; compensation settled.", F.T0.AddDays(20), F.Provider.Subject, ActorRole.Operator));

    [Fact]
    public void An_incident_with_a_running_clock_that_is_not_yet_due_cannot_be_closed() =>
        Given(F.Reported()).When(Close(day: 3)).ThenRejected("incident.reporting_clock_running");

    [Fact]
    public void Closing_after_a_missed_deadline_records_the_breach_first()
    {
        var events = Given(F.Reported()).When(Close(day: 20)).Events;
        Assert.IsType<ReportingClockBreached>(events[0]);
        Assert.IsType<IncidentClosed>(events[1]);
    }

    [Fact]
    public void An_incident_cannot_be_closed_as_resolved_while_accountability_is_disputed() =>
        Given(F.Run(
                F.Report(),
                NotificationTests.ToMsa(F.T0.AddDays(2)),
                AccountabilityTests.Assign(1, F.ProviderOrg, 50),
                new DisputeAccountability(F.IncidentId, F.Id(1), "The deployer changed the thresholds.", null, F.Provider, F.T0.AddDays(4))))
            .When(Close()).ThenRejected("incident.unresolved_dispute");

    [Fact]
    public void An_incident_is_closed_as_a_duplicate_only_once_linked_to_the_original() =>
        Given(Notified).When(Close(IncidentResolution.Duplicate)).ThenRejected("incident.duplicate_without_link");

    [Fact]
    public void Only_the_reporting_organisation_a_regulator_or_an_admin_closes_an_incident() =>
        Given(Notified).When(Close(actor: F.Deployer)).ThenRejected("incident.not_reporting_organisation");

    [Fact]
    public void A_closing_summary_is_required() =>
        Given(Notified).When(Close(summary: "")).ThenRejected("incident.closing_summary_missing");

    [Fact]
    public void Repeating_the_close_is_a_no_op() =>
        Given([.. Notified, .. Given(Notified).When(Close()).Events]).When(Close()).ThenNothing();

    [Fact]
    public void Closing_a_closed_incident_differently_is_rejected() =>
        Given([.. Notified, .. Given(Notified).When(Close()).Events]).When(Close(IncidentResolution.NoHarm, day: 21)).ThenRejected("incident.closed");

    [Fact]
    public void Closed_incident_rejects_new_accountability_assignment() =>
        Given([.. Notified, .. Given(Notified).When(Close()).Events]).When(AccountabilityTests.Assign(1, F.ProviderOrg, 50)).ThenRejected("incident.closed");

    [Fact]
    public void Closed_incident_rejects_new_evidence() =>
        Given([.. Notified, .. Given(Notified).When(Close()).Events])
            .When(new AttachEvidence(F.IncidentId, new string('a', 64), 1, "text/plain", EvidenceKind.Document, "vault", null, F.Provider, F.T0.AddDays(21)))
            .ThenRejected("incident.closed");

    [Fact]
    public void Checking_the_clocks_of_a_closed_incident_records_nothing() =>
        Given([.. Notified, .. Given(Notified).When(Close()).Events]).When(new CheckReportingClocks(F.IncidentId, F.Admin, F.T0.AddDays(99))).ThenNothing();

    [Fact]
    public void A_regulator_reopens_a_closed_incident()
    {
        var closed = F.Run(F.Report(), NotificationTests.ToMsa(F.T0.AddDays(2)), Close());
        Given(closed).When(Reopen()).Then(new IncidentReopened(F.IncidentId, "A second patient was affected by the same thresholds.", F.T0.AddDays(30), F.RegulatorDe.Subject, ActorRole.Regulator));
    }

    [Fact]
    public void A_reopened_incident_accepts_reports_again_even_after_a_final_report()
    {
        var closed = F.Run(
            F.Report(),
            new AmendReport(F.IncidentId, ReportType.Final, "Final", null, null, F.Provider, F.T0.AddDays(1)),
            NotificationTests.ToMsa(F.T0.AddDays(2), ReportType.Final),
            Close(),
            Reopen());
        Assert.Single(Given(closed).When(new AmendReport(F.IncidentId, ReportType.FollowUp, "Second patient", null, null, F.Provider, F.T0.AddDays(31))).Events);
    }

    [Fact]
    public void An_open_incident_cannot_be_reopened() =>
        Given(Notified).When(Reopen()).ThenRejected("incident.not_closed");

    [Fact]
    public void An_unknown_incident_cannot_be_reopened() =>
        GivenNothing().When(Reopen()).ThenRejected("incident.unknown");

    [Fact]
    public void Repeating_the_reopen_is_a_no_op()
    {
        var reopened = F.Run(F.Report(), NotificationTests.ToMsa(F.T0.AddDays(2)), Close(), Reopen());
        Given(reopened).When(Reopen()).ThenNothing();
    }

    [Fact]
    public void Reopening_needs_a_reason() =>
        Given(F.Run(F.Report(), NotificationTests.ToMsa(F.T0.AddDays(2)), Close())).When(Reopen() with { Reason = "" }).ThenRejected("incident.reopen_reason_missing");

    [Fact]
    public void An_outside_operator_cannot_reopen() =>
        Given(F.Run(F.Report(), NotificationTests.ToMsa(F.T0.AddDays(2)), Close())).When(Reopen(F.Outsider)).ThenRejected("incident.not_reporting_organisation");

    private static LinkIncident External(string? id = "AIID-0000", string? url = "https://incidentdatabase.ai/cite/0000", ExternalDatabase? db = ExternalDatabase.Aiid) =>
        new(F.IncidentId, LinkKind.SameAsExternal, null, db, id, url, "Same event", F.Provider, F.T0.AddDays(1));

    [Fact]
    public void An_incident_is_linked_to_the_same_event_in_an_outside_database() =>
        Given(F.Reported()).When(External()).Then(new IncidentLinked(
            F.IncidentId, LinkKind.SameAsExternal, null, ExternalDatabase.Aiid, "AIID-0000", "https://incidentdatabase.ai/cite/0000", "Same event", F.T0.AddDays(1), F.Provider.Subject));

    [Fact]
    public void An_incident_is_linked_as_related_to_another_incident() =>
        Assert.Single(Given(F.Reported()).When(new LinkIncident(F.IncidentId, LinkKind.RelatedTo, F.OtherIncidentId, null, null, null, null, F.RegulatorDe, F.T0)).Events);

    [Fact]
    public void An_incident_cannot_be_linked_to_itself() =>
        Given(F.Reported()).When(new LinkIncident(F.IncidentId, LinkKind.DuplicateOf, F.IncidentId, null, null, null, null, F.Provider, F.T0)).ThenRejected("link.self");

    [Fact]
    public void A_related_link_names_the_other_incident() =>
        Given(F.Reported()).When(new LinkIncident(F.IncidentId, LinkKind.RelatedTo, null, null, null, null, null, F.Provider, F.T0)).ThenRejected("link.target_missing");

    [Fact]
    public void An_external_link_names_the_database_entry() =>
        Given(F.Reported()).When(External(id: null, url: null)).ThenRejected("link.external_reference_missing");

    [Fact]
    public void An_external_link_needs_an_http_URL() =>
        Given(F.Reported()).When(External(url: "ftp://example.org/x")).ThenRejected("link.url_invalid");

    [Fact]
    public void An_external_id_over_300_characters_is_rejected() =>
        Given(F.Reported()).When(External(id: new string('7', 301))).ThenRejected("link.external_id_invalid");

    [Fact]
    public void A_link_note_over_2000_characters_is_rejected() =>
        Given(F.Reported()).When(External() with { Note = new string('x', 2001) }).ThenRejected("link.note_too_long");

    [Fact]
    public void An_external_link_does_not_also_name_a_ledger_incident() =>
        Given(F.Reported()).When(External() with { TargetIncidentId = F.OtherIncidentId }).ThenRejected("link.target_not_external");

    [Theory]
    [InlineData(ExternalDatabase.Aiid, null)]
    [InlineData(null, "AIID-0000")]
    public void A_link_to_a_ledger_incident_does_not_also_name_an_outside_entry(ExternalDatabase? database, string? externalId) =>
        Given(F.Reported()).When(new LinkIncident(F.IncidentId, LinkKind.RelatedTo, F.OtherIncidentId, database, externalId, null, null, F.Provider, F.T0)).ThenRejected("link.target_not_external");

    [Fact]
    public void Repeating_a_link_is_a_no_op() =>
        Given(F.Run(F.Report(), External())).When(External()).ThenNothing();

    [Fact]
    public void The_same_link_with_a_different_note_is_rejected() =>
        Given(F.Run(F.Report(), External())).When(External() with { Note = "changed" }).ThenRejected("link.already_linked");

    [Fact]
    public void A_duplicate_linked_to_its_original_can_be_closed_as_a_duplicate()
    {
        var linked = F.Run(F.Report(), NotificationTests.ToMsa(F.T0.AddDays(2)), new LinkIncident(F.IncidentId, LinkKind.DuplicateOf, F.OtherIncidentId, null, null, null, null, F.Provider, F.T0.AddDays(3)));
        Assert.IsType<IncidentClosed>(Assert.Single(Given(linked).When(Close(IncidentResolution.Duplicate)).Events));
    }

    [Fact]
    public void The_file_counts_every_event_folded_into_it() =>
        Assert.Equal(Notified.Length, F.FileOf(Notified).Version);

    [Fact]
    public void The_clock_state_follows_the_recorded_events()
    {
        var clock = F.FileOf(Notified).Clocks["eu-ai-act/art73"];
        Assert.Equal((ClockStatus.Met, F.T0.AddDays(2)), (clock.Status, clock.MetAt));
        Assert.Equal(ClockStatus.Met, clock.StatusAt(F.T0.AddDays(100)));
    }

    [Fact]
    public void A_running_clock_counts_as_breached_once_past_due_even_before_it_is_recorded()
    {
        var clock = F.FileOf(F.Reported()).Clocks["eu-ai-act/art73"];
        Assert.Equal(ClockStatus.Running, clock.StatusAt(F.T0.AddDays(15)));
        Assert.Equal(ClockStatus.Breached, clock.StatusAt(F.T0.AddDays(15).AddSeconds(1)));
        Assert.Equal(TimeSpan.FromDays(1), clock.OverdueBy(F.T0.AddDays(16)));
    }

    [Fact]
    public void The_severity_grade_reads_as_autonomy_and_grade() =>
        Assert.Equal("human_machine_hybrid/high", new SeverityGrade(AutonomyClass.HumanMachineHybrid, CaictGrade.High).ToString());
}
