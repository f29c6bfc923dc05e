using IncidentLedger.EventStore.Embedded;
using Npgsql;
using Xunit;

namespace IncidentLedger.Testing;

/// <summary>
/// The PostgreSQL server a test run uses: LEDGER_TEST_DB when set, otherwise one private cluster
/// started on first use and stopped when the run ends (<see cref="TestPostgresLifetime"/>).
/// </summary>
public static class TestPostgres
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static PostgresCluster? cluster;
    private static string? connectionString;

    public static async Task<string> GetConnectionStringAsync()
    {
        if (connectionString is not null)
        {
            return connectionString;
        }

        await Gate.WaitAsync();
        try
        {
            if (connectionString is not null)
            {
                return connectionString;
            }

            if (Environment.GetEnvironmentVariable("LEDGER_TEST_DB") is { Length: > 0 } configured)
            {
                connectionString = configured;
                return connectionString;
            }

            try
            {
                cluster = await PostgresCluster.StartAsync(new PostgresClusterOptions
                {
                    // A throwaway cluster: durability buys nothing here and costs seconds.
                    Settings = new Dictionary<string, string> { ["fsync"] = "off", ["synchronous_commit"] = "off", ["full_page_writes"] = "off" },
                });
            }
            catch (PostgresClusterException e)
            {
                throw new InvalidOperationException($"The tests need PostgreSQL. {e.Message}", e);
            }

            AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster?.StopAsync().GetAwaiter().GetResult();
            connectionString = cluster.ConnectionString;
            return connectionString;
        }
        finally
        {
            Gate.Release();
        }
    }

    public static async Task StopAsync()
    {
        if (cluster is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await cluster.StopAsync();
        }
    }
}

/// <summary>Register with [assembly: AssemblyFixture(typeof(TestPostgresLifetime))] so the private cluster stops when the run ends.</summary>
public sealed class TestPostgresLifetime : IAsyncLifetime
{
    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await TestPostgres.StopAsync();
}
