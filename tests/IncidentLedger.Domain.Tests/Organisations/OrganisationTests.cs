using IncidentLedger.Domain.Organisations;
using static IncidentLedger.Domain.Tests.OrganisationSpec;

namespace IncidentLedger.Domain.Tests.Organisations;

public class OrganisationTests
{
    private static RegisterOrganisation Register(Actor? actor = null, string country = "de", OrganisationKind[]? kinds = null, string name = "MedTriage GmbH", Guid? id = null) =>
        new(id ?? F.ProviderOrg, name, country, kinds ?? [OrganisationKind.Company], "529900T8BM49AURSDO55", actor ?? F.Provider, F.T0);

    private static readonly IOrganisationEvent[] Registered = [.. OrganisationDecider.Decide(Register(), OrganisationDecider.Initial)];

    [Fact]
    public void An_operator_registers_its_own_organisation() =>
        Given().When(Register()).Then(new OrganisationRegistered(F.ProviderOrg, "MedTriage GmbH", "DE", [OrganisationKind.Company], "529900T8BM49AURSDO55", F.T0, F.Provider.Subject));

    [Fact]
    public void An_operator_cannot_register_another_organisation() =>
        Given().When(Register(F.Deployer)).ThenRejected("organisation.not_own");

    [Fact]
    public void An_admin_registers_any_organisation() =>
        Assert.Single(Given().When(Register(F.Admin, kinds: [OrganisationKind.Regulator])).Events);

    [Fact]
    public void Only_a_regulator_or_an_admin_registers_a_regulator() =>
        Given().When(Register(kinds: [OrganisationKind.Regulator])).ThenRejected("organisation.kind_not_permitted");

    [Fact]
    public void A_regulator_registers_its_own_authority() =>
        Assert.Single(Given().When(Register(F.RegulatorDe, kinds: [OrganisationKind.Regulator], id: F.RegulatorOrg, name: "Bundesnetzagentur")).Events);

    [Fact]
    public void Only_an_insurer_or_an_admin_registers_an_insurer() =>
        Given().When(Register(kinds: [OrganisationKind.Insurer])).ThenRejected("organisation.kind_not_permitted");

    [Fact]
    public void A_country_that_is_not_an_ISO_code_is_rejected() =>
        Given().When(Register(country: "Germany")).ThenRejected("organisation.country_invalid");

    [Fact]
    public void An_organisation_without_a_kind_is_rejected() =>
        Given().When(Register(kinds: [])).ThenRejected("organisation.kind_missing");

    [Fact]
    public void An_organisation_without_a_name_is_rejected() =>
        Given().When(Register(name: " ")).ThenRejected("organisation.name_missing");

    [Fact]
    public void An_organisation_without_an_id_is_rejected() =>
        Given().When(Register(F.Admin, id: Guid.Empty)).ThenRejected("organisation.id_missing");

    [Fact]
    public void A_legal_identifier_over_100_characters_is_rejected() =>
        Given().When(Register() with { LegalIdentifier = new string('9', 101) }).ThenRejected("organisation.identifier_too_long");

    [Fact]
    public void Repeating_the_registration_is_a_no_op() =>
        Given(Registered).When(Register()).ThenNothing();

    [Fact]
    public void Registering_a_registered_organisation_differently_is_rejected() =>
        Given(Registered).When(Register(name: "Other GmbH")).ThenRejected("organisation.already_registered");

    [Fact]
    public void An_organisation_is_renamed() =>
        Given(Registered).When(new RenameOrganisation(F.ProviderOrg, "MedTriage AG", "Change of legal form", F.Provider, F.T0.AddDays(1)))
            .Then(new OrganisationRenamed(F.ProviderOrg, "MedTriage AG", "MedTriage GmbH", "Change of legal form", F.T0.AddDays(1), F.Provider.Subject));

    [Fact]
    public void Renaming_to_the_current_name_is_a_no_op() =>
        Given(Registered).When(new RenameOrganisation(F.ProviderOrg, "MedTriage GmbH", "x", F.Provider, F.T0.AddDays(1))).ThenNothing();

    [Fact]
    public void Renaming_an_unregistered_organisation_is_rejected() =>
        Given().When(new RenameOrganisation(F.ProviderOrg, "X", "y", F.Provider, F.T0)).ThenRejected("organisation.unknown");

    [Fact]
    public void Another_organisation_cannot_rename_it() =>
        Given(Registered).When(new RenameOrganisation(F.ProviderOrg, "X", "y", F.Deployer, F.T0)).ThenRejected("organisation.not_own");

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Renaming_without_a_reason_is_rejected(string reason) =>
        Given(Registered).When(new RenameOrganisation(F.ProviderOrg, "MedTriage AG", reason, F.Provider, F.T0.AddDays(1))).ThenRejected("organisation.reason_missing");

    [Fact]
    public void A_command_the_decider_does_not_know_is_rejected() =>
        Given(Registered).When(new UnknownCommand(F.ProviderOrg, F.Provider, F.T0)).ThenRejected("command.unknown");

    private sealed record UnknownCommand(Guid OrganisationId, Actor Actor, DateTimeOffset Now) : IOrganisationCommand;
}
