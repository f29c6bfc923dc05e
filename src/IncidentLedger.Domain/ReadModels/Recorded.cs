namespace IncidentLedger.Domain.ReadModels;

/// <summary>
/// An event as the log recorded it: its place in the global log and in its stream, who caused it,
/// when, and its integrity hash. Read-model folds take these, so the projection runner can host them.
/// </summary>
public sealed record Recorded(
    long Position,
    Guid StreamId,
    string StreamType,
    long Version,
    object Event,
    DateTimeOffset RecordedAt,
    string ActorSubject,
    Guid? ActorOrganisation,
    string ActorRole,
    string Hash)
{
    /// <summary>The event's stable stored name (see <see cref="DomainEvents"/>).</summary>
    public string EventName => DomainEvents.NameOf(Event);
}
