using System.Diagnostics;
using JasperFx;
using Marten.Exceptions;
using JasperFx.Events.Daemon;
using Marten;

namespace IncidentLedger.EventStore.Projections;

/// <summary>A request to rebuild one read model, and how it went. Any node may ask; the node running the projections does it.</summary>
public sealed class ProjectionRebuild
{
    public Guid Id { get; set; }

    public string Projection { get; set; } = "";

    public string RequestedBy { get; set; } = "";

    public DateTimeOffset RequestedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>The node that ran it.</summary>
    public string? Node { get; set; }

    /// <summary>The events replayed (the highest sequence number when it finished).</summary>
    public long Events { get; set; }

    public double Seconds { get; set; }

    public string? Error { get; set; }

    public bool Finished => CompletedAt is not null;

    public double EventsPerSecond => Seconds > 0 ? Events / Seconds : 0;
}

/// <summary>Which node took a rebuild request: inserted once, so only one node runs it.</summary>
public sealed class ProjectionRebuildClaim
{
    public Guid Id { get; set; }

    public string Node { get; set; } = "";
}

/// <summary>
/// Rebuilds through the database: <c>ledger rebuild</c> records a request; the node whose daemon runs
/// the projections (HotCold's leader) claims it, replays the projection from its first event while
/// the documents readers use stay in place (see <see cref="LedgerViewProjection{TSelf}"/>), and
/// records the outcome. Two nodes never run one request: each claims it by inserting its claim. A node that
/// stops during a rebuild hands its request back, and a request whose node went away without a word (a crash)
/// is taken again once a rebuild's time is up.
/// </summary>
public static class ProjectionRebuilds
{
    /// <summary>How long a rebuild may take; a request started longer ago and not finished was abandoned.</summary>
    public static TimeSpan RebuildTimeout { get; } = TimeSpan.FromMinutes(30);

    public static async Task<ProjectionRebuild> RequestAsync(IDocumentStore store, string projection, string requestedBy, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!LedgerProjections.Names.Contains(projection, StringComparer.Ordinal))
        {
            throw new ArgumentException($"\"{projection}\" is not a read-model projection; choose one of {string.Join(", ", LedgerProjections.Names)}.", nameof(projection));
        }

        if (string.IsNullOrWhiteSpace(requestedBy))
        {
            throw new ArgumentException("Say who asks for the rebuild.", nameof(requestedBy));
        }

        var request = new ProjectionRebuild { Id = Guid.NewGuid(), Projection = projection, RequestedBy = requestedBy.Trim(), RequestedAt = now };
        await using var session = store.LightweightSession();
        session.Insert(request);
        await session.SaveChangesAsync(cancellationToken);
        return request;
    }

    public static async Task<ProjectionRebuild?> FindAsync(IDocumentStore store, Guid id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var session = store.QuerySession();
        return await session.LoadAsync<ProjectionRebuild>(id, cancellationToken);
    }

    /// <summary>
    /// Claims and runs the oldest waiting or abandoned request, if any; false when there was none (or another
    /// node claimed it first). The node's daemon stops the projection's continuous agent, replays it and
    /// starts it again; the other projections run on. Stopped during the replay, the node hands the request
    /// back before it stops, so the next node to run the projections replays it from the start.
    /// </summary>
    public static async Task<bool> RunNextAsync(IDocumentStore store, IProjectionDaemon daemon, string node, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(daemon);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        var request = await ClaimNextAsync(store, node, clock, cancellationToken);
        if (request is null)
        {
            return false;
        }

        var watch = Stopwatch.StartNew();
        try
        {
            await daemon.RebuildProjectionAsync(request.Projection, RebuildTimeout, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await HandBackAsync(store, request, node);
            throw;
        }
        catch (Exception e)
        {
            request.Error = e.Message;
        }

        // The outcome is recorded even when the node is stopping by now: the rebuild is done.
        request.Seconds = watch.Elapsed.TotalSeconds;
        request.CompletedAt = clock.GetUtcNow();
        await using (var session = store.LightweightSession())
        {
            var events = session.Events.QueryAllRawEvents();
            request.Events = await events.AnyAsync(CancellationToken.None) ? await events.MaxAsync(e => e.Sequence, CancellationToken.None) : 0;
            session.Store(request);
            await session.SaveChangesAsync(CancellationToken.None);
        }

        return true;
    }

    private static async Task<ProjectionRebuild?> ClaimNextAsync(IDocumentStore store, string node, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var abandonedBefore = now - RebuildTimeout;
        await using var session = store.LightweightSession();
        var request = await session.Query<ProjectionRebuild>()
            .Where(r => r.StartedAt == null || (r.CompletedAt == null && r.StartedAt < abandonedBefore))
            .OrderBy(r => r.RequestedAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (request is null)
        {
            return null;
        }

        // The claim: a second node inserting it for the same request fails, and leaves the request alone. Taking
        // an abandoned request over removes its old claim in the same transaction, so of two nodes taking it over
        // one finds the new claim in place and backs off.
        if (request.Node is { } abandonedBy)
        {
            DropClaim(session, request.Id, abandonedBy);
        }

        request.StartedAt = now;
        request.Node = node;
        session.Store(request);
        session.Insert(new ProjectionRebuildClaim { Id = request.Id, Node = node });
        try
        {
            await session.SaveChangesAsync(cancellationToken);
            return request;
        }
        catch (DocumentAlreadyExistsException)
        {
            return null;
        }
    }

    // A node stopping mid-rebuild: the request waits again, with its claim gone, for whichever node runs the projections next.
    private static async Task HandBackAsync(IDocumentStore store, ProjectionRebuild request, string node)
    {
        request.StartedAt = null;
        request.Node = null;
        try
        {
            await using var session = store.LightweightSession();
            DropClaim(session, request.Id, node);
            session.Store(request);
            await session.SaveChangesAsync(CancellationToken.None);
        }
#pragma warning disable CA1031 // Whatever kept the hand-back from the database, the request is taken again once its time is up.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private static void DropClaim(IDocumentSession session, Guid requestId, string node) =>
        session.DeleteWhere<ProjectionRebuildClaim>(c => c.Id == requestId && c.Node == node);
}
