using IncidentLedger.Domain.Deadlines;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Taxonomies;
using static IncidentLedger.Domain.Tests.IncidentSpec;

namespace IncidentLedger.Domain.Tests.Incidents;

public class ReportIncidentTests
{
    private static ReportingClockStarted Art73(string rule, string title, string citation, TimeSpan period, string jurisdiction = "DE") => new(
        F.IncidentId, "eu-ai-act/art73", rule, "2024.1689.1", title, citation, jurisdiction, PartyRole.Provider,
        [Recipient.MarketSurveillanceAuthority], [ReportType.Initial, ReportType.CombinedInitialFinal, ReportType.Final], F.T0, F.T0 + period);

    [Fact]
    public void Serious_incident_with_a_high_risk_system_in_Germany_is_recorded_and_starts_the_15_day_art73_clock()
    {
        var report = F.Report();
        GivenNothing().When(report).Then(
            new IncidentReported(
                F.IncidentId, report.Title, report.Description, report.OccurredAt, F.T0, F.T0.AddHours(2), ["DE"], [F.HighRiskSystem],
                Sector.Healthcare, new Classification(OecdLevel.SeriousIncident, [EuCriterion.SeriousHarmToHealth], [HarmType.Physical]), 1,
                ReporterRole.Provider, report.CausalLink, report.InitialSeverity, ReportType.Initial, F.ProviderOrg, F.Provider.Subject),
            Art73("eu-ai-act/art73/general", "Serious incident involving a high-risk AI system", "Art. 73(1)-(2)", TimeSpan.FromDays(15)));
    }

    [Fact]
    public void A_death_starts_the_art73_clock_under_the_10_day_rule()
    {
        var events = GivenNothing().When(F.Report(F.Classified(OecdLevel.SeriousIncident, [EuCriterion.Death], HarmType.Physical))).Events;
        Assert.Equal(Art73("eu-ai-act/art73/death", "Death of a person", "Art. 73(4)", TimeSpan.FromDays(10)), events[1] as ReportingClockStarted, SameJson.Comparer);
    }

    [Fact]
    public void Critical_infrastructure_disruption_starts_the_art73_clock_under_the_2_day_rule_even_with_a_death()
    {
        var classification = F.Classified(OecdLevel.Disaster, [EuCriterion.Death, EuCriterion.CriticalInfrastructureDisruption], HarmType.Physical, HarmType.CriticalInfrastructure);
        var clock = Assert.IsType<ReportingClockStarted>(GivenNothing().When(F.Report(classification, sector: Sector.Energy)).Events[1]);
        Assert.Equal("eu-ai-act/art73/critical", clock.RuleId);
        Assert.Equal(F.T0.AddDays(2), clock.DueAt);
    }

    [Fact]
    public void A_deployer_report_also_starts_the_24_hour_clock_to_inform_the_provider()
    {
        var events = GivenNothing().When(F.Report(reporterRole: ReporterRole.Deployer, actor: F.Deployer)).Events;
        var clocks = events.OfType<ReportingClockStarted>().ToDictionary(c => c.ClockId);
        Assert.Equal(["eu-ai-act/art26-5", "eu-ai-act/art73"], clocks.Keys.Order());
        Assert.Equal(F.T0.AddHours(24), clocks["eu-ai-act/art26-5"].DueAt);
        Assert.Equal([Recipient.Provider], clocks["eu-ai-act/art26-5"].Recipients);
        Assert.Equal(PartyRole.Deployer, clocks["eu-ai-act/art26-5"].ObligedParty);
    }

    [Fact]
    public void A_weights_exfiltration_from_a_system_built_on_a_systemic_risk_model_starts_the_5_day_AI_Office_clock()
    {
        var classification = F.Classified(OecdLevel.Incident, [], HarmType.ModelTheft);
        var events = GivenNothing().When(F.Report(classification, systems: [F.ChatbotOnGpai], sector: Sector.ContentServices)).Events;
        var clock = Assert.Single(events.OfType<ReportingClockStarted>());
        Assert.Equal(("eu-ai-act/gpai-systemic-risk", "eu-ai-act/gpai/cybersecurity", F.T0.AddDays(5)), (clock.ClockId, clock.RuleId, clock.DueAt));
        Assert.Equal([Recipient.AiOffice], clock.Recipients);
    }

    [Fact]
    public void An_incident_in_China_starts_the_clock_of_the_illustrative_CAC_rule_set_and_no_EU_clock()
    {
        var classification = F.Classified(OecdLevel.Incident, [], HarmType.Disinformation, HarmType.Economic);
        var events = GivenNothing().When(F.Report(classification, jurisdictions: ["CN"], actor: F.RegulatorCn, reporterRole: ReporterRole.Authority)).Events;
        var clock = Assert.Single(events.OfType<ReportingClockStarted>());
        Assert.Equal(("cn-cac-illustrative/generative-ai-content", "CN", F.T0.AddHours(24)), (clock.ClockId, clock.Jurisdiction, clock.DueAt));
    }

