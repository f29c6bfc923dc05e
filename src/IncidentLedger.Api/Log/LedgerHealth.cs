using IncidentLedger.EventStore.Outbox;
using IncidentLedger.EventStore.Projections;
using IncidentLedger.EventStore.Sealing;
using Npgsql;

namespace IncidentLedger.Api.Log;

/// <summary>How far sealing, every projection and the outbox are behind: one reading for /healthz and GraphQL alike.</summary>
public sealed record LedgerHealth(SealStatus Log, IReadOnlyList<ProjectionStatus> Projections, long OutboxPending, long OutboxDead)
{
    /// <summary>Healthy while no projection has stopped on an event it cannot apply.</summary>
    public bool Healthy => Projections.All(p => p.State != "stopped");

    public static async Task<LedgerHealth> ReadAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var seal = await services.GetRequiredService<LedgerLog>().StatusAsync(cancellationToken);
        var projections = await services.GetRequiredService<ProjectionAdmin>().StatusAsync(cancellationToken);
        var (pending, dead) = await OutboxDispatcher.DepthAsync(services.GetRequiredService<NpgsqlDataSource>(), cancellationToken);
        return new LedgerHealth(seal, projections, pending, dead);
    }

    /// <summary>A consistency proof between two sizes the log has signed, or why the sizes cannot have one.</summary>
    public static async Task<(ConsistencyProof? Proof, string? Problem)> ConsistencyAsync(LedgerLog log, long first, long second, CancellationToken cancellationToken)
    {
        var latest = (await log.LatestCheckpointAsync(cancellationToken))?.Checkpoint.Size ?? 0;
        if (first < 1 || first > second || second > latest)
        {
            return (null, $"A consistency proof goes from a size 1 ≤ first ≤ second ≤ {latest} (the latest checkpoint); got {first} → {second}.");
        }

        return (await log.ConsistencyProofAsync(first, second, cancellationToken), null);
    }
}
