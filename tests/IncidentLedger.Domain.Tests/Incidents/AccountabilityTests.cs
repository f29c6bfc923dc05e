using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Taxonomies;
using static IncidentLedger.Domain.Tests.IncidentSpec;

namespace IncidentLedger.Domain.Tests.Incidents;

public class AccountabilityTests
{
    public static AssignAccountability Assign(int id, Guid party, decimal share, PartyRole role = PartyRole.Provider, Actor? actor = null, AccountabilityStanding standing = AccountabilityStanding.Presumed, AccountabilityBasis basis = AccountabilityBasis.DesignDefect, string rationale = "Responsibility follows control of the triage thresholds.") =>
        new(F.IncidentId, F.Id(id), party, role, basis, share, standing, rationale, actor ?? F.RegulatorDe, F.T0.AddDays(2));

    private static IIncidentEvent[] With(params IIncidentCommand[] commands) => F.Run([F.Report(), .. commands]);

    [Fact]
    public void A_regulator_assigns_a_share_of_accountability_to_the_provider()
    {
        var assign = Assign(1, F.ProviderOrg, 60, standing: AccountabilityStanding.Established);
        Given(F.Reported()).When(assign).Then(new AccountabilityAssigned(
            F.IncidentId, F.Id(1), F.ProviderOrg, PartyRole.Provider, AccountabilityBasis.DesignDefect, 60, AccountabilityStanding.Established,
            assign.Rationale, assign.Now, F.RegulatorDe.Subject, ActorRole.Regulator, F.RegulatorOrg));
    }

    [Fact]
    public void Shares_may_add_up_to_exactly_100_percent() =>
        Assert.Single(Given(With(Assign(1, F.ProviderOrg, 60))).When(Assign(2, F.DeployerOrg, 40, PartyRole.Deployer)).Events);

