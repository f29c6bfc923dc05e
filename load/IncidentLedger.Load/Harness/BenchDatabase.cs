using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using IncidentLedger.EventStore.Embedded;

namespace IncidentLedger.Load.Harness;

/// <summary>
/// The PostgreSQL server a benchmark runs against: a private, durable cluster (fsync on, as in
/// production) on loopback, or an existing server given by connection string; plus its pgbench.
/// </summary>
public sealed partial class BenchDatabase : IAsyncDisposable
{
    private readonly PostgresCluster? cluster;

    private BenchDatabase(string connectionString, PostgresCluster? cluster)
    {
        ConnectionString = connectionString;
        this.cluster = cluster;
    }

    public string ConnectionString { get; }

    public static async Task<BenchDatabase> OpenAsync(string? connectionString)
    {
        if (connectionString is not null)
        {
            return new BenchDatabase(connectionString, null);
        }

        var cluster = await PostgresCluster.StartAsync(new PostgresClusterOptions
        {
            Settings = new Dictionary<string, string> { ["shared_buffers"] = "256MB", ["max_wal_size"] = "2GB" },
        });
        return new BenchDatabase(cluster.ConnectionString, cluster);
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex Tps();

    /// <summary>Runs pgbench with a custom script for a fixed time and returns its transactions per second.</summary>
    public async Task<double> PgbenchAsync(string script, int clients, TimeSpan duration)
    {
        var file = Path.Combine(Path.GetTempPath(), $"ledger-pgbench-{Guid.NewGuid():N}.sql");
        await File.WriteAllTextAsync(file, script);
        try
        {
            var connection = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
            var start = new ProcessStartInfo(FindPgbench(),
            [
                "-n", "-M", "prepared", "-f", file, "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", Math.Min(clients, Environment.ProcessorCount).ToString(CultureInfo.InvariantCulture),
                "-T", ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture),
                "-h", connection.Host!, "-p", connection.Port.ToString(CultureInfo.InvariantCulture), "-U", connection.Username!, connection.Database ?? "postgres",
            ])
            { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            if (connection.Password is { } password)
            {
                start.Environment["PGPASSWORD"] = password;
            }

            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var match = Tps().Match(output);
            if (process.ExitCode != 0 || !match.Success)
            {
                throw new InvalidOperationException($"pgbench failed ({process.ExitCode}): {error}\n{output}");
            }

            return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string FindPgbench()
    {
        try
        {
            var beside = Path.Combine(PostgresCluster.FindBinDirectory(), "pgbench");
            return File.Exists(beside) ? beside : "pgbench";
        }
        catch (PostgresClusterException)
        {
            return "pgbench";
        }
    }

    /// <summary>Runs <paramref name="sql"/> on the server as the benchmark's superuser.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var source = Npgsql.NpgsqlDataSource.Create(ConnectionString);
        await using var command = source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        if (cluster is not null)
        {
            await cluster.StopAsync();
        }
    }
}
