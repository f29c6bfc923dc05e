using IncidentLedger.Domain;
using IncidentLedger.EventStore.Commands;
using IncidentLedger.EventStore.Events;

namespace IncidentLedger.Api.Domain;

/// <summary>Where the pure domain meets the event store: its event catalogue as registered types, its deciders as executor deciders, its actors as event metadata.</summary>
public static class DomainLedger
{
    /// <summary>Every domain event under its stable name and schema version, serialised with the domain's JSON options.</summary>
    public static EventTypeRegistry CreateRegistry()
    {
        var registry = new EventTypeRegistry(DomainJson.Options);
        foreach (var type in DomainEvents.All)
        {
            registry.Register(type.ClrType, type.Name, type.SchemaVersion);
        }

        return registry;
    }

    public static Decider<object, object, object> Decider(StreamDecider stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new(stream.Initial, stream.Evolve, stream.Decide);
    }

    public static EventMetadata Metadata(Actor actor, Guid? correlationId = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return new EventMetadata(actor.Subject)
        {
            Organisation = actor.OrganisationId.ToString(),
            Role = actor.Role.ToString().ToLowerInvariant(),
            CorrelationId = correlationId,
        };
    }
}
