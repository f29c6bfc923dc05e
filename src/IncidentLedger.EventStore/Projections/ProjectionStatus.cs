namespace IncidentLedger.EventStore.Projections;

/// <summary>Where a projection stands: its position, how far behind the sealed log it is, and why it stopped if it did.</summary>
public sealed record ProjectionStatus(
    string Name,
    string State,
    long Position,
    long SealedSize,
    DateTimeOffset? AppliedAt,
    double LagSeconds,
    string? Error,
    long? ErrorPosition,
    bool RebuildRequested,
    long? RebuildPosition)
{
    /// <summary>How many sealed events the projection has yet to apply.</summary>
    public long LagEvents => Math.Max(0, SealedSize - 1 - Position);
}
