using System.Collections.Immutable;
using IncidentLedger.Domain.AiSystems;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Organisations;
using IncidentLedger.Domain.Policies;
using IncidentLedger.Domain.ReadModels;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace IncidentLedger.EventStore.Projections;

/// <summary>What one batch of events changed: the view before and after, and which streams they touched.</summary>
public sealed record ViewChange(LedgerView Before, LedgerView After, IReadOnlySet<Guid> Touched, bool OrganisationsChanged)
{
    /// <summary>The reported incidents the batch's events belong to.</summary>
    public IEnumerable<IncidentView> ChangedIncidents =>
        Touched.Where(After.Incidents.ContainsKey).Select(id => After.Incidents[id]).Where(i => i.State.FileOrDefault is not null);

    /// <summary>The reported incidents whose derived rows must be written again: the changed ones, or all when an organisation (whose name rows show) changed.</summary>
    public IEnumerable<IncidentView> IncidentsToRewrite => OrganisationsChanged ? After.ReportedIncidents : ChangedIncidents;

    /// <summary>The time of the batch's last event: the "now" of a projection that depends on time.</summary>
    public DateTimeOffset AsOf => After.LastRecordedAt ?? DateTimeOffset.UnixEpoch;
}

/// <summary>
/// A read model hosted on Marten's async daemon, computed by the domain's own folds. Each batch: the
/// projection loads the state it keeps of the streams the events touch (all of them when
/// <see cref="NeedsWholeView"/>), folds the events with <see cref="LedgerView.Apply"/>, stores the new
/// state and writes its documents from the change. An event it cannot apply (one that names another
/// stream than its own, or breaks its stream's version order) stops the projection there, unless a
/// skip with a reason and author is recorded for it (<see cref="ProjectionSkips"/>).
/// </summary>
public abstract class LedgerViewProjection<TSelf> : IProjection
    where TSelf : LedgerViewProjection<TSelf>
{
    private (long Sequence, LedgerView View, ImmutableDictionary<string, long> Versions)? cached;

    /// <summary>The projection's name: its shard in Marten's progression table and its name in status and skips.</summary>
    public abstract string Name { get; }

    /// <summary>Whether every batch needs the whole ledger's state (exposure across parties, systems and policies), not only the touched streams'.</summary>
    protected virtual bool NeedsWholeView => false;

    /// <summary>Writes the projection's documents for one batch.</summary>
    protected abstract Task WriteAsync(IDocumentOperations operations, ViewChange change, CancellationToken cancellationToken);

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(events);
        var ledgerEvents = events.Where(RecordedEvents.IsLedgerEvent).ToList();
        if (ledgerEvents.Count == 0)
        {
            return;
        }

        try
        {
            await ApplyLedgerEventsAsync(operations, ledgerEvents, cancellation);
            operations.Delete<ProjectionFault>(Name);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await RecordFaultAsync(operations.DocumentStore, e is BadEventException bad ? bad.Sequence : ledgerEvents[0].Sequence, e.Message);
            throw;
        }
    }

    private async Task RecordFaultAsync(IDocumentStore store, long sequence, string error)
    {
        await using var session = store.LightweightSession();
        var now = DateTimeOffset.UtcNow;
        var known = await session.LoadAsync<ProjectionFault>(Name);
        session.Store(new ProjectionFault { Id = Name, Sequence = sequence, Error = error, FirstSeenAt = known?.Sequence == sequence ? known.FirstSeenAt : now, LastSeenAt = now });
        await session.SaveChangesAsync();
    }

    private async Task ApplyLedgerEventsAsync(IDocumentOperations operations, List<IEvent> ledgerEvents, CancellationToken cancellation)
    {
        var skipped = await ProjectionSkips.SkippedAsync(operations, Name, ledgerEvents[0].Sequence, ledgerEvents[^1].Sequence, cancellation);
        var applying = ledgerEvents.Where(e => !skipped.Contains(e.Sequence)).ToList();
        var organisationsChanged = applying.Any(e => e.Data is IOrganisationEvent);
        var (before, versions) = await LoadAsync(operations, applying, whole: NeedsWholeView || organisationsChanged, cancellation);

        var after = before;
        var touched = new HashSet<Guid>();
        foreach (var e in applying)
        {
            var recorded = RecordedEvents.From(e);
            if (RecordedEvents.SubjectOf(e.Data) != recorded.StreamId)
            {
                throw new BadEventException(e, $"its data is about {RecordedEvents.SubjectOf(e.Data)}, not its stream");
            }

            var expected = versions.GetValueOrDefault(e.StreamKey!) + 1;
            if (e.Version != expected)
            {
                throw new BadEventException(e, $"the stream's next version is {expected}");
            }

            versions = versions.SetItem(e.StreamKey!, e.Version);
            after = LedgerView.Apply(after, recorded);
            touched.Add(recorded.StreamId);
        }

        (before, after) = await WithNamedOrganisationsAsync(operations, before, after, touched, cancellation);
        foreach (var id in touched)
        {
            operations.Store(StateOf(after, id, versions[id.ToString("D")], ledgerEvents[^1].Sequence));
        }

        if (NeedsWholeView)
        {
            var sequence = ledgerEvents[^1].Sequence;
            operations.Store(new ViewMark<TSelf> { Sequence = sequence });
            cached = (sequence, after, versions);
        }

        await WriteAsync(operations, new ViewChange(before, after, touched, organisationsChanged), cancellation);
    }

    private async Task<(LedgerView View, ImmutableDictionary<string, long> Versions)> LoadAsync(IDocumentOperations operations, List<IEvent> events, bool whole, CancellationToken cancellation)
    {
        if (whole && NeedsWholeView && cached is { } copy)
        {
            var mark = await operations.LoadAsync<ViewMark<TSelf>>("mark", cancellation);
            if (mark?.Sequence == copy.Sequence)
            {
                return (copy.View, copy.Versions);
            }
        }

        cached = null;
        IReadOnlyList<ViewState<TSelf>> states = whole
            ? await operations.Query<ViewState<TSelf>>().ToListAsync(cancellation)
            : await operations.LoadManyAsync<ViewState<TSelf>>(cancellation, events.Select(e => e.StreamKey!).Distinct());
        return (ViewOf(states), states.ToImmutableDictionary(s => s.Id, s => s.Version));
    }

    /// <summary>Adds the organisations the touched incidents name but the view lacks (their names appear in rows).</summary>
    private static async Task<(LedgerView Before, LedgerView After)> WithNamedOrganisationsAsync(IDocumentOperations operations, LedgerView before, LedgerView after, IEnumerable<Guid> touched, CancellationToken cancellation)
    {
        var missing = touched
            .Where(after.Incidents.ContainsKey)
            .Select(id => after.Incidents[id].State.FileOrDefault)
            .OfType<IncidentFile>()
            .SelectMany(file => file.Participants)
            .Where(id => !after.Organisations.ContainsKey(id))
            .Distinct()
            .Select(id => id.ToString("D"))
            .ToArray();
        if (missing.Length == 0)
        {
            return (before, after);
        }

        var found = (await operations.LoadManyAsync<ViewState<TSelf>>(cancellation, missing))
            .Where(s => s.Organisation is Organisation.Registered)
            .ToDictionary(s => Guid.Parse(s.Id), s => (Organisation.Registered)s.Organisation!);
        return (before with { Organisations = before.Organisations.SetItems(found) }, after with { Organisations = after.Organisations.SetItems(found) });
    }

    private static LedgerView ViewOf(IEnumerable<ViewState<TSelf>> states)
    {
        var organisations = ImmutableSortedDictionary.CreateBuilder<Guid, Organisation.Registered>();
        var systems = ImmutableSortedDictionary.CreateBuilder<Guid, AiSystem>();
        var incidents = ImmutableSortedDictionary.CreateBuilder<Guid, IncidentView>();
        var policies = ImmutableSortedDictionary.CreateBuilder<Guid, Policy>();
        foreach (var state in states)
        {
            var id = Guid.Parse(state.Id);
            switch (state)
            {
                case { Organisation: Organisation.Registered registered }:
                    organisations[id] = registered;
                    break;
                case { System: { } system }:
                    systems[id] = system;
                    break;
                case { Incident: { } incident }:
                    incidents[id] = new IncidentView(id, incident, []) { Version = state.Version };
                    break;
                case { Policy: { } policy }:
                    policies[id] = policy;
                    break;
            }
        }

        return new LedgerView
        {
            Organisations = organisations.ToImmutable(),
            Systems = systems.ToImmutable(),
            Incidents = incidents.ToImmutable(),
            Policies = policies.ToImmutable(),
        };
    }

    private static ViewState<TSelf> StateOf(LedgerView view, Guid id, long version, long sequence) => new()
    {
        Id = id.ToString("D"),
        Version = version,
        Sequence = sequence,
        Organisation = view.Organisations.GetValueOrDefault(id),
        System = view.Systems.GetValueOrDefault(id),
        Incident = view.Incidents.GetValueOrDefault(id)?.State,
        Policy = view.Policies.GetValueOrDefault(id),
    };
}
