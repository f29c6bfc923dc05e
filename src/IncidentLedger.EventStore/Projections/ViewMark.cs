namespace IncidentLedger.EventStore.Projections;

/// <summary>The last sequence number a projection's committed batch reached, so an in-memory copy of its view can be trusted or reloaded.</summary>
public sealed class ViewMark<TProjection>
{
    /// <summary>The id of a projection's one mark document.</summary>
    public const string Key = "mark";

    public string Id { get; set; } = Key;

    public long Sequence { get; set; }
}
