using IncidentLedger.Domain;
using IncidentLedger.Domain.Organisations;

namespace IncidentLedger.Testing;

/// <summary>Small, valid organisation commands: the cheapest stream to write many events to.</summary>
public static class Organisations
{
    public static Actor Admin { get; } = new("admin@test", Guid.Parse("00000000-0000-0000-0000-00000000a001"), ActorRole.Admin, []);

    public static RegisterOrganisation Register(Guid id, string name = "Acme AI") =>
        new(id, name, "DE", [OrganisationKind.Company], null, Admin, DateTimeOffset.UtcNow);

    public static RenameOrganisation Rename(Guid id, string name) => new(id, name, "test", Admin, DateTimeOffset.UtcNow);
}
