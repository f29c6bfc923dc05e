using IncidentLedger.Domain.AiSystems;
using IncidentLedger.Domain.Taxonomies;
using static IncidentLedger.Domain.Tests.AiSystemSpec;

namespace IncidentLedger.Domain.Tests.AiSystems;

public class AiSystemTests
{
    public static RegisterAiSystem Register(Actor? actor = null, EuRiskTier tier = EuRiskTier.High, Guid? foundation = null, Guid? id = null, string name = "TriageAssist") =>
        new(id ?? F.SystemId, name, "2.1.0", F.ProviderOrg, F.ModelProviderOrg, [new SupplyChainParty(F.DeployerOrg, PartyRole.Deployer)],
            Sector.Healthcare, tier, AutonomyClass.HumanMachineHybrid, "Prioritise emergency-department patients by urgency.",
            foundation, foundation is null ? null : "GeneralModel", [new RegistrationId(RegistrationScheme.EuDatabase, "EU-HR-2026-000123")], actor ?? F.Provider, F.T0);

    private static readonly IAiSystemEvent[] Registered = [.. AiSystemDecider.Decide(Register(), AiSystemDecider.Initial)];

    private static AiSystemProfile Profile(IEnumerable<IAiSystemEvent> events) => events.Aggregate(AiSystemDecider.Initial, AiSystemDecider.Evolve).ProfileOrDefault!;

    [Fact]
    public void The_provider_registers_a_system_with_its_supply_chain() =>
        Given().When(Register()).Then(new AiSystemRegistered(
            F.SystemId, "TriageAssist", "2.1.0", F.ProviderOrg, F.ModelProviderOrg,
            [new SupplyChainParty(F.ProviderOrg, PartyRole.Provider), new SupplyChainParty(F.ModelProviderOrg, PartyRole.Developer), new SupplyChainParty(F.DeployerOrg, PartyRole.Deployer)],
            Sector.Healthcare, EuRiskTier.High, AutonomyClass.HumanMachineHybrid, "Prioritise emergency-department patients by urgency.", null, null,
            [new RegistrationId(RegistrationScheme.EuDatabase, "EU-HR-2026-000123")], F.T0, F.Provider.Subject));

    [Fact]
    public void An_operator_that_is_not_the_provider_cannot_register_the_system() =>
        Given().When(Register(F.Deployer)).ThenRejected("ai_system.not_provider");

    [Fact]
    public void An_insurer_cannot_register_a_system() =>
        Given().When(Register(F.Insurer)).ThenRejected("ai_system.role_not_permitted");

    [Fact]
    public void A_provider_cannot_place_a_prohibited_practice_on_the_register() =>
        Given().When(Register(tier: EuRiskTier.Unacceptable)).ThenRejected("ai_system.prohibited_practice");

    [Fact]
    public void A_regulator_records_a_prohibited_system_for_enforcement() =>
        Assert.Single(Given().When(Register(F.RegulatorDe, EuRiskTier.Unacceptable)).Events);

    [Fact]
    public void A_system_cannot_build_on_itself() =>
        Given().When(Register(foundation: F.SystemId)).ThenRejected("ai_system.builds_on_itself");

    [Fact]
    public void A_second_provider_is_rejected() =>
        Given().When(Register() with { Parties = [new SupplyChainParty(F.OutsiderOrg, PartyRole.Provider)] }).ThenRejected("ai_system.second_provider");

    [Fact]
    public void A_system_without_an_intended_purpose_is_rejected() =>
        Given().When(Register() with { IntendedPurpose = "" }).ThenRejected("ai_system.purpose_missing");

    [Fact]
    public void A_system_without_its_own_id_is_rejected() =>
        Given().When(Register(id: Guid.Empty)).ThenRejected("ai_system.id_missing");

    [Fact]
    public void A_system_without_a_provider_is_rejected() =>
        Given().When(Register(F.Admin) with { ProviderId = Guid.Empty }).ThenRejected("ai_system.id_missing");

    public static TheoryData<string> BlankOrOver300Characters => ["", "   ", new string('x', 301)];

    [Theory]
    [MemberData(nameof(BlankOrOver300Characters))]
    public void A_system_name_that_is_blank_or_too_long_is_rejected(string name) =>
        Given().When(Register(name: name)).ThenRejected("ai_system.name_missing");

    [Fact]
    public void A_foundation_model_name_over_300_characters_is_rejected() =>
        Given().When(Register(foundation: F.FoundationModelId) with { FoundationModelName = new string('x', 301) }).ThenRejected("ai_system.name_missing");

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_system_without_a_version_is_rejected(string version) =>
        Given().When(Register() with { Version = version }).ThenRejected("ai_system.version_missing");

    [Fact]
    public void A_foundation_model_named_but_not_referenced_by_its_id_is_rejected() =>
        Given().When(Register() with { FoundationModelName = "GeneralModel" }).ThenRejected("ai_system.foundation_model_unregistered");

    [Fact]
    public void A_blank_registration_id_is_rejected() =>
        Given().When(Register() with { Registrations = [new RegistrationId(RegistrationScheme.EuDatabase, " ")] }).ThenRejected("ai_system.registration_invalid");

