using IncidentLedger.Domain.Deadlines;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Taxonomies;
using static IncidentLedger.Domain.Tests.IncidentSpec;

namespace IncidentLedger.Domain.Tests.Incidents;

public class NotificationTests
{
    public static NotifyRegulator ToMsa(DateTimeOffset at, ReportType type = ReportType.Initial, Guid? id = null, string jurisdiction = "DE", Recipient authority = Recipient.MarketSurveillanceAuthority, Actor? actor = null, string? reference = "BNetzA-KI-2026-0042") =>
        new(F.IncidentId, id ?? F.Id(100), authority, "Bundesnetzagentur (KI-Marktüberwachung)", jurisdiction, type, reference, actor ?? F.Provider, at);

    [Fact]
    public void A_notification_to_the_market_surveillance_authority_in_time_meets_the_art73_clock() =>
        Given(F.Reported()).When(ToMsa(F.T0.AddDays(3))).Then(
            new RegulatorNotified(F.IncidentId, F.Id(100), Recipient.MarketSurveillanceAuthority, "Bundesnetzagentur (KI-Marktüberwachung)", "DE", ReportType.Initial, "BNetzA-KI-2026-0042", F.T0.AddDays(3), F.ProviderOrg, F.Provider.Subject),
            new ReportingClockMet(F.IncidentId, "eu-ai-act/art73", F.Id(100), F.T0.AddDays(3), F.T0.AddDays(15)));

    [Fact]
    public void A_notification_exactly_at_the_due_time_meets_the_clock() =>
        Assert.IsType<ReportingClockMet>(Given(F.Reported()).When(ToMsa(F.T0.AddDays(15))).Events[1]);

    [Fact]
    public void A_late_notification_breaches_the_clock_and_does_not_meet_it()
    {
        var late = F.T0.AddDays(15).AddMinutes(1);
        Given(F.Reported()).When(ToMsa(late)).Then(
            new RegulatorNotified(F.IncidentId, F.Id(100), Recipient.MarketSurveillanceAuthority, "Bundesnetzagentur (KI-Marktüberwachung)", "DE", ReportType.Initial, "BNetzA-KI-2026-0042", late, F.ProviderOrg, F.Provider.Subject),
            new ReportingClockBreached(F.IncidentId, "eu-ai-act/art73", F.T0.AddDays(15), late, F.Id(100)));
    }

    [Fact]
    public void A_notification_to_the_wrong_kind_of_authority_leaves_the_clock_running() =>
        Assert.IsType<RegulatorNotified>(Assert.Single(Given(F.Reported()).When(ToMsa(F.T0.AddDays(1), authority: Recipient.DataProtectionAuthority)).Events));

    [Fact]
    public void A_follow_up_notification_does_not_meet_the_clock()
    {
        var amended = F.Run(F.Report(), new AmendReport(F.IncidentId, ReportType.FollowUp, "More", null, null, F.Provider, F.T0.AddDays(1)));
        Assert.Single(Given(amended).When(ToMsa(F.T0.AddDays(2), ReportType.FollowUp)).Events);
    }

    [Fact]
    public void A_final_report_sent_in_time_closes_the_reporting_clock()
    {
        var finalFiled = F.Run(F.Report(), new AmendReport(F.IncidentId, ReportType.Final, "Final report with root cause", null, null, F.Provider, F.T0.AddDays(4)));
        var events = Given(finalFiled).When(ToMsa(F.T0.AddDays(5), ReportType.Final)).Events;
        Assert.IsType<ReportingClockMet>(events[1]);
    }

    [Fact]
    public void A_notification_of_a_report_that_was_never_filed_is_rejected() =>
        Given(F.Reported()).When(ToMsa(F.T0.AddDays(1), ReportType.Final)).ThenRejected("notification.report_not_filed");

    [Fact]
    public void A_notification_to_an_authority_of_another_jurisdiction_is_rejected() =>
        Given(F.Reported()).When(ToMsa(F.T0.AddDays(1), jurisdiction: "FR")).ThenRejected("notification.outside_jurisdictions");

    [Fact]
    public void A_notification_to_the_AI_Office_for_the_EU_meets_the_GPAI_clock_of_an_incident_in_a_member_state()
    {
        var reported = F.Reported(F.Report(F.Classified(OecdLevel.Incident, [], HarmType.ModelTheft), systems: [F.ChatbotOnGpai]));
        var events = Given(reported).When(ToMsa(F.T0.AddDays(2), jurisdiction: "EU", authority: Recipient.AiOffice)).Events;
        Assert.Equal("eu-ai-act/gpai-systemic-risk", Assert.IsType<ReportingClockMet>(events[1]).ClockId);
    }

    [Fact]
    public void A_notification_addressed_to_a_provider_must_use_NotifyProvider() =>
        Given(F.Reported()).When(ToMsa(F.T0.AddDays(1), authority: Recipient.Provider)).ThenRejected("notification.use_notify_provider");

    [Fact]
    public void A_notification_without_the_authority_name_is_rejected() =>
        Given(F.Reported()).When(ToMsa(F.T0.AddDays(1)) with { AuthorityName = "" }).ThenRejected("notification.authority_missing");

    [Fact]
    public void A_notification_without_an_id_is_rejected() =>
        Given(F.Reported()).When(ToMsa(F.T0.AddDays(1), id: Guid.Empty)).ThenRejected("notification.id_missing");

