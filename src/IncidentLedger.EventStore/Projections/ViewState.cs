using IncidentLedger.Domain.AiSystems;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Organisations;
using IncidentLedger.Domain.Policies;

namespace IncidentLedger.EventStore.Projections;

/// <summary>
/// One stream's domain state as a read-model projection last folded it. Each projection keeps its
/// own (the type argument names it), so each reads the log at its own pace, stops on its own, and
/// a rebuild starts it from nothing without touching the others.
/// </summary>
public sealed class ViewState<TProjection>
{
    /// <summary>The stream key.</summary>
    public string Id { get; set; } = "";

    public long Version { get; set; }

    /// <summary>The sequence number of the last event folded.</summary>
    public long Sequence { get; set; }

    public Organisation? Organisation { get; set; }

    public AiSystem? System { get; set; }

    public Incident? Incident { get; set; }

    public Policy? Policy { get; set; }
}

/// <summary>The last sequence number a projection's committed batch reached, so an in-memory copy of its view can be trusted or reloaded.</summary>
public sealed class ViewMark<TProjection>
{
    /// <summary>The id of a projection's one mark document.</summary>
    public const string Key = "mark";

    public string Id { get; set; } = Key;

    public long Sequence { get; set; }
}
