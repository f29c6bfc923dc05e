using IncidentLedger.EventStore.Events;

namespace IncidentLedger.EventStore;

/// <summary>Configuration of one ledger's event store.</summary>
public sealed record EventStoreOptions
{
    /// <summary>The ledger's origin line (C2SP tlog-checkpoint style, e.g. "ledger.example.org/incidents"); covered by every event hash.</summary>
    public required string Origin { get; init; }

    public required EventTypeRegistry Types { get; init; }

    /// <summary>The largest serialised event payload accepted; evidence content stays outside the ledger, only its hash goes in.</summary>
    public int MaxEventBytes { get; init; } = 256 * 1024;

    /// <summary>The most events one append may carry.</summary>
    public int MaxEventsPerAppend { get; init; } = 1000;

    /// <summary>Whether appends wake the sealer with a NOTIFY (sent after commit, coalesced) rather than leave it to its poll.</summary>
    public bool NotifySealer { get; init; } = true;

    /// <summary>How long a wake-up waits to gather further appends into one NOTIFY.</summary>
    public TimeSpan SealerWakeDelay { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Read models updated in the append transaction itself.</summary>
    public IReadOnlyList<Projections.IInlineProjection> InlineProjections { get; init; } = [];

    /// <summary>The clock that stamps recorded-at (UTC, truncated to PostgreSQL's microseconds).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
