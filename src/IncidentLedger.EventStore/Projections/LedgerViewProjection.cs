using System.Linq.Expressions;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Organisations;
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
/// projection takes the state of the streams the events touch (of all streams when
/// <see cref="NeedsWholeView"/>) from the view it keeps in memory, folds the events with
/// <see cref="LedgerView.Apply"/> and writes its documents from the change. Once its view holds every stream, the
/// fold to a batch's end is the one <see cref="SharedFolds"/> keeps for the store's read models: the first to get
/// there folds, the others take its state, so the process folds each event and keeps the ledger once. The view in memory is
/// trusted only while the projection's mark shows that it is current; otherwise (a restart, another node
/// or a rebuild moved the projection) the states it needs are folded again from the streams' earlier
/// events, so no copy of the domain state is stored beside the events. An event it cannot apply (one
/// that names another stream than its own, or breaks its stream's version order) stops the projection
/// there, unless a skip with a reason and author is recorded for it (<see cref="ProjectionSkips"/>).
/// </summary>
public abstract class LedgerViewProjection<TSelf> : IProjection
    where TSelf : LedgerViewProjection<TSelf>
{
    /// <summary>
    /// The view as this projection's last batch left it, trusted only while the projection's mark in
    /// the database says that batch committed and nothing moved the projection on since (another node,
    /// a rebuild). Complete once it holds every stream.
    /// </summary>
    private sealed record Memory(long Sequence, Folded State, bool Complete);

    private Memory? memory;

    /// <summary>The whole ledger's states this store's read models share, so each batch is folded once (<see cref="SharedFolds"/>).</summary>
    internal SharedFolds Shared { get; init; } = new();

    /// <summary>The projection's name: its shard in Marten's progression table and its name in status and skips.</summary>
    public abstract string Name { get; }

    /// <summary>Whether every batch needs the whole ledger's state (exposure across parties, systems and policies), not only the touched streams'.</summary>
    protected virtual bool NeedsWholeView => false;

    /// <summary>The most events the daemon hands this projection at once (while it catches up or rebuilds; live batches are smaller).</summary>
    public virtual int BatchSize => LedgerProjections.BatchSize;

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
            memory = null;
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
        // The projection's mark and its skips up to the batch's end (the batch's own, and those a fold of earlier events
        // leaves out), in one round trip.
        var reads = operations.CreateBatchQuery();
        var mark = reads.Load<ViewMark<TSelf>>(ViewMark<TSelf>.Key);
        var skips = ProjectionSkips.Skipped(reads, Name, ledgerEvents[^1].Sequence);
        await reads.Execute(cancellation);
        var skipped = (await skips).ToHashSet();
        var applying = ledgerEvents.Where(e => !skipped.Contains(e.Sequence)).ToList();
        var organisations = applying.Where(e => e.Data is IOrganisationEvent).Select(e => RecordedEvents.SubjectOf(e.Data)).ToHashSet();
        var (before, complete, continues) = await LoadAsync(operations, (await mark)?.Sequence, ledgerEvents, skipped, whole: NeedsWholeView || organisations.Count > 0, cancellation);

        // The whole ledger's state after the batch is the same for every read model that skips the same events: the first folds it.
        var sequence = ledgerEvents[^1].Sequence;
        Folded after;
        if (complete)
        {
            after = await Shared.GetOrFoldAsync(sequence, skipped, () => Fold(before, applying));
        }
        else if (Shared.TryGet(sequence, skipped, out var whole))
        {
            (after, complete) = (whole, true);
        }
        else
        {
            after = Fold(before, applying);
        }

        var touched = applying.Select(e => RecordedEvents.SubjectOf(e.Data)).ToHashSet();
        if (!complete)
        {
            (before, after) = await WithNamedOrganisationsAsync(operations, before, after, touched, ledgerEvents[0].Sequence, skipped, cancellation);
        }

        operations.Store(new ViewMark<TSelf> { Sequence = sequence });
        await WriteAsync(operations, new ViewChange(before.View, after.View, touched, organisations, continues), cancellation);
        memory = new Memory(sequence, after, complete);
    }

    /// <summary>Applies <paramref name="events"/> in order, each only to its own stream and only as that stream's next version.</summary>
    private static Folded Fold(Folded from, IEnumerable<IEvent> events)
    {
        var view = from.View;
        var versions = from.Versions.ToBuilder();
        foreach (var e in events)
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

            versions[e.StreamKey!] = e.Version;
            view = LedgerView.Apply(view, recorded);
        }

        return new Folded(view, versions.ToImmutable());
    }

    /// <summary>
    /// The state of the streams a batch touches (of all streams when <paramref name="whole"/>) just before the
    /// batch: from memory when the <paramref name="mark"/> shows it is current, folding only what it lacks; else folded again.
    /// </summary>
    private async Task<(Folded View, bool Complete, bool Continues)> LoadAsync(IDocumentOperations operations, long? mark, List<IEvent> batch, IReadOnlySet<long> skipped, bool whole, CancellationToken cancellation)
    {
        var first = batch[0].Sequence;
        if (memory is { } kept && mark == kept.Sequence && (kept.Complete || !whole))
        {
            return kept.Complete
                ? (kept.State, true, true)
                : (await FoldStreamsAsync(operations, kept.State, Earlier(batch).Where(key => !kept.State.Versions.ContainsKey(key)).ToArray(), first, skipped, cancellation), false, true);
        }

        memory = null;
        return whole
            ? (await FoldStreamsAsync(operations, Folded.Empty, null, first, skipped, cancellation), true, false)
            : (await FoldStreamsAsync(operations, Folded.Empty, Earlier(batch).ToArray(), first, skipped, cancellation), false, false);
    }

    /// <summary>The batch's streams that have events before it (a stream whose first event in the batch is its first has none).</summary>
    private static IEnumerable<string> Earlier(List<IEvent> batch) =>
        batch.GroupBy(e => e.StreamKey!).Where(g => g.Min(e => e.Version) > 1).Select(g => g.Key);

    /// <summary>
    /// Folds onto <paramref name="view"/> the ledger events of the given streams (of every stream when null) sequenced
    /// before <paramref name="before"/>, leaving out the <paramref name="skipped"/> ones.
    /// </summary>
    private static async Task<Folded> FoldStreamsAsync(IDocumentOperations operations, Folded view, IReadOnlyCollection<string>? streams, long before, IReadOnlySet<long> skipped, CancellationToken cancellation)
    {
        if (streams is { Count: 0 })
        {
            return view;
        }

        var events = operations.Events.QueryAllRawEvents().WhereCompared(e => e.Sequence, ExpressionType.LessThan, before);
        if (streams is not null)
        {
            events = events.WhereIn(e => e.StreamKey!, streams);
        }

        // Folded in chunks as they are read, so a whole-log fold never holds the whole log in memory.
        var chunk = new List<IEvent>(FoldChunk);
        await foreach (var e in events.OrderBy(e => e.Sequence).ToAsyncEnumerable(cancellation))
        {
            if (RecordedEvents.IsLedgerEvent(e) && !skipped.Contains(e.Sequence))
            {
                chunk.Add(e);
            }

            if (chunk.Count == FoldChunk)
            {
                view = Fold(view, chunk);
                chunk.Clear();
            }
        }

        return Fold(view, chunk);
    }

    private const int FoldChunk = 5000;

    /// <summary>Adds the organisations the touched incidents name but the view lacks (their names appear in rows).</summary>
    private async Task<(Folded Before, Folded After)> WithNamedOrganisationsAsync(IDocumentOperations operations, Folded before, Folded after, IEnumerable<Guid> touched, long batchStart, IReadOnlySet<long> skipped, CancellationToken cancellation)
    {
        var missing = touched
            .Where(after.View.Incidents.ContainsKey)
            .Select(id => after.View.Incidents[id].State.FileOrDefault)
            .OfType<IncidentFile>()
            .SelectMany(file => file.Participants)
            .Where(id => !after.View.Organisations.ContainsKey(id) && !after.Versions.ContainsKey(id.ToString("D")))
            .Distinct()
            .Select(id => id.ToString("D"))
            .ToArray();
        if (missing.Length == 0)
        {
            return (before, after);
        }

        // Not touched by the batch, so their state before it is their state after it.
        var folded = await FoldStreamsAsync(operations, Folded.Empty, missing, batchStart, skipped, cancellation);
        var found = folded.View.Organisations;
        return (
            new Folded(before.View with { Organisations = before.View.Organisations.SetItems(found) }, before.Versions.SetItems(folded.Versions)),
            new Folded(after.View with { Organisations = after.View.Organisations.SetItems(found) }, after.Versions.SetItems(folded.Versions)));
    }
}