    [Fact]
    public void Shares_on_one_incident_never_exceed_100_percent_across_active_assignments()
    {
        var violation = Given(With(Assign(1, F.ProviderOrg, 60), Assign(2, F.DeployerOrg, 30, PartyRole.Deployer)))
            .When(Assign(3, F.ModelProviderOrg, 20, PartyRole.Developer)).ThenRejected("accountability.shares_exceed_100");
        Assert.Contains("110%", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_withdrawn_assignment_frees_its_share() =>
        Assert.Single(Given(With(
                Assign(1, F.ProviderOrg, 80),
                new WithdrawAccountability(F.IncidentId, F.Id(1), "Assigned to the wrong legal entity.", F.RegulatorDe, F.T0.AddDays(3))))
            .When(Assign(2, F.DeployerOrg, 90, PartyRole.Deployer)).Events);

    [Fact]
    public void A_zero_share_is_rejected() =>
        Given(F.Reported()).When(Assign(1, F.ProviderOrg, 0)).ThenRejected("accountability.share_out_of_range");

    [Fact]
    public void A_share_above_100_percent_is_rejected() =>
        Given(F.Reported()).When(Assign(1, F.ProviderOrg, 100.5m)).ThenRejected("accountability.share_out_of_range");

    [Fact]
    public void An_operator_may_presume_but_not_establish_accountability() =>
        Given(F.Reported()).When(Assign(1, F.ProviderOrg, 50, actor: F.Deployer, standing: AccountabilityStanding.Established)).ThenRejected("accountability.established_requires_regulator");

    [Fact]
    public void An_operator_of_a_participating_organisation_may_presume_accountability() =>
        Assert.Single(Given(F.Reported()).When(Assign(1, F.ProviderOrg, 50, actor: F.Deployer)).Events);

    [Fact]
    public void An_insurer_cannot_assign_accountability() =>
        Given(F.Reported()).When(Assign(1, F.ProviderOrg, 50, actor: F.Insurer)).ThenRejected("incident.role_not_permitted");

    [Fact]
    public void A_party_holds_one_active_assignment_per_role() =>
        Given(With(Assign(1, F.ProviderOrg, 30))).When(Assign(2, F.ProviderOrg, 20)).ThenRejected("accountability.party_already_assigned");

    [Fact]
    public void Repeating_an_assignment_is_a_no_op() =>
        Given(With(Assign(1, F.ProviderOrg, 30))).When(Assign(1, F.ProviderOrg, 30)).ThenNothing();

    [Fact]
    public void Reusing_an_assignment_id_for_a_different_assignment_is_rejected() =>
        Given(With(Assign(1, F.ProviderOrg, 30))).When(Assign(1, F.ProviderOrg, 40)).ThenRejected("accountability.assignment_id_reused");

    [Fact]
    public void An_assignment_without_a_rationale_is_rejected() =>
        Given(F.Reported()).When(Assign(1, F.ProviderOrg, 30, rationale: "")).ThenRejected("accountability.rationale_missing");

    [Fact]
    public void An_assignment_without_its_own_id_is_rejected() =>
        Given(F.Reported()).When(Assign(1, F.ProviderOrg, 30) with { AssignmentId = Guid.Empty }).ThenRejected("accountability.id_missing");

    [Fact]
    public void An_assignment_naming_no_party_is_rejected() =>
        Given(F.Reported()).When(Assign(1, Guid.Empty, 30)).ThenRejected("accountability.id_missing");

    [Fact]
    public void No_new_assignment_is_made_after_adjudication() =>
        Given(With(Adjudicate(9, (F.ProviderOrg, 70m)))).When(Assign(1, F.DeployerOrg, 10, PartyRole.Deployer)).ThenRejected("accountability.already_adjudicated");

    private static AcknowledgeAccountability Acknowledge(int id, Actor actor, string statement = "We accept responsibility for the threshold configuration.") =>
        new(F.IncidentId, F.Id(id), statement, actor, F.T0.AddDays(4));

    [Fact]
    public void The_assigned_party_acknowledges_its_assignment() =>
        Given(With(Assign(1, F.ProviderOrg, 60))).When(Acknowledge(1, F.Provider)).Then(
            new AccountabilityAcknowledged(F.IncidentId, F.Id(1), F.ProviderOrg, "We accept responsibility for the threshold configuration.", F.T0.AddDays(4), F.Provider.Subject));

    [Fact]
    public void Only_the_assigned_party_acknowledges() =>
        Given(With(Assign(1, F.ProviderOrg, 60))).When(Acknowledge(1, F.Deployer)).ThenRejected("accountability.not_assigned_party");

    [Fact]
    public void A_regulator_does_not_acknowledge_on_behalf_of_a_party() =>
        Given(With(Assign(1, F.ProviderOrg, 60))).When(Acknowledge(1, F.RegulatorDe)).ThenRejected("accountability.not_assigned_party");

    [Fact]
    public void Acknowledging_an_unknown_assignment_is_rejected() =>
        Given(F.Reported()).When(Acknowledge(1, F.Provider)).ThenRejected("accountability.unknown_assignment");

    [Fact]
    public void Repeating_an_acknowledgement_is_a_no_op() =>
        Given(With(Assign(1, F.ProviderOrg, 60), Acknowledge(1, F.Provider))).When(Acknowledge(1, F.Provider)).ThenNothing();

    [Fact]
    public void A_second_different_acknowledgement_is_rejected() =>
        Given(With(Assign(1, F.ProviderOrg, 60), Acknowledge(1, F.Provider))).When(Acknowledge(1, F.Provider, "Another statement")).ThenRejected("accountability.already_acknowledged");

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_acknowledgement_without_a_statement_is_rejected(string statement) =>
        Given(With(Assign(1, F.ProviderOrg, 60))).When(Acknowledge(1, F.Provider, statement)).ThenRejected("accountability.statement_missing");

    [Fact]
    public void A_withdrawn_assignment_cannot_be_acknowledged() =>
        Given(With(Assign(1, F.ProviderOrg, 60), Withdraw(1, F.RegulatorDe))).When(Acknowledge(1, F.Provider)).ThenRejected("accountability.assignment_not_active");

    [Fact]
    public void A_party_that_disputed_may_later_concede() =>
        Assert.Single(Given(With(Assign(1, F.ProviderOrg, 60), Dispute(1, F.Provider))).When(Acknowledge(1, F.Provider)).Events);

    private static DisputeAccountability Dispute(int id, Actor actor, decimal? proposed = 20, string grounds = "The hospital overrode the recommended thresholds (blame lies with the deployer).") =>
        new(F.IncidentId, F.Id(id), grounds, proposed, actor, F.T0.AddDays(3));

    [Fact]
    public void The_assigned_party_disputes_its_assignment_with_grounds() =>
        Given(With(Assign(1, F.ProviderOrg, 60))).When(Dispute(1, F.Provider)).Then(
            new AccountabilityDisputed(F.IncidentId, F.Id(1), F.ProviderOrg, "The hospital overrode the recommended thresholds (blame lies with the deployer).", 20, F.T0.AddDays(3), F.Provider.Subject));

    [Fact]
    public void Only_the_assigned_party_disputes() =>
        Given(With(Assign(1, F.ProviderOrg, 60))).When(Dispute(1, F.Deployer)).ThenRejected("accountability.not_assigned_party");

    [Fact]
    public void An_acknowledged_assignment_cannot_be_disputed() =>
        Given(With(Assign(1, F.ProviderOrg, 60), Acknowledge(1, F.Provider))).When(Dispute(1, F.Provider)).ThenRejected("accountability.acknowledged_cannot_be_disputed");

    [Fact]
    public void A_dispute_proposing_at_least_the_assigned_share_is_rejected() =>
        Given(With(Assign(1, F.ProviderOrg, 60))).When(Dispute(1, F.Provider, proposed: 60)).ThenRejected("accountability.proposed_share_invalid");

    [Fact]
    public void A_dispute_without_grounds_is_rejected() =>
        Given(With(Assign(1, F.ProviderOrg, 60))).When(Dispute(1, F.Provider, grounds: " ")).ThenRejected("accountability.grounds_missing");

    [Fact]
    public void Repeating_a_dispute_is_a_no_op() =>
        Given(With(Assign(1, F.ProviderOrg, 60), Dispute(1, F.Provider))).When(Dispute(1, F.Provider)).ThenNothing();

    private static WithdrawAccountability Withdraw(int id, Actor actor) =>
        new(F.IncidentId, F.Id(id), "Assigned in error.", actor, F.T0.AddDays(3));

    [Fact]
    public void The_assigning_organisation_withdraws_its_assignment() =>
        Given(With(Assign(1, F.ProviderOrg, 60, actor: F.Deployer))).When(Withdraw(1, F.Deployer)).Then(
            new AccountabilityWithdrawn(F.IncidentId, F.Id(1), "Assigned in error.", F.T0.AddDays(3), F.Deployer.Subject));

    [Fact]
    public void Another_operator_cannot_withdraw_an_assignment_it_did_not_make() =>
        Given(With(Assign(1, F.ProviderOrg, 60, actor: F.Deployer))).When(Withdraw(1, F.Provider)).ThenRejected("accountability.not_assigner");

    [Fact]
    public void Withdrawing_an_unknown_assignment_is_rejected() =>
        Given(F.Reported()).When(Withdraw(1, F.RegulatorDe)).ThenRejected("accountability.unknown_assignment");

    [Fact]
    public void Repeating_a_withdrawal_is_a_no_op() =>
        Given(With(Assign(1, F.ProviderOrg, 60), Withdraw(1, F.RegulatorDe))).When(Withdraw(1, F.RegulatorDe)).ThenNothing();

    [Fact]
    public void A_superseded_assignment_cannot_be_withdrawn() =>
        Given(With(Assign(1, F.ProviderOrg, 60), Adjudicate(9, (F.ProviderOrg, 50m)))).When(Withdraw(1, F.RegulatorDe)).ThenRejected("accountability.assignment_not_active");

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_withdrawal_without_a_reason_is_rejected(string reason) =>
        Given(With(Assign(1, F.ProviderOrg, 60))).When(Withdraw(1, F.RegulatorDe) with { Reason = reason }).ThenRejected("accountability.reason_missing");

    public static AdjudicateAccountability Adjudicate(int id, params (Guid Party, decimal Share)[] shares) =>
        Adjudicate(id, F.RegulatorDe, shares);

    private static AdjudicateAccountability Adjudicate(int id, Actor actor, params (Guid Party, decimal Share)[] shares) =>
        new(F.IncidentId, F.Id(id), AdjudicationForum.Regulator, "BNetzA decision 2026/117",
            shares.Select(s => new AdjudicatedShare(s.Party, s.Party == F.DeployerOrg ? PartyRole.Deployer : PartyRole.Provider, AccountabilityBasis.DesignDefect, s.Share)).ToArray(),
            "Thresholds were shipped without validation on the hospital's population.", actor, F.T0.AddDays(30));

    [Fact]
    public void A_regulator_of_the_incident_adjudicates_the_final_shares()
    {
        var adjudicate = Adjudicate(9, (F.ProviderOrg, 70m), (F.DeployerOrg, 30m));
        var events = Given(With(Assign(1, F.ProviderOrg, 60), Dispute(1, F.Provider))).When(adjudicate).Then(new AccountabilityAdjudicated(
            F.IncidentId, F.Id(9), AdjudicationForum.Regulator, adjudicate.DecisionReference, adjudicate.Shares, adjudicate.Rationale, adjudicate.Now, F.RegulatorDe.Subject, F.RegulatorOrg));
        var file = F.FileOf([.. With(Assign(1, F.ProviderOrg, 60), Dispute(1, F.Provider)), .. events]);
        Assert.Equal(AssignmentStatus.Superseded, Assert.Single(file.Assignments).Status);
        Assert.Equal([70m, 30m], file.CurrentShares.Select(s => s.SharePercent));
    }

    [Fact]
    public void A_regulator_of_another_jurisdiction_cannot_adjudicate() =>
        Given(F.Reported()).When(Adjudicate(9, F.RegulatorFr, (F.ProviderOrg, 70m))).ThenRejected("incident.regulator_outside_jurisdiction");

    [Fact]
    public void An_operator_cannot_adjudicate() =>
        Given(F.Reported()).When(Adjudicate(9, F.Provider, (F.ProviderOrg, 70m))).ThenRejected("incident.regulator_outside_jurisdiction");

    [Fact]
    public void An_admin_cannot_adjudicate() =>
        Given(F.Reported()).When(Adjudicate(9, F.Admin, (F.ProviderOrg, 70m))).ThenRejected("incident.regulator_outside_jurisdiction");

    [Fact]
    public void Adjudicated_shares_never_exceed_100_percent() =>
        Given(F.Reported()).When(Adjudicate(9, (F.ProviderOrg, 70m), (F.DeployerOrg, 40m))).ThenRejected("accountability.shares_exceed_100");

    [Fact]
    public void An_adjudicated_share_of_zero_is_rejected() =>
        Given(F.Reported()).When(Adjudicate(9, (F.ProviderOrg, 0m))).ThenRejected("accountability.share_out_of_range");

    [Fact]
    public void A_party_appears_once_per_role_in_an_adjudication() =>
        Given(F.Reported()).When(Adjudicate(9, (F.ProviderOrg, 30m), (F.ProviderOrg, 30m))).ThenRejected("accountability.party_repeated");

    [Fact]
    public void An_adjudication_without_a_decision_reference_is_rejected() =>
        Given(F.Reported()).When(Adjudicate(9, (F.ProviderOrg, 30m)) with { DecisionReference = "" }).ThenRejected("accountability.decision_reference_missing");

    [Fact]
    public void An_adjudication_without_its_own_id_is_rejected() =>
        Given(F.Reported()).When(Adjudicate(9, (F.ProviderOrg, 30m)) with { AdjudicationId = Guid.Empty }).ThenRejected("accountability.id_missing");

    [Fact]
    public void An_adjudicated_share_naming_no_party_is_rejected() =>
        Given(F.Reported()).When(Adjudicate(9, (Guid.Empty, 30m))).ThenRejected("accountability.id_missing");

    [Fact]
    public void Repeating_an_adjudication_is_a_no_op() =>
        Given(With(Adjudicate(9, (F.ProviderOrg, 70m)))).When(Adjudicate(9, (F.ProviderOrg, 70m))).ThenNothing();

    [Fact]
    public void Reusing_an_adjudication_id_for_another_decision_is_rejected() =>
        Given(With(Adjudicate(9, (F.ProviderOrg, 70m)))).When(Adjudicate(9, (F.ProviderOrg, 50m))).ThenRejected("accountability.adjudication_id_reused");

    [Fact]
    public void A_later_decision_on_appeal_replaces_the_shares()
    {
        var events = F.Run(F.Report(), Adjudicate(9, (F.ProviderOrg, 70m)), Adjudicate(10, (F.ProviderOrg, 40m), (F.DeployerOrg, 60m)) with { Forum = AdjudicationForum.Court });
        Assert.Equal([40m, 60m], F.FileOf(events).CurrentShares.Select(s => s.SharePercent));
    }
}
