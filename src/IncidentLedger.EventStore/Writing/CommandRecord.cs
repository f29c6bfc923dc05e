namespace IncidentLedger.EventStore.Writing;

/// <summary>One event an accepted command wrote: what a filing receipt is issued for.</summary>
public sealed record WrittenEvent(Guid EventId, long Version, string EventType, string Hash, DateTimeOffset RecordedAt);

/// <summary>What a command did to its stream: the version it left and the events it wrote (none for a repeated or idle command).</summary>
public sealed record WriteOutcome(string StreamKey, string StreamType, long Version, IReadOnlyList<WrittenEvent> Events, bool AlreadyApplied)
{
    public Guid StreamId => Guid.Parse(StreamKey);

    /// <summary>The filing receipts the log signed for <see cref="Events"/>, one per event in the same order (signed-note text); the command path adds them, the bare write path leaves this empty.</summary>
    public IReadOnlyList<string> Receipts { get; init; } = [];
}

/// <summary>
/// The result of a command sent with an idempotency key, stored in the command's own transaction:
/// sending the key again answers with this and writes nothing.
/// </summary>
public sealed class CommandRecord
{
    /// <summary>The idempotency key.</summary>
    public string Id { get; set; } = "";

    public string CommandType { get; set; } = "";

    public string StreamKey { get; set; } = "";

    public string StreamType { get; set; } = "";

    public long Version { get; set; }

    public List<WrittenEvent> Events { get; set; } = [];

    public DateTimeOffset RecordedAt { get; set; }
}
