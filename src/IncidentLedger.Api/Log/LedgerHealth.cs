using IncidentLedger.EventStore;
using IncidentLedger.EventStore.Sealing;
using Npgsql;

namespace IncidentLedger.Api.Log;

/// <summary>How far sealing, every projection and the outbox are behind: one reading for /healthz and GraphQL alike.</summary>
public sealed record LedgerHealth(SealStatus Log, IReadOnlyList<ProjectionProgress> Projections, MessageDepth Messages)
{
    /// <summary>Healthy while every committed event reaches the log (nothing waits on the sealer for long) and no projection has stopped at an event.</summary>
    public bool Healthy => (Log.Unsealed == 0 || Log.OldestUnsealedSeconds < 60) && Projections.All(p => p.Error is null);

    public static async Task<LedgerHealth> ReadAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var seal = await services.GetRequiredService<LedgerLog>().StatusAsync(cancellationToken);
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        return new LedgerHealth(seal, await LedgerStatus.ProjectionsAsync(dataSource, cancellationToken), await LedgerStatus.MessagesAsync(dataSource, cancellationToken));
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