    [Fact]
    public void A_hazard_starts_no_reporting_clock()
    {
        var events = GivenNothing().When(F.Report(F.Classified(OecdLevel.Hazard, [], HarmType.Physical))).Events;
        Assert.IsType<IncidentReported>(Assert.Single(events));
    }

    [Fact]
    public void An_incident_outside_every_rule_set_starts_no_clock()
    {
        var events = GivenNothing().When(F.Report(jurisdictions: ["US"], actor: F.Provider)).Events;
        Assert.IsType<IncidentReported>(Assert.Single(events));
    }

    [Fact]
    public void Jurisdictions_are_normalised_to_upper_case_without_duplicates()
    {
        var reported = Assert.IsType<IncidentReported>(GivenNothing().When(F.Report(jurisdictions: ["de", "FR", " DE "])).Events[0]);
        Assert.Equal(["DE", "FR"], reported.Jurisdictions);
    }

    [Fact]
    public void Repeating_the_identical_report_is_a_no_op() =>
        Given(F.Reported()).When(F.Report()).ThenNothing();

    [Fact]
    public void Reporting_an_already_reported_incident_with_different_content_is_rejected() =>
        Given(F.Reported()).When(F.Report(title: "Another title")).ThenRejected("incident.already_reported");

    [Fact]
    public void Becoming_aware_after_the_report_time_is_rejected() =>
        GivenNothing().When(F.Report(becameAwareAt: F.T0.AddHours(3), now: F.T0.AddHours(2))).ThenRejected("incident.aware_after_report");

    [Fact]
    public void Becoming_aware_before_the_incident_occurred_is_rejected() =>
        GivenNothing().When(F.Report(occurredAt: F.T0.AddHours(1))).ThenRejected("incident.aware_before_occurrence");

    [Fact]
    public void A_report_without_a_title_is_rejected() =>
        GivenNothing().When(F.Report(title: "  ")).ThenRejected("incident.title_missing");

    [Fact]
    public void A_report_without_a_description_is_rejected() =>
        GivenNothing().When(F.Report() with { Description = "" }).ThenRejected("incident.description_missing");

    [Fact]
    public void A_report_without_a_jurisdiction_is_rejected() =>
        GivenNothing().When(F.Report(jurisdictions: [])).ThenRejected("incident.jurisdiction_missing");

    [Fact]
    public void A_report_with_an_unknown_jurisdiction_code_is_rejected() =>
        GivenNothing().When(F.Report(jurisdictions: ["Germany"])).ThenRejected("incident.jurisdiction_invalid");

    [Fact]
    public void A_report_without_an_AI_system_is_rejected() =>
        GivenNothing().When(F.Report(systems: [])).ThenRejected("incident.system_missing");

    [Fact]
    public void A_report_listing_the_same_system_twice_is_rejected() =>
        GivenNothing().When(F.Report(systems: [F.HighRiskSystem, F.HighRiskSystem])).ThenRejected("incident.system_repeated");

    private static readonly Dictionary<string, InvolvedSystem> IncompleteSystems = new()
    {
        ["without its system id"] = F.HighRiskSystem with { SystemId = Guid.Empty },
        ["without its provider id"] = F.HighRiskSystem with { ProviderId = Guid.Empty },
        ["without a name"] = F.HighRiskSystem with { Name = " " },
        ["with a name over 300 characters"] = F.HighRiskSystem with { Name = new string('x', 301) },
        ["without a version"] = F.HighRiskSystem with { Version = "" },
        ["with a version over 100 characters"] = F.HighRiskSystem with { Version = new string('1', 101) },
        ["with a foundation model tier but no foundation model"] = F.ChatbotOnGpai with { FoundationModelId = null },
    };

    public static TheoryData<string> IncompleteSystemFlaws => new(IncompleteSystems.Keys);

    [Theory]
    [MemberData(nameof(IncompleteSystemFlaws))]
    public void A_report_naming_an_AI_system_that_is_incomplete_is_rejected(string flaw) =>
        GivenNothing().When(F.Report(systems: [IncompleteSystems[flaw]])).ThenRejected("incident.system_invalid");

    [Fact]
    public void A_report_without_harm_types_is_rejected() =>
        GivenNothing().When(F.Report(F.Classified(OecdLevel.Incident, []))).ThenRejected("incident.harm_types_missing");

    [Fact]
    public void EU_serious_incident_criteria_on_an_incident_below_serious_are_rejected() =>
        GivenNothing().When(F.Report(F.Classified(OecdLevel.Incident, [EuCriterion.SeriousHarmToHealth], HarmType.Physical))).ThenRejected("incident.eu_criteria_below_serious");