    [Fact]
    public void Two_ids_under_one_registration_scheme_are_rejected() =>
        Given().When(Register() with
        {
            Registrations = [new RegistrationId(RegistrationScheme.EuDatabase, "EU-HR-2026-000123"), new RegistrationId(RegistrationScheme.EuDatabase, "EU-HR-2026-000124")],
        }).ThenRejected("ai_system.registration_invalid");

    [Fact]
    public void Repeating_the_registration_is_a_no_op() =>
        Given(Registered).When(Register()).ThenNothing();

    [Fact]
    public void Registering_a_registered_system_differently_is_rejected() =>
        Given(Registered).When(Register(name: "Other")).ThenRejected("ai_system.already_registered");

    private static ReleaseAiSystemVersion Release(string version = "2.2.0", Actor? actor = null) =>
        new(F.SystemId, version, "Recalibrated thresholds.", true, actor ?? F.Provider, F.T0.AddDays(10));

    [Fact]
    public void The_provider_releases_a_new_version() =>
        Given(Registered).When(Release()).Then(new AiSystemVersionReleased(F.SystemId, "2.2.0", "Recalibrated thresholds.", true, F.T0.AddDays(10), F.Provider.Subject));

    [Fact]
    public void A_released_version_cannot_be_released_again_differently() =>
        Given(Registered).When(Release("2.1.0")).ThenRejected("ai_system.version_exists");

    [Fact]
    public void Repeating_a_release_is_a_no_op() =>
        Given([.. Registered, .. Given(Registered).When(Release()).Events]).When(Release()).ThenNothing();

    [Fact]
    public void Only_the_provider_releases_versions() =>
        Given(Registered).When(Release(actor: F.Deployer)).ThenRejected("ai_system.not_provider");

    [Fact]
    public void A_version_of_an_unregistered_system_is_rejected() =>
        Given().When(Release()).ThenRejected("ai_system.unknown");

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_release_without_a_version_is_rejected(string version) =>
        Given(Registered).When(Release(version)).ThenRejected("ai_system.version_missing");

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_release_without_notes_is_rejected(string notes) =>
        Given(Registered).When(Release() with { Notes = notes }).ThenRejected("ai_system.release_notes_missing");

    [Fact]
    public void A_deployer_adds_itself_to_the_supply_chain() =>
        Given(Registered).When(new AddSupplyChainParty(F.SystemId, F.OutsiderOrg, PartyRole.Deployer, F.Outsider, F.T0.AddDays(1)))
            .Then(new SupplyChainPartyAdded(F.SystemId, F.OutsiderOrg, PartyRole.Deployer, F.T0.AddDays(1), F.Outsider.Subject));

    [Fact]
    public void An_operator_cannot_add_another_organisation_to_the_supply_chain() =>
        Given(Registered).When(new AddSupplyChainParty(F.SystemId, F.InsurerOrg, PartyRole.Deployer, F.Outsider, F.T0)).ThenRejected("ai_system.not_provider");

    [Fact]
    public void Adding_a_party_already_present_is_a_no_op() =>
        Given(Registered).When(new AddSupplyChainParty(F.SystemId, F.DeployerOrg, PartyRole.Deployer, F.Provider, F.T0)).ThenNothing();

    [Fact]
    public void A_second_provider_cannot_be_added() =>
        Given(Registered).When(new AddSupplyChainParty(F.SystemId, F.OutsiderOrg, PartyRole.Provider, F.Provider, F.T0)).ThenRejected("ai_system.second_provider");

    [Fact]
    public void Adding_a_party_without_its_organisation_id_is_rejected() =>
        Given(Registered).When(new AddSupplyChainParty(F.SystemId, Guid.Empty, PartyRole.Deployer, F.Provider, F.T0)).ThenRejected("ai_system.id_missing");

    [Fact]
    public void The_provider_removes_a_deployer() =>
        Assert.Single(Given(Registered).When(new RemoveSupplyChainParty(F.SystemId, F.DeployerOrg, PartyRole.Deployer, "Contract ended", F.Provider, F.T0)).Events);

    [Fact]
    public void Repeating_a_removal_is_a_no_op()
    {
        var remove = new RemoveSupplyChainParty(F.SystemId, F.DeployerOrg, PartyRole.Deployer, "Contract ended", F.Provider, F.T0);
        Given([.. Registered, .. Given(Registered).When(remove).Events]).When(remove).ThenNothing();
    }

    [Fact]
    public void Removing_a_party_that_never_was_is_rejected() =>
        Given(Registered).When(new RemoveSupplyChainParty(F.SystemId, F.OutsiderOrg, PartyRole.Deployer, "x", F.Provider, F.T0)).ThenRejected("ai_system.party_unknown");

    [Fact]
    public void The_provider_cannot_be_removed() =>
        Given(Registered).When(new RemoveSupplyChainParty(F.SystemId, F.ProviderOrg, PartyRole.Provider, "x", F.Provider, F.T0)).ThenRejected("ai_system.provider_removed");

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Removing_a_party_without_a_reason_is_rejected(string reason) =>
        Given(Registered).When(new RemoveSupplyChainParty(F.SystemId, F.DeployerOrg, PartyRole.Deployer, reason, F.Provider, F.T0)).ThenRejected("ai_system.reason_missing");

