using System.Globalization;
using IncidentLedger.Api.Log;
using Npgsql;

namespace IncidentLedger.Api.Operations;

/// <summary>Whether this node can serve: the database is migrated, the sealer's lag is known and the ledger is healthy.</summary>
public interface ILedgerReadiness
{
    Task<LedgerReadiness> CheckAsync(CancellationToken cancellationToken);
}

/// <summary>
/// One reading of the ledger's readiness: ready when migrated, the sealer's lag is known and <see cref="LedgerHealth.Healthy"/>
/// (the sealer keeps up and no projection has stopped). <see cref="Problems"/> says in words what keeps it from being ready.
/// </summary>
public sealed record LedgerReadiness(bool Migrated, bool SealLagKnown, IReadOnlyList<string> StoppedProjections, LedgerHealth? Health, IReadOnlyList<string> Problems)
{
    /// <summary>How long the oldest unsealed event may wait before the sealer counts as stuck (as in <see cref="LedgerHealth.Healthy"/>).</summary>
    public static readonly TimeSpan SealerStuckAfter = TimeSpan.FromSeconds(60);

    public bool Ready => Migrated && SealLagKnown && Health is { Healthy: true };

    public static LedgerReadiness NotReady(bool migrated, string problem) => new(migrated, false, [], null, [problem]);

    /// <summary>Readiness from one reading of the ledger's health.</summary>
    public static LedgerReadiness Of(LedgerHealth health)
    {
        ArgumentNullException.ThrowIfNull(health);
        var seal = health.Log;
        var lagKnown = double.IsFinite(seal.OldestUnsealedSeconds) && seal.Unsealed >= 0;
        var stopped = health.Projections.Where(p => p.Error is not null).ToList();
        var problems = new List<string>();
        if (!lagKnown)
        {
            problems.Add("the sealer's lag is not known");
        }
        else if (seal.Unsealed > 0 && seal.OldestUnsealedSeconds >= SealerStuckAfter.TotalSeconds)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"the sealer is stuck: {seal.Unsealed} committed events wait for a position, the oldest for {seal.OldestUnsealedSeconds:0} s (is a sealer running? see /healthz)"));
        }

        problems.AddRange(stopped.Select(p => string.Create(CultureInfo.InvariantCulture,
            $"projection {p.Name} stopped at event {p.StoppedAt?.ToString(CultureInfo.InvariantCulture) ?? "?"}: {p.Error} (fix the cause, or record a skip: ledger projections skip {p.Name.Split(':')[0]} --event {p.StoppedAt} --reason ... --author ...)")));
        if (problems.Count == 0 && !health.Healthy)
        {
            problems.Add("the ledger reports itself degraded (see /healthz)");
        }

        return new LedgerReadiness(true, lagKnown, [.. stopped.Select(p => p.Name)], health, problems);
    }
}

/// <summary>Reads readiness from the ledger's health (<see cref="LedgerHealth"/>), the reading /healthz and GraphQL's status serve.</summary>
public sealed class LedgerHealthReadiness(IServiceProvider services) : ILedgerReadiness
{
    /// <summary>PostgreSQL's undefined_table and invalid_schema_name: the ledger's schema has not been migrated.</summary>
    private static readonly string[] NotMigrated = [PostgresErrorCodes.UndefinedTable, PostgresErrorCodes.InvalidSchemaName];

    public async Task<LedgerReadiness> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            return LedgerReadiness.Of(await LedgerHealth.ReadAsync(services, cancellationToken));
        }
        catch (PostgresException e) when (NotMigrated.Contains(e.SqlState))
        {
            return LedgerReadiness.NotReady(false, $"the ledger's schema is not migrated ({e.MessageText})");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            return LedgerReadiness.NotReady(false, $"the database cannot be read: {e.Message}");
        }
    }
}