    [Fact]
    public void A_death_without_physical_harm_is_rejected() =>
        GivenNothing().When(F.Report(F.Classified(OecdLevel.SeriousIncident, [EuCriterion.Death], HarmType.Economic))).ThenRejected("incident.criterion_without_harm");

    [Fact]
    public void A_negative_count_of_people_affected_is_rejected() =>
        GivenNothing().When(F.Report(peopleAffected: -1)).ThenRejected("incident.people_affected_negative");

    [Fact]
    public void A_report_without_an_incident_id_is_rejected() =>
        GivenNothing().When(F.Report() with { IncidentId = Guid.Empty }).ThenRejected("incident.id_missing");

    [Fact]
    public void A_report_without_a_classification_is_rejected() =>
        GivenNothing().When(F.Report() with { Classification = null! }).ThenRejected("incident.classification_missing");

    [Fact]
    public void A_report_without_a_causal_link_is_rejected() =>
        GivenNothing().When(F.Report() with { CausalLink = null! }).ThenRejected("incident.causal_link_missing");

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_report_whose_causal_link_states_nothing_is_rejected(string statement) =>
        GivenNothing().When(F.Report() with { CausalLink = F.Report().CausalLink with { Statement = statement } }).ThenRejected("incident.causal_link_missing");

    [Fact]
    public void An_operator_reporting_as_provider_of_a_system_it_does_not_provide_is_rejected() =>
        GivenNothing().When(F.Report(actor: F.Deployer)).ThenRejected("incident.reporter_not_provider");

    [Fact]
    public void An_operator_reporting_as_deployer_of_a_system_it_does_not_deploy_is_rejected() =>
        GivenNothing().When(F.Report(reporterRole: ReporterRole.Deployer, actor: F.Outsider)).ThenRejected("incident.reporter_not_deployer");

    [Fact]
    public void An_operator_cannot_report_as_an_authority() =>
        GivenNothing().When(F.Report(reporterRole: ReporterRole.Authority, actor: F.Outsider)).ThenRejected("incident.reporter_not_authority");

    [Fact]
    public void A_member_of_the_public_may_report_through_any_operator_organisation() =>
        Assert.IsType<IncidentReported>(GivenNothing().When(F.Report(reporterRole: ReporterRole.Public, actor: F.Outsider)).Events[0]);

    [Fact]
    public void An_insurer_cannot_report_an_incident() =>
        GivenNothing().When(F.Report(actor: F.Insurer)).ThenRejected("incident.role_cannot_report");

    [Fact]
    public void A_regulator_cannot_report_an_incident_outside_its_jurisdictions() =>
        GivenNothing().When(F.Report(actor: F.RegulatorFr, reporterRole: ReporterRole.Authority)).ThenRejected("incident.regulator_outside_jurisdiction");

    [Fact]
    public void An_EU_level_regulator_may_report_an_incident_in_a_member_state() =>
        Assert.IsType<IncidentReported>(GivenNothing().When(F.Report(actor: F.AiOffice, reporterRole: ReporterRole.Authority)).Events[0]);

    [Fact]
    public void An_incident_cannot_first_be_reported_as_a_follow_up() =>
        GivenNothing().When(F.Report(reportType: ReportType.FollowUp)).ThenRejected("report.type_invalid");

    [Fact]
    public void A_combined_initial_and_final_report_closes_reporting_so_no_amendment_follows()
    {
        var reported = F.Reported(F.Report(reportType: ReportType.CombinedInitialFinal));
        Given(reported)
            .When(new AmendReport(F.IncidentId, ReportType.FollowUp, "More detail", null, null, F.Provider, F.T0.AddDays(1)))
            .ThenRejected("report.final_already_filed");
    }

    [Fact]
    public void A_command_without_an_acting_subject_is_rejected() =>
        GivenNothing().When(F.Report(actor: F.Provider with { Subject = "" })).ThenRejected("command.actor_missing");

    [Fact]
    public void A_command_for_another_incident_applied_to_this_stream_is_rejected() =>
        Given(F.Reported()).When(new CheckReportingClocks(F.OtherIncidentId, F.Admin, F.T0)).ThenRejected("incident.wrong_stream");

    [Fact]
    public void A_command_the_decider_does_not_know_is_rejected() =>
        Given(F.Reported()).When(new UnknownCommand(F.IncidentId, F.Provider, F.T0.AddDays(1))).ThenRejected("command.unknown");

    private sealed record UnknownCommand(Guid IncidentId, Actor Actor, DateTimeOffset Now) : IIncidentCommand;
}

/// <summary>Compares values by their JSON shape.</summary>
public sealed class SameJson : IEqualityComparer<object?>
{
    public static SameJson Comparer { get; } = new();

    public new bool Equals(object? x, object? y) => DomainJson.Same(x, y);

    public int GetHashCode(object? obj) => obj is null ? 0 : DomainJson.Serialize(obj).GetHashCode(StringComparison.Ordinal);
}