    [Fact]
    public void A_regulator_changes_the_risk_tier() =>
        Given(Registered).When(new ChangeAiSystemRiskTier(F.SystemId, EuRiskTier.Unacceptable, "Used for social scoring.", F.RegulatorDe, F.T0))
            .Then(new AiSystemRiskTierChanged(F.SystemId, EuRiskTier.Unacceptable, EuRiskTier.High, "Used for social scoring.", F.T0, F.RegulatorDe.Subject, ActorRole.Regulator));

    [Fact]
    public void Only_a_regulator_finds_a_prohibited_practice() =>
        Given(Registered).When(new ChangeAiSystemRiskTier(F.SystemId, EuRiskTier.Unacceptable, "x", F.Provider, F.T0)).ThenRejected("ai_system.prohibited_practice");

    [Fact]
    public void Changing_to_the_current_tier_is_a_no_op() =>
        Given(Registered).When(new ChangeAiSystemRiskTier(F.SystemId, EuRiskTier.High, "x", F.Provider, F.T0)).ThenNothing();

    [Fact]
    public void A_deployer_cannot_change_the_tier() =>
        Given(Registered).When(new ChangeAiSystemRiskTier(F.SystemId, EuRiskTier.Limited, "x", F.Deployer, F.T0)).ThenRejected("ai_system.not_provider");

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_tier_change_without_a_rationale_is_rejected(string rationale) =>
        Given(Registered).When(new ChangeAiSystemRiskTier(F.SystemId, EuRiskTier.Limited, rationale, F.Provider, F.T0)).ThenRejected("ai_system.rationale_missing");

    private static WithdrawAiSystem Withdraw(Actor? actor = null) => new(F.SystemId, "Safety recall after the triage incident.", true, actor ?? F.Provider, F.T0.AddDays(5));

    [Fact]
    public void The_provider_withdraws_the_system() =>
        Given(Registered).When(Withdraw()).Then(new AiSystemWithdrawn(F.SystemId, "Safety recall after the triage incident.", true, F.T0.AddDays(5), F.Provider.Subject, ActorRole.Operator));

    [Fact]
    public void Repeating_the_withdrawal_is_a_no_op() =>
        Given([.. Registered, .. Given(Registered).When(Withdraw()).Events]).When(Withdraw()).ThenNothing();

    [Fact]
    public void A_withdrawn_system_takes_no_new_version() =>
        Given([.. Registered, .. Given(Registered).When(Withdraw()).Events]).When(Release()).ThenRejected("ai_system.withdrawn");

    [Fact]
    public void A_deployer_cannot_withdraw_the_system() =>
        Given(Registered).When(Withdraw(F.Deployer)).ThenRejected("ai_system.not_provider");

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_withdrawal_without_a_reason_is_rejected(string reason) =>
        Given(Registered).When(Withdraw() with { Reason = reason }).ThenRejected("ai_system.reason_missing");

    [Fact]
    public void A_command_the_decider_does_not_know_is_rejected() =>
        Given(Registered).When(new UnknownCommand(F.SystemId, F.Provider, F.T0)).ThenRejected("command.unknown");

    private sealed record UnknownCommand(Guid SystemId, Actor Actor, DateTimeOffset Now) : IAiSystemCommand;

    [Fact]
    public void The_involvement_of_a_system_carries_its_version_tier_deployers_and_the_foundation_model_tier()
    {
        var model = Profile(AiSystemDecider.Decide(Register(F.ModelProvider with { OrganisationId = F.ProviderOrg }, EuRiskTier.GpaiSystemicRisk, id: F.FoundationModelId, name: "GeneralModel"), AiSystemDecider.Initial));
        var system = Profile(AiSystemDecider.Decide(Register(tier: EuRiskTier.Limited, foundation: F.FoundationModelId), AiSystemDecider.Initial));
        var involved = system.Involvement(foundationModel: model);
        Assert.Equal(("2.1.0", EuRiskTier.Limited, EuRiskTier.GpaiSystemicRisk), (involved.Version, involved.Tier, involved.FoundationModelTier));
        Assert.Equal([F.DeployerOrg], involved.DeployerIds);
    }

    [Fact]
    public void The_involvement_of_an_unreleased_version_is_rejected() =>
        Assert.Equal("ai_system.version_unknown", Assert.Throws<RuleViolation>(() => Profile(Registered).Involvement("9.9")).Code);

    [Fact]
    public void The_involvement_with_a_model_the_system_does_not_build_on_is_rejected()
    {
        var model = Profile(AiSystemDecider.Decide(Register(F.ModelProvider with { OrganisationId = F.ProviderOrg }, EuRiskTier.GpaiSystemicRisk, id: F.FoundationModelId, name: "GeneralModel"), AiSystemDecider.Initial));
        Assert.Equal("ai_system.foundation_model_mismatch", Assert.Throws<RuleViolation>(() => Profile(Registered).Involvement(foundationModel: model)).Code);
    }
}
