using IncidentLedger.Integrity.Checkpoints;

namespace IncidentLedger.EventStore.Sealing;

/// <summary>How the sealer batches, wakes and checkpoints.</summary>
public sealed record SealerOptions
{
    /// <summary>The log's origin: the first line of every checkpoint (and the signing key's name).</summary>
    public required string Origin { get; init; }

    /// <summary>Signs checkpoints (Ed25519 by default, see <see cref="CheckpointKeys"/>); its key name should equal the origin.</summary>
    public required INoteSigner Signer { get; init; }

    /// <summary>The most events sealed in one transaction.</summary>
    public int BatchSize { get; init; } = 5000;

    /// <summary>
    /// How long to sleep when a pass found nothing to seal: the most an idle sealer adds to an event's sealing lag.
    /// Writers do not wake it (a NOTIFY at every commit serialised them on PostgreSQL's notification lock).
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How long to gather events after a pass that sealed some but fewer than <see cref="BatchSize"/>: under a steady
    /// stream of appends the log is sealed in a few larger passes a second rather than one per handful of events (each
    /// pass is a transaction with its own commit flush). The most it adds to an event's sealing lag.
    /// </summary>
    public TimeSpan GatherInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Issue a checkpoint once this many events were sealed since the last one…</summary>
    public long CheckpointEveryEvents { get; init; } = 1000;

    /// <summary>…or once this long has passed with unsealed-into-a-checkpoint events.</summary>
    public TimeSpan CheckpointEvery { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a standby node tries to become the sealer.</summary>
    public TimeSpan LeaderRetryInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Runs inside each sealing transaction just before it commits (tests use it to simulate a crash).</summary>
    public Func<long, CancellationToken, Task>? BeforeCommit { get; init; }
}

/// <summary>PostgreSQL notification channels: the sealer signals the log's live feeds.</summary>
public static class LedgerNotifications
{
    /// <summary>The sealer notifies here (payload: the new size) after each pass that sealed something.</summary>
    public const string SealedChannel = "incident_ledger_sealed";
}
