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
/// records the outcome. Two nodes never run one request: each claims it by inserting its claim.
/// </summary>
public static class ProjectionRebuilds
{
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
    /// Claims and runs the oldest waiting request, if any; false when there was none (or another node
    /// claimed it first). The node's daemon stops the projection's continuous agent, replays it and
    /// starts it again; the other projections run on.
    /// </summary>
    public static async Task<bool> RunNextAsync(IDocumentStore store, IProjectionCoordinator coordinator, string node, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(coordinator);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        ProjectionRebuild? request;
        await using (var session = store.LightweightSession())
        {
            request = await session.Query<ProjectionRebuild>().Where(r => r.StartedAt == null).OrderBy(r => r.RequestedAt).FirstOrDefaultAsync(cancellationToken);
            if (request is null)
            {
                return false;
            }

            request.StartedAt = clock.GetUtcNow();
            request.Node = node;
            session.Store(request);
            // The claim: a second node inserting it for the same request fails, and leaves the request alone.
            session.Insert(new ProjectionRebuildClaim { Id = request.Id, Node = node });
            try
            {
                await session.SaveChangesAsync(cancellationToken);
            }
            catch (DocumentAlreadyExistsException)
            {
                return false;
            }
        }

        var watch = Stopwatch.StartNew();
        try
        {
            await coordinator.DaemonForMainDatabase().RebuildProjectionAsync(request.Projection, TimeSpan.FromMinutes(30), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            request.Error = e.Message;
        }

        request.Seconds = watch.Elapsed.TotalSeconds;
        request.CompletedAt = clock.GetUtcNow();
        await using (var session = store.LightweightSession())
        {
            var events = session.Events.QueryAllRawEvents();
            request.Events = await events.AnyAsync(cancellationToken) ? await events.MaxAsync(e => e.Sequence, cancellationToken) : 0;
            session.Store(request);
            await session.SaveChangesAsync(cancellationToken);
        }

        return true;
    }
}
