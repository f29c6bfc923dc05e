using IncidentLedger.Domain.AiSystems;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Organisations;
using IncidentLedger.Domain.Policies;
using IncidentLedger.Domain.ReadModels;
using IncidentLedger.EventStore.Writing;
using JasperFx.Events;

namespace IncidentLedger.EventStore.Projections;

/// <summary>Marten's events as the domain's read-model folds take them.</summary>
public static class RecordedEvents
{
    /// <summary>Whether <paramref name="e"/> is a ledger event (not one of Marten's tombstones or another store's event).</summary>
    public static bool IsLedgerEvent(IEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Data is IOrganisationEvent or IAiSystemEvent or IIncidentEvent or IPolicyEvent;
    }

    /// <summary>The event with its sequence number as position, Marten's timestamp and the actor and hash from its headers.</summary>
    public static Recorded From(IEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var organisation = ChainedEvents.HeaderText(e, LedgerStore.Headers.Organisation);
        return new Recorded(
            e.Sequence,
            Guid.Parse(e.StreamKey ?? throw new BadEventException(e, "it has no stream key")),
            ChainedEvents.HeaderText(e, LedgerStore.Headers.StreamType) ?? "",
            e.Version,
            e.Data,
            e.Timestamp,
            ChainedEvents.HeaderText(e, LedgerStore.Headers.Actor) ?? "",
            Guid.TryParse(organisation, out var id) ? id : null,
            ChainedEvents.HeaderText(e, LedgerStore.Headers.Role) ?? "",
            ChainedEvents.HeaderText(e, LedgerStore.Headers.Hash) ?? "");
    }

    /// <summary>The id of the domain entity an event is about, which must be its stream's key.</summary>
    public static Guid SubjectOf(object data) => data switch
    {
        IOrganisationEvent e => e.OrganisationId,
        IAiSystemEvent e => e.SystemId,
        IIncidentEvent e => e.IncidentId,
        IPolicyEvent e => e.PolicyId,
        _ => throw new ArgumentException($"{data?.GetType().Name} is not a ledger event.", nameof(data)),
    };
}

/// <summary>An event a read model cannot apply: the projection stops at it until the cause is fixed or the event is skipped with a recorded reason.</summary>
public sealed class BadEventException : Exception
{
    public BadEventException(IEvent e, string reason)
        : base($"Event {e?.Sequence} ({e?.EventTypeName}, stream {e?.StreamKey}, version {e?.Version}) cannot be applied: {reason}.")
    {
        Sequence = e?.Sequence ?? 0;
    }

    public BadEventException()
    {
    }

    public BadEventException(string message)
        : base(message)
    {
    }

    public BadEventException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public long Sequence { get; }
}