    [Fact]
    public void A_notification_reference_over_300_characters_is_rejected() =>
        Given(F.Reported()).When(ToMsa(F.T0.AddDays(1), reference: new string('x', 301))).ThenRejected("notification.reference_too_long");

    [Fact]
    public void A_notification_to_an_unknown_jurisdiction_code_is_rejected() =>
        Given(F.Reported()).When(ToMsa(F.T0.AddDays(1), jurisdiction: "Germany")).ThenRejected("notification.jurisdiction_invalid");

    [Fact]
    public void Repeating_a_notification_is_a_no_op()
    {
        var notify = ToMsa(F.T0.AddDays(1));
        Given(F.Run(F.Report(), notify)).When(notify).ThenNothing();
    }

    [Fact]
    public void Reusing_a_notification_id_for_a_different_notification_is_rejected() =>
        Given(F.Run(F.Report(), ToMsa(F.T0.AddDays(1)))).When(ToMsa(F.T0.AddDays(2), reference: "other")).ThenRejected("notification.id_reused");

    [Fact]
    public void An_insurer_cannot_record_a_notification() =>
        Given(F.Reported()).When(ToMsa(F.T0.AddDays(1), actor: F.Insurer)).ThenRejected("incident.role_not_permitted");

    private static ReportIncident DeployerReport() => F.Report(reporterRole: ReporterRole.Deployer, actor: F.Deployer);

    private static NotifyProvider ToProvider(DateTimeOffset at, Guid? provider = null, Actor? actor = null) =>
        new(F.IncidentId, F.Id(200), provider ?? F.ProviderOrg, ReportType.Initial, "ticket 7781", actor ?? F.Deployer, at);

    [Fact]
    public void A_deployer_informing_the_provider_within_24_hours_meets_the_art26_5_clock() =>
        Given(F.Reported(DeployerReport())).When(ToProvider(F.T0.AddHours(20))).Then(
            new ProviderNotified(F.IncidentId, F.Id(200), F.ProviderOrg, ReportType.Initial, "ticket 7781", F.T0.AddHours(20), F.DeployerOrg, F.Deployer.Subject),
            new ReportingClockMet(F.IncidentId, "eu-ai-act/art26-5", F.Id(200), F.T0.AddHours(20), F.T0.AddHours(24)));

    [Fact]
    public void Informing_the_provider_after_24_hours_breaches_the_art26_5_clock() =>
        Assert.IsType<ReportingClockBreached>(Given(F.Reported(DeployerReport())).When(ToProvider(F.T0.AddHours(30))).Events[1]);

    [Fact]
    public void Notifying_an_organisation_that_provides_none_of_the_systems_is_rejected() =>
        Given(F.Reported(DeployerReport())).When(ToProvider(F.T0.AddHours(1), F.OutsiderOrg)).ThenRejected("notification.not_a_provider");

    [Fact]
    public void A_provider_does_not_notify_itself() =>
        Given(F.Reported(DeployerReport())).When(ToProvider(F.T0.AddHours(1), actor: F.Provider)).ThenRejected("notification.provider_notifies_itself");

    [Fact]
    public void A_regulator_does_not_record_a_deployer_to_provider_notification() =>
        Given(F.Reported(DeployerReport())).When(ToProvider(F.T0.AddHours(1), actor: F.RegulatorDe)).ThenRejected("incident.role_not_permitted");

    [Fact]
    public void A_notification_to_the_provider_without_an_id_is_rejected() =>
        Given(F.Reported(DeployerReport())).When(ToProvider(F.T0.AddHours(1)) with { NotificationId = Guid.Empty }).ThenRejected("notification.id_missing");

    [Fact]
    public void A_provider_notification_reference_over_300_characters_is_rejected() =>
        Given(F.Reported(DeployerReport())).When(ToProvider(F.T0.AddHours(1)) with { Reference = new string('x', 301) }).ThenRejected("notification.reference_too_long");

    [Fact]
    public void Checking_the_clocks_after_the_due_time_records_the_breach() =>
        Given(F.Reported()).When(new CheckReportingClocks(F.IncidentId, F.Admin, F.T0.AddDays(16))).Then(
            new ReportingClockBreached(F.IncidentId, "eu-ai-act/art73", F.T0.AddDays(15), F.T0.AddDays(16), null));

    [Fact]
    public void Checking_the_clocks_before_the_due_time_records_nothing() =>
        Given(F.Reported()).When(new CheckReportingClocks(F.IncidentId, F.Admin, F.T0.AddDays(14))).ThenNothing();

    [Fact]
    public void A_breach_is_recorded_once()
    {
        var check = new CheckReportingClocks(F.IncidentId, F.Admin, F.T0.AddDays(16));
        Given(F.Run(F.Report(), check)).When(check with { Now = F.T0.AddDays(17) }).ThenNothing();
    }

    [Fact]
    public void A_notification_after_a_recorded_breach_leaves_the_clock_breached()
    {
        var breached = F.Run(F.Report(), new CheckReportingClocks(F.IncidentId, F.Admin, F.T0.AddDays(16)));
        var events = Given(breached).When(ToMsa(F.T0.AddDays(17))).Events;
        Assert.IsType<RegulatorNotified>(Assert.Single(events));
        Assert.Equal(ClockStatus.Breached, F.FileOf([.. breached, .. events]).Clocks["eu-ai-act/art73"].Status);
    }

    [Fact]
    public void Checking_the_clocks_of_an_unknown_incident_is_rejected() =>
        GivenNothing().When(new CheckReportingClocks(F.IncidentId, F.Admin, F.T0)).ThenRejected("incident.unknown");
}
