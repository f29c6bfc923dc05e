using System.Collections.Immutable;
using IncidentLedger.Domain.AiSystems;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Organisations;
using IncidentLedger.Domain.Policies;

namespace IncidentLedger.Domain.ReadModels;

/// <summary>One line of an incident's timeline: what happened, who caused it, and its integrity receipt.</summary>
public sealed record TimelineEntry(
    long Position,
    long Version,
    string EventName,
    string Summary,
    string ActorSubject,
    string ActorRole,
    Guid? ActorOrganisation,
    DateTimeOffset RecordedAt,
    string Hash);

/// <summary>An incident's current state and its timeline.</summary>
public sealed record IncidentView(Guid IncidentId, Incident State, ImmutableList<TimelineEntry> Timeline)
{
    public IncidentFile File => State.FileOrDefault!;

    /// <summary>The stream version the state is at: its last timeline entry's, unless given (a view loaded without its timeline).</summary>
    public long Version { get; init; } = Timeline.IsEmpty ? 0 : Timeline[^1].Version;
}

/// <summary>
/// Every stream folded from the log, in position order: the base the read models are computed from.
/// Pure and deterministic: the same recorded events always give the same view, and an event at or
/// below the last applied position is ignored, so re-delivery changes nothing.
/// </summary>
public sealed record LedgerView
{
    public static LedgerView Empty { get; } = new();

    /// <summary>
    /// An empty view whose incidents keep their state and version but no timeline: what the read models fold, since none
    /// of them shows a timeline (each entry's summary is written as the event is applied, and kept for as long as the view).
    /// </summary>
    public static LedgerView WithoutTimelines { get; } = new() { KeepsTimelines = false };

    /// <summary>Whether the incidents' timelines are kept (<see cref="IncidentView.Timeline"/>); empty otherwise.</summary>
    public bool KeepsTimelines { get; private init; } = true;

    public long LastPosition { get; init; } = -1;

    public DateTimeOffset? LastRecordedAt { get; init; }

    public ImmutableSortedDictionary<Guid, Organisation.Registered> Organisations { get; init; } = ImmutableSortedDictionary<Guid, Organisation.Registered>.Empty;

    public ImmutableSortedDictionary<Guid, AiSystem> Systems { get; init; } = ImmutableSortedDictionary<Guid, AiSystem>.Empty;

    public ImmutableSortedDictionary<Guid, IncidentView> Incidents { get; init; } = ImmutableSortedDictionary<Guid, IncidentView>.Empty;

    public ImmutableSortedDictionary<Guid, Policy> Policies { get; init; } = ImmutableSortedDictionary<Guid, Policy>.Empty;

    public static LedgerView Fold(IEnumerable<Recorded> events) => events.Aggregate(Empty, Apply);

    /// <summary>What the ledger knew at <paramref name="asOf"/>: only events recorded by then.</summary>
    public static LedgerView AsOf(IEnumerable<Recorded> events, DateTimeOffset asOf) => Fold(events.Where(e => e.RecordedAt <= asOf));

    public static LedgerView Apply(LedgerView view, Recorded recorded)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(recorded);
        if (recorded.Position <= view.LastPosition)
        {
            return view;
        }

        var next = view with { LastPosition = recorded.Position, LastRecordedAt = recorded.RecordedAt };
        return recorded.Event switch
        {
            IOrganisationEvent e => next with
            {
                Organisations = OrganisationDecider.Evolve(Lookup(view.Organisations, e.OrganisationId) ?? OrganisationDecider.Initial, e) is Organisation.Registered registered
                    ? view.Organisations.SetItem(e.OrganisationId, registered)
                    : view.Organisations,
            },
            IAiSystemEvent e => next with { Systems = view.Systems.SetItem(e.SystemId, AiSystemDecider.Evolve(view.Systems.GetValueOrDefault(e.SystemId) ?? AiSystemDecider.Initial, e)) },
            IPolicyEvent e => next with { Policies = view.Policies.SetItem(e.PolicyId, PolicyDecider.Evolve(view.Policies.GetValueOrDefault(e.PolicyId) ?? PolicyDecider.Initial, e)) },
            IIncidentEvent e => next with { Incidents = view.Incidents.SetItem(e.IncidentId, ApplyIncident(view.Incidents.GetValueOrDefault(e.IncidentId), e, recorded, view.KeepsTimelines)) },
            _ => next,
        };
    }

    private static Organisation? Lookup(ImmutableSortedDictionary<Guid, Organisation.Registered> organisations, Guid id) =>
        organisations.TryGetValue(id, out var registered) ? registered : null;

    private static IncidentView ApplyIncident(IncidentView? view, IIncidentEvent e, Recorded recorded, bool timeline)
    {
        var state = IncidentDecider.Evolve(view?.State ?? IncidentDecider.Initial, e);
        if (!timeline)
        {
            return new IncidentView(e.IncidentId, state, []) { Version = recorded.Version };
        }

        var entry = new TimelineEntry(
            recorded.Position, recorded.Version, recorded.EventName, EventSummaries.Describe(e),
            recorded.ActorSubject, recorded.ActorRole, recorded.ActorOrganisation, recorded.RecordedAt, recorded.Hash);
        return new IncidentView(e.IncidentId, state, (view?.Timeline ?? []).Add(entry));
    }

    /// <summary>An organisation's current name, or its id when it is not registered.</summary>
    public string NameOf(Guid organisationId) =>
        Organisations.TryGetValue(organisationId, out var registered) ? registered.Name : organisationId.ToString();

    public AiSystemProfile? SystemProfile(Guid systemId) => Systems.GetValueOrDefault(systemId)?.ProfileOrDefault;

    /// <summary>The open and closed incidents (reported ones only).</summary>
    public IEnumerable<IncidentView> ReportedIncidents => Incidents.Values.Where(i => i.State.FileOrDefault is not null);
}
