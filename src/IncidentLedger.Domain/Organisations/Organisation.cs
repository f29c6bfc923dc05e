using System.Text.Json.Serialization;
using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.Organisations;

/// <summary>What an organisation is, for the ledger.</summary>
public enum OrganisationKind
{
    Company,
    PublicBody,
    Regulator,
    Court,
    Insurer,
    NotifiedBody,
    Auditor,
    ResearchInstitution,
    CivilSociety,
}

public interface IOrganisationCommand : IDomainCommand
{
    Guid OrganisationId { get; }
}

public interface IOrganisationEvent
{
    Guid OrganisationId { get; }
}

public sealed record RegisterOrganisation(
    Guid OrganisationId,
    string Name,
    string Country,
    IReadOnlyList<OrganisationKind> Kinds,
    string? LegalIdentifier,
    Actor Actor,
    DateTimeOffset Now) : IOrganisationCommand;

/// <summary>An organisation joined the ledger: its name, country (ISO 3166-1 alpha-2, or a region such as EU) and kinds.</summary>
public sealed record OrganisationRegistered(
    Guid OrganisationId,
    string Name,
    string Country,
    IReadOnlyList<OrganisationKind> Kinds,
    string? LegalIdentifier,
    DateTimeOffset RegisteredAt,
    string RegisteredBy) : IOrganisationEvent;

public sealed record RenameOrganisation(Guid OrganisationId, string Name, string Reason, Actor Actor, DateTimeOffset Now) : IOrganisationCommand;

public sealed record OrganisationRenamed(Guid OrganisationId, string Name, string PreviousName, string Reason, DateTimeOffset RenamedAt, string RenamedBy) : IOrganisationEvent;

/// <summary>The organisation stream's state: not registered, or registered.</summary>
// Snapshots store the state as JSON, tagged with its case.
[JsonPolymorphic(TypeDiscriminatorPropertyName = "case")]
[JsonDerivedType(typeof(None), "none")]
[JsonDerivedType(typeof(Registered), "registered")]
public abstract record Organisation
{
    private protected Organisation()
    {
    }

    public sealed record None : Organisation
    {
        public static None Instance { get; } = new();
    }

    public sealed record Registered(OrganisationRegistered Registration, string Name) : Organisation;
}

/// <summary>The organisation stream's decider.</summary>
public sealed class OrganisationDecider : IDecider<Organisation, IOrganisationCommand, IOrganisationEvent>
{
    public static Organisation Initial => Organisation.None.Instance;

    public static Organisation Evolve(Organisation state, IOrganisationEvent @event) => (state, @event) switch
    {
        (Organisation.None, OrganisationRegistered e) => new Organisation.Registered(e, e.Name),
        (Organisation.Registered r, OrganisationRenamed e) => r with { Name = e.Name },
        _ => state,
    };

    public static IReadOnlyList<IOrganisationEvent> Decide(IOrganisationCommand command, Organisation state)
    {
        ArgumentNullException.ThrowIfNull(command);
        Rule.Require(command.Actor is not null && !string.IsNullOrWhiteSpace(command.Actor.Subject), "command.actor_missing", $"{command.GetType().Name} names no acting subject.");
        return (command, state) switch
        {
            (RegisterOrganisation c, _) => Register(c, state),
            (RenameOrganisation, Organisation.None) => throw Rule.Broken("organisation.unknown", $"Organisation {command.OrganisationId} is not registered."),
            (RenameOrganisation c, Organisation.Registered r) => Rename(c, r),
            _ => throw Rule.Broken("command.unknown", $"{command.GetType().Name} is not an organisation command."),
        };
    }

    private static IReadOnlyList<IOrganisationEvent> Register(RegisterOrganisation c, Organisation state)
    {
        var country = c.Country?.Trim().ToUpperInvariant();
        var registered = new OrganisationRegistered(
            c.OrganisationId,
            Rule.Text(c.Name, "organisation.name_missing", "The organisation's name", 300),
            country ?? "",
            (c.Kinds ?? []).Distinct().Order().ToArray(),
            Rule.OptionalText(c.LegalIdentifier, "organisation.identifier_too_long", "The legal identifier", 100),
            c.Now,
            c.Actor.Subject);
        if (state is Organisation.Registered existing)
        {
            return DomainJson.Same(existing.Registration, registered)
                ? []
                : throw Rule.Broken("organisation.already_registered", $"Organisation {c.OrganisationId} is already registered as \"{existing.Name}\" ({existing.Registration.Country}).");
        }

        Rule.Require(c.OrganisationId != Guid.Empty, "organisation.id_missing", "The organisation id is empty; choose a new Guid.");
        Rule.Require(Regions.IsValid(country), "organisation.country_invalid", $"\"{c.Country}\" is not a country code; use ISO 3166-1 alpha-2 such as DE, CN or US (or EU for a Union body).");
        Rule.Require(registered.Kinds.Count > 0, "organisation.kind_missing", "Say what kind of organisation it is (company, regulator, insurer …).");
        RequireOwnOrAdmin(c.Actor, c.OrganisationId, "register");
        var authorities = registered.Kinds.Where(k => k is OrganisationKind.Regulator or OrganisationKind.Court).ToArray();
        Rule.Require(
            authorities.Length == 0 || c.Actor.Role is ActorRole.Regulator or ActorRole.Admin,
            "organisation.kind_not_permitted",
            $"Only a regulator or an admin registers an organisation as {string.Join(" or ", authorities.Select(Codes.Of))}; {c.Actor.Subject} acts as {Codes.Of(c.Actor.Role)}.");
        Rule.Require(
            !registered.Kinds.Contains(OrganisationKind.Insurer) || c.Actor.Role is ActorRole.Insurer or ActorRole.Admin,
            "organisation.kind_not_permitted",
            $"Only an insurer or an admin registers an organisation as an insurer; {c.Actor.Subject} acts as {Codes.Of(c.Actor.Role)}.");
        return [registered];
    }

    private static IReadOnlyList<IOrganisationEvent> Rename(RenameOrganisation c, Organisation.Registered r)
    {
        RequireOwnOrAdmin(c.Actor, c.OrganisationId, "rename");
        var name = Rule.Text(c.Name, "organisation.name_missing", "The new name", 300);
        if (name == r.Name)
        {
            return [];
        }

        return [new OrganisationRenamed(c.OrganisationId, name, r.Name, Rule.Text(c.Reason, "organisation.reason_missing", "The reason for the change"), c.Now, c.Actor.Subject)];
    }

    private static void RequireOwnOrAdmin(Actor actor, Guid organisationId, string verb) =>
        Rule.Require(
            actor.Role == ActorRole.Admin || actor.OrganisationId == organisationId,
            "organisation.not_own",
            $"{actor.Subject} acts for organisation {actor.OrganisationId} and may only {verb} that organisation; an admin may {verb} any.");
}
