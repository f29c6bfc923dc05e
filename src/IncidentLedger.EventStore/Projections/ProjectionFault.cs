namespace IncidentLedger.EventStore.Projections;

/// <summary>
/// Why a projection stopped: written, outside the failing batch's transaction, each time a batch
/// fails, and removed by the next batch that succeeds. Status pages on every node read it.
/// </summary>
public sealed class ProjectionFault
{
    /// <summary>The projection's name.</summary>
    public string Id { get; set; } = "";

    /// <summary>The event it stopped at, when known; otherwise the first of the failing batch.</summary>
    public long Sequence { get; set; }

    public string Error { get; set; } = "";

    public DateTimeOffset FirstSeenAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }
}
