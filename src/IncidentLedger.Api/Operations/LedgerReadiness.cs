using IncidentLedger.Api.Log;
using Npgsql;

namespace IncidentLedger.Api.Operations;

/// <summary>
/// Whether this node can serve: the database is migrated, the sealer's lag is known, and no projection has stopped.
/// The storage layer is read through this one seam, so a new store only needs a new implementation.
/// </summary>
public interface ILedgerReadiness
{
    Task<LedgerReadiness> CheckAsync(CancellationToken cancellationToken);
}

/// <summary>One reading of the ledger's readiness and lag; <see cref="Problems"/> says in words what keeps it from being ready.</summary>
public sealed record LedgerReadiness(bool Migrated, bool SealLagKnown, IReadOnlyList<string> StoppedProjections, LedgerLag? Lag, IReadOnlyList<string> Problems)
{
    public bool Ready => Migrated && SealLagKnown && StoppedProjections.Count == 0;

    public static LedgerReadiness NotReady(bool migrated, string problem) => new(migrated, false, [], null, [problem]);
}

/// <summary>How far the ledger is behind: events not yet sealed, every projection's lag, and the outbox.</summary>
public sealed record LedgerLag(long Unsealed, double OldestUnsealedSeconds, IReadOnlyList<ProjectionLag> Projections, long OutboxPending, long OutboxDead);

public sealed record ProjectionLag(string Name, string State, long LagEvents, double LagSeconds, string? Error);

/// <summary>Reads readiness from the ledger's health (<see cref="LedgerHealth"/>): what the hand-written store exposes today.</summary>
public sealed class LedgerHealthReadiness(IServiceProvider services) : ILedgerReadiness
{
    /// <summary>PostgreSQL's undefined_table and invalid_schema_name: the ledger's schema has not been migrated.</summary>
    private static readonly string[] NotMigrated = [PostgresErrorCodes.UndefinedTable, PostgresErrorCodes.InvalidSchemaName];

    public async Task<LedgerReadiness> CheckAsync(CancellationToken cancellationToken)
    {
        LedgerHealth health;
        try
        {
            health = await LedgerHealth.ReadAsync(services, cancellationToken);
        }
        catch (PostgresException e) when (NotMigrated.Contains(e.SqlState))
        {
            return LedgerReadiness.NotReady(false, $"the ledger's schema is not migrated ({e.MessageText})");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            return LedgerReadiness.NotReady(false, $"the database cannot be read: {e.Message}");
        }

        var seal = health.Log;
        var stopped = health.Projections.Where(p => p.State == "stopped").Select(p => p.Name).ToList();
        var lagKnown = double.IsFinite(seal.OldestUnsealedSeconds) && seal.Unsealed >= 0;
        var problems = new List<string>();
        if (!lagKnown)
        {
            problems.Add("the sealer's lag is not known");
        }

        problems.AddRange(health.Projections.Where(p => p.State == "stopped")
            .Select(p => $"projection {p.Name} stopped at position {p.ErrorPosition}: {p.Error} (see `ledger status`)"));
        var lag = new LedgerLag(
            seal.Unsealed,
            seal.OldestUnsealedSeconds,
            [.. health.Projections.Select(p => new ProjectionLag(p.Name, p.State, p.LagEvents, p.LagSeconds, p.Error))],
            health.OutboxPending,
            health.OutboxDead);
        return new LedgerReadiness(true, lagKnown, stopped, lag, problems);
    }
}
