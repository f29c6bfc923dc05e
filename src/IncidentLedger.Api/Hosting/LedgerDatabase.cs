using IncidentLedger.EventStore.Embedded;

namespace IncidentLedger.Api.Hosting;

/// <summary>
/// Where the ledger's PostgreSQL is: the configured connection string (ConnectionStrings:Ledger),
/// or a private cluster started from the machine's PostgreSQL binaries, kept under the data directory.
/// </summary>
public sealed class LedgerDatabase(string connectionString, PostgresCluster? embedded) : IAsyncDisposable
{
    public string ConnectionString { get; } = connectionString;

    /// <summary>The embedded cluster, when this process started one.</summary>
    public PostgresCluster? Embedded { get; } = embedded;

    public static async Task<LedgerDatabase> ResolveAsync(IConfiguration configuration, LedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration.GetConnectionString("Ledger") is { Length: > 0 } configured)
        {
            return new LedgerDatabase(configured, null);
        }

        var cluster = await PostgresCluster.StartAsync(new PostgresClusterOptions { DataDirectory = Path.Combine(options.DataDirectory, "postgres") });
        foreach (var note in cluster.Notes)
        {
            // Said before logging is set up, so on stderr; one line each.
            await Console.Error.WriteLineAsync(note);
        }

        // An exit that skips the host's disposal (Environment.Exit, an explained start-up failure) still stops the server;
        // a crash that skips even this is the cluster's watchdog's to clean up.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.StopAsync().GetAwaiter().GetResult();
        return new LedgerDatabase(cluster.ConnectionString, cluster);
    }

    public async ValueTask DisposeAsync()
    {
        if (Embedded is not null)
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await Embedded.StopAsync();
        }
    }
}
