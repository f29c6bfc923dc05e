using IncidentLedger.Domain.Incidents;
using static IncidentLedger.Domain.Tests.IncidentSpec;

namespace IncidentLedger.Domain.Tests.Incidents;

public class RemediationTests
{
    private static RecordCorrectiveAction Action(CorrectiveActionStatus status = CorrectiveActionStatus.Planned, CorrectiveActionKind kind = CorrectiveActionKind.Rollback, Guid? system = null, Actor? actor = null, int day = 1) =>
        new(F.IncidentId, F.Id(1), kind, status, "Roll back triage thresholds to version 2.0.3.", system ?? F.SystemId, actor ?? F.Provider, F.T0.AddDays(day));

    [Fact]
    public void A_corrective_action_is_recorded() =>
        Given(F.Reported()).When(Action()).Then(new CorrectiveActionRecorded(
            F.IncidentId, F.Id(1), CorrectiveActionKind.Rollback, CorrectiveActionStatus.Planned, "Roll back triage thresholds to version 2.0.3.", F.SystemId, F.T0.AddDays(1), F.ProviderOrg, F.Provider.Subject));

    [Fact]
    public void A_corrective_action_moves_forward_to_completed()
    {
        var events = F.Run(F.Report(), Action(), Action(CorrectiveActionStatus.Completed, day: 3));
        Assert.Equal(CorrectiveActionStatus.Completed, Assert.Single(F.FileOf(events).CorrectiveActions).Status);
    }

    [Fact]
    public void A_corrective_action_never_moves_back() =>
        Given(F.Run(F.Report(), Action(CorrectiveActionStatus.Completed))).When(Action(CorrectiveActionStatus.InProgress, day: 2)).ThenRejected("corrective_action.status_regressed");

    [Fact]
    public void A_corrective_action_keeps_its_kind() =>
        Given(F.Run(F.Report(), Action())).When(Action(CorrectiveActionStatus.Completed, CorrectiveActionKind.Retraining, day: 2)).ThenRejected("corrective_action.kind_changed");

    [Fact]
    public void A_corrective_action_on_a_system_not_involved_is_rejected() =>
        Given(F.Reported()).When(Action(system: F.FoundationModelId)).ThenRejected("corrective_action.system_not_involved");

    [Fact]
    public void Repeating_a_corrective_action_is_a_no_op() =>
        Given(F.Run(F.Report(), Action())).When(Action()).ThenNothing();

    [Fact]
    public void A_corrective_action_without_a_description_is_rejected() =>
        Given(F.Reported()).When(Action() with { Description = "" }).ThenRejected("corrective_action.description_missing");

    [Fact]
    public void A_corrective_action_without_an_id_is_rejected() =>
        Given(F.Reported()).When(Action() with { ActionId = Guid.Empty }).ThenRejected("corrective_action.id_missing");

    [Fact]
    public void A_regulator_orders_rather_than_records_corrective_actions() =>
        Given(F.Reported()).When(Action(actor: F.RegulatorDe)).ThenRejected("incident.role_not_permitted");

    private static TakeRegulatoryAction Fine(decimal? amount = 1_500_000m, RegulatoryActionKind kind = RegulatoryActionKind.Fine, Actor? actor = null, string jurisdiction = "DE", Guid? against = null) =>
        new(F.IncidentId, F.Id(50), kind, "Bundesnetzagentur", jurisdiction, against ?? F.ProviderOrg, amount is null ? null : new Money(amount.Value, "EUR"),
            "Fine for placing a high-risk system on the market without validated thresholds.", "BNetzA-B-2026-9", actor ?? F.RegulatorDe, F.T0.AddDays(60));

    [Fact]
    public void A_regulator_records_a_fine() =>
        Given(F.Reported()).When(Fine()).Then(new RegulatoryActionTaken(
            F.IncidentId, F.Id(50), RegulatoryActionKind.Fine, "Bundesnetzagentur", "DE", F.ProviderOrg, new Money(1_500_000m, "EUR"),
            "Fine for placing a high-risk system on the market without validated thresholds.", "BNetzA-B-2026-9", F.T0.AddDays(60), F.RegulatorDe.Subject, F.RegulatorOrg));

    [Fact]
    public void A_fine_states_its_amount() =>
        Given(F.Reported()).When(Fine(amount: null)).ThenRejected("regulatory_action.fine_amount_missing");

    [Fact]
    public void Only_a_fine_carries_an_amount() =>
        Given(F.Reported()).When(Fine(kind: RegulatoryActionKind.Warning)).ThenRejected("regulatory_action.amount_without_fine");

    [Fact]
    public void A_regulator_of_another_jurisdiction_cannot_take_action() =>
        Given(F.Reported()).When(Fine(actor: F.RegulatorFr)).ThenRejected("regulatory_action.not_competent");

    [Fact]
    public void An_operator_cannot_record_regulatory_action() =>
        Given(F.Reported()).When(Fine(actor: F.Provider)).ThenRejected("regulatory_action.not_competent");

    [Fact]
    public void Action_in_a_jurisdiction_the_incident_is_not_in_is_rejected() =>
        Given(F.Reported()).When(Fine(actor: F.RegulatorFr, jurisdiction: "FR")).ThenRejected("regulatory_action.outside_jurisdictions");

    [Fact]
    public void Action_against_an_organisation_outside_the_incident_is_rejected() =>
        Given(F.Reported()).When(Fine(against: F.OutsiderOrg)).ThenRejected("regulatory_action.party_not_involved");

    [Fact]
    public void Repeating_a_regulatory_action_is_a_no_op() =>
        Given(F.Run(F.Report(), Fine())).When(Fine()).ThenNothing();

    [Fact]
    public void Reusing_a_regulatory_action_id_for_another_action_is_rejected() =>
        Given(F.Run(F.Report(), Fine())).When(Fine(amount: 2_000_000m)).ThenRejected("regulatory_action.id_reused");

    [Fact]
    public void A_regulatory_action_without_an_id_is_rejected() =>
        Given(F.Reported()).When(Fine() with { ActionId = Guid.Empty }).ThenRejected("regulatory_action.id_missing");

    public static TheoryData<string> BlankOrOver300Characters => ["", "   ", new string('x', 301)];

    [Theory]
    [MemberData(nameof(BlankOrOver300Characters))]
    public void A_regulatory_action_whose_authority_is_blank_or_too_long_is_rejected(string authority) =>
        Given(F.Reported()).When(Fine() with { Authority = authority }).ThenRejected("regulatory_action.authority_missing");

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_regulatory_action_without_a_description_is_rejected(string description) =>
        Given(F.Reported()).When(Fine() with { Description = description }).ThenRejected("regulatory_action.description_missing");

    [Fact]
    public void A_regulatory_action_reference_over_300_characters_is_rejected() =>
        Given(F.Reported()).When(Fine() with { Reference = new string('x', 301) }).ThenRejected("regulatory_action.reference_too_long");

    [Fact]
    public void A_regulatory_action_in_an_unknown_jurisdiction_code_is_rejected() =>
        Given(F.Reported()).When(Fine(jurisdiction: "Germany")).ThenRejected("regulatory_action.jurisdiction_invalid");

    [Fact]
    public void An_EU_level_regulator_may_act_in_a_member_state() =>
        Assert.Single(Given(F.Reported()).When(Fine(actor: F.AiOffice)).Events);
}
