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

/// <summary>
/// What one batch of events changed: the view before and after, the streams the events touched, the
/// organisations among them (whose names other rows show), and whether <see cref="Before"/> is the
/// previous batch's <see cref="After"/> as this projection left it (so what it derived then still holds).
/// </summary>
public sealed record ViewChange(LedgerView Before, LedgerView After, IReadOnlySet<Guid> Touched, IReadOnlySet<Guid> ChangedOrganisations, bool Continues)
{
    /// <summary>The reported incidents the batch's events belong to.</summary>
    public IEnumerable<IncidentView> ChangedIncidents =>
        Touched.Where(After.Incidents.ContainsKey).Select(id => After.Incidents[id]).Where(i => i.State.FileOrDefault is not null);

    /// <summary>The reported incidents whose rows must be written again: the changed ones, and those naming a changed organisation.</summary>
    public IEnumerable<IncidentView> IncidentsToRewrite => ChangedOrganisations.Count == 0
        ? ChangedIncidents
        : After.ReportedIncidents.Where(i => Touched.Contains(i.IncidentId) || i.File.Participants.Any(ChangedOrganisations.Contains));

    /// <summary>The time of the batch's last event: the "now" of a projection that depends on time.</summary>
    public DateTimeOffset AsOf => After.LastRecordedAt ?? DateTimeOffset.UnixEpoch;
}

/// <summary>
/// A read model hosted on Marten's async daemon, computed by the domain's own folds. Each batch: the
/// projection loads the state it keeps of the streams the events touch (all of them when
/// <see cref="NeedsWholeView"/>), folds the events with <see cref="LedgerView.Apply"/>, stores the new
/// state and writes its documents from the change; the view stays in memory between batches while the
/// projection's mark shows it current. An event it cannot apply (one that names another
/// stream than its own, or breaks its stream's version order) stops the projection there, unless a
/// skip with a reason and author is recorded for it (<see cref="ProjectionSkips"/>).
/// </summary>
public abstract class LedgerViewProjection<TSelf> : IProjection
    where TSelf : LedgerViewProjection<TSelf>
{
    /// <summary>
    /// The view as this projection's last batch left it, trusted only while the projection's mark in
    /// the database says that batch committed and nothing moved the projection on since (another node,
    /// a rebuild). Complete once it holds every stream.
    /// </summary>
    private sealed record Memory(long Sequence, LedgerView View, ImmutableDictionary<string, long> Versions, bool Complete);

    private Memory? memory;

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
        var organisations = applying.Where(e => e.Data is IOrganisationEvent).Select(e => RecordedEvents.SubjectOf(e.Data)).ToHashSet();
        var (before, versions, complete, continues) = await LoadAsync(operations, applying, whole: NeedsWholeView || organisations.Count > 0, cancellation);

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

        if (!complete)
        {
            (before, after) = await WithNamedOrganisationsAsync(operations, before, after, touched, cancellation);
        }

        var sequence = ledgerEvents[^1].Sequence;
        foreach (var id in touched)
        {
            operations.Store(StateOf(after, id, versions[id.ToString("D")], sequence));
        }

        operations.Store(new ViewMark<TSelf> { Sequence = sequence });
        await WriteAsync(operations, new ViewChange(before, after, touched, organisations, continues), cancellation);
        memory = new Memory(sequence, after, versions, complete);
    }

    /// <summary>
    /// The state of the streams a batch touches (of all streams when <paramref name="whole"/>): from
    /// memory when the mark shows it is current, loading only what it lacks; else from the database.
    /// </summary>
    private async Task<(LedgerView View, ImmutableDictionary<string, long> Versions, bool Complete, bool Continues)> LoadAsync(IDocumentOperations operations, List<IEvent> events, bool whole, CancellationToken cancellation)
    {
        if (memory is { } kept && (await operations.LoadAsync<ViewMark<TSelf>>(ViewMark<TSelf>.Key, cancellation))?.Sequence == kept.Sequence && (kept.Complete || !whole))
        {
            if (kept.Complete)
            {
                return (kept.View, kept.Versions, true, true);
            }

            var missing = events.Select(e => e.StreamKey!).Distinct().Where(key => !kept.Versions.ContainsKey(key)).ToArray();
            var loaded = missing.Length == 0 ? [] : await operations.LoadManyAsync<ViewState<TSelf>>(cancellation, missing);
            return (With(kept.View, loaded), kept.Versions.SetItems(loaded.Select(s => KeyValuePair.Create(s.Id, s.Version))), false, true);
        }

        memory = null;
        IReadOnlyList<ViewState<TSelf>> states = whole
            ? await operations.Query<ViewState<TSelf>>().ToListAsync(cancellation)
            : await operations.LoadManyAsync<ViewState<TSelf>>(cancellation, events.Select(e => e.StreamKey!).Distinct());
        return (With(LedgerView.Empty, states), states.ToImmutableDictionary(s => s.Id, s => s.Version), whole, false);
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

    /// <summary>The view with the given streams' states set.</summary>
    private static LedgerView With(LedgerView view, IEnumerable<ViewState<TSelf>> states)
    {
        var organisations = view.Organisations.ToBuilder();
        var systems = view.Systems.ToBuilder();
        var incidents = view.Incidents.ToBuilder();
        var policies = view.Policies.ToBuilder();
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

        return view with
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
