using IncidentLedger.Domain;
using IncidentLedger.Domain.AiSystems;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Organisations;
using IncidentLedger.Domain.Policies;
using JasperFx.Events;
using IncidentLedger.EventStore.Writing;
using Marten.Events.Aggregation;

namespace IncidentLedger.EventStore.Streams;

/// <summary>
/// A stream's inline snapshot: the domain state its events fold to, its version and the hash of its
/// last event (the head the next event chains to). Written in the append's own transaction, so the
/// write path loads state and head in one query and a reader sees its own write at once.
/// </summary>
public abstract class LedgerStream<TState>
    where TState : class
{
    /// <summary>The stream key: the stream's UUID, lower-case.</summary>
    public string Id { get; set; } = "";

    public long Version { get; set; }

    /// <summary>The event hash (hex) of the stream's last event.</summary>
    public string? Head { get; set; }

    public TState State { get; set; } = null!;
}

public sealed class OrganisationStream : LedgerStream<Organisation>;

public sealed class AiSystemStream : LedgerStream<AiSystem>;

public sealed class IncidentStream : LedgerStream<Incident>;

public sealed class PolicyStream : LedgerStream<Policy>;

/// <summary>Folds one stream type's events into its snapshot with the domain's own Evolve.</summary>
public sealed class LedgerStreamProjection<TDoc, TState> : SingleStreamProjection<TDoc, string>
    where TDoc : LedgerStream<TState>, new()
    where TState : class
{
    private readonly StreamDecider decider;

    public LedgerStreamProjection(StreamDecider decider)
    {
        ArgumentNullException.ThrowIfNull(decider);
        this.decider = decider;
        foreach (var descriptor in DomainEvents.All.Where(e => e.StreamType == decider.StreamType))
        {
            IncludeType(descriptor.ClrType);
        }
    }

    public override TDoc Evolve(TDoc? snapshot, string id, IEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        snapshot ??= new TDoc { Id = id, State = (TState)decider.Initial };
        snapshot.State = (TState)decider.Evolve(snapshot.State, e.Data);
        snapshot.Version = e.Version;
        snapshot.Head = ChainedEvents.HeaderText(e, LedgerStore.Headers.Hash);
        return snapshot;
    }
}
