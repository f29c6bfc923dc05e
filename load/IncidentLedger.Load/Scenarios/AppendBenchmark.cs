using System.CommandLine;
using System.Globalization;
using IncidentLedger.EventStore;
using IncidentLedger.EventStore.Events;
using IncidentLedger.EventStore.Streams;
using IncidentLedger.Load.Harness;
using Npgsql;

namespace IncidentLedger.Load.Scenarios;

/// <summary>
/// Store-level append throughput (single events at 1, 8 and 32 writers; 10-event batches),
/// each next to pgbench inserting an equivalent row into an equivalent table on the same server in the same run.
/// </summary>
public static class AppendBenchmark
{
    public sealed record FollowUpRecorded(string IncidentReference, string Summary, string ReportType, int PeopleAffected, DateTimeOffset ObservedAt);

    public static Command Command()
    {
        var seconds = new Option<int>("--seconds") { Description = "Measured seconds per configuration (each side).", DefaultValueFactory = _ => 10 };
        var connection = new Option<string?>("--connection") { Description = "An existing PostgreSQL server (superuser); default: a private durable cluster on loopback." };
        var quiet = new Option<bool>("--no-notify") { Description = "Appends do not NOTIFY the sealer (it then finds new events at its next poll)." };
        var command = new Command("append", "Event store append throughput next to pgbench's insert rate.") { seconds, connection, quiet };
        command.SetAction((result, ct) => RunAsync(result.GetValue(seconds), result.GetValue(connection), !result.GetValue(quiet), ct));
        return command;
    }

    private sealed record Configuration(string Name, int Writers, int BatchSize);

    private static async Task<int> RunAsync(int seconds, string? connectionString, bool notify, CancellationToken cancellationToken)
    {
        var duration = TimeSpan.FromSeconds(Math.Clamp(seconds, 2, 300));
        await using var database = await BenchDatabase.OpenAsync(connectionString);
        var schema = "bench_" + Guid.NewGuid().ToString("N")[..8];
        await using var owner = LedgerSchema.CreateDataSource(database.ConnectionString, schema, asApplicationRole: false);
        await LedgerEventStore.InitializeAsync(owner, schema, "incidentledger.bench/log", cancellationToken);
        await using (var baseline = owner.CreateCommand("CREATE TABLE baseline_events (LIKE ledger_events INCLUDING ALL)"))
        {
            await baseline.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var app = LedgerSchema.CreateDataSource(database.ConnectionString, schema, asApplicationRole: true, maxPoolSize: 64);
        var store = new LedgerEventStore(app, new EventStoreOptions
        {
            Origin = "incidentledger.bench/log",
            Types = new EventTypeRegistry().Register<FollowUpRecorded>(),
            NotifySealer = notify,
        });

        Console.WriteLine($"Append benchmark: {Environment.ProcessorCount} cores, {duration.TotalSeconds:0} s per side per configuration, PostgreSQL at {new NpgsqlConnectionStringBuilder(database.ConnectionString).Host}, appends {(notify ? "" : "do not ")}NOTIFY the sealer.");
        await MeasureLedgerAsync(store, 4, 1, TimeSpan.FromSeconds(2), cancellationToken); // warm-up: JIT, pools, caches

        Configuration[] configurations =
        [
            new("single event, 1 writer", 1, 1),
            new("single event, 8 writers", 8, 1),
            new("single event, 32 writers", 32, 1),
            new("10-event batch, 8 writers", 8, 10),
        ];

        Console.WriteLine();
        Console.WriteLine("| configuration | ledger appends/s | ledger events/s | append p50 ms | append p99 ms | pgbench tx/s | pgbench rows/s | ratio (events/s ÷ rows/s) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var configuration in configurations)
        {
            var ledger = await MeasureLedgerAsync(store, configuration.Writers, configuration.BatchSize, duration, cancellationToken);
            var pgbenchTps = await database.PgbenchAsync(BaselineScript(schema, configuration.BatchSize), configuration.Writers, duration);
            var events = ledger.PerSecond * configuration.BatchSize;
            var rows = pgbenchTps * configuration.BatchSize;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {configuration.Name} | {ledger.PerSecond:0} | {events:0} | {ledger.Latency.P50Ms:0.00} | {ledger.Latency.P99Ms:0.00} | {pgbenchTps:0} | {rows:0} | {events / rows:0.00} |"));
            if (ledger.Errors > 0)
            {
                Console.WriteLine($"  ({ledger.Errors} appends failed)");
            }
        }

        await using (var drop = owner.CreateCommand($"DROP SCHEMA {schema} CASCADE"))
        {
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }

        return 0;
    }

    private static Task<LoopResult> MeasureLedgerAsync(LedgerEventStore store, int writers, int batchSize, TimeSpan duration, CancellationToken cancellationToken) =>
        ClosedLoop.RunAsync(writers, duration, worker =>
        {
            // Each writer appends to its own stream with exact expected versions, as a command handler would.
            var stream = new StreamKey("incident", Guid.NewGuid());
            long version = 0;
            var n = 0;
            return async ct =>
            {
                var batch = new NewEvent[batchSize];
                for (var i = 0; i < batchSize; i++)
                {
                    batch[i] = new NewEvent(new FollowUpRecorded($"INC-{worker}-{n++}", "Follow-up report: the deployer rolled the model back to the previous version.", "follow_up", 12, DateTimeOffset.UnixEpoch));
                }

                var result = await store.AppendAsync(stream, ExpectedVersion.Exactly(version), batch, new EventMetadata("bench-operator") { Organisation = "org-bench", Role = "operator" }, cancellationToken: ct);
                version = result.LastVersion;
            };
        }, cancellationToken);

    /// <summary>The baseline: one transaction inserting the same number of equivalent rows (same columns, sizes, indexes).</summary>
    private static string BaselineScript(string schema, int rows) => $$"""
        \set n random(1, 2000000000)
        INSERT INTO {{schema}}.baseline_events (event_id, stream_id, stream_type, version, event_type, schema_version, data, metadata, recorded_at, prev_hash, hash)
        SELECT gen_random_uuid(), gen_random_uuid(), 'incident', 1, 'FollowUpRecorded', 1,
               jsonb_build_object('incidentReference', 'INC-' || :n || '-' || g, 'summary', 'Follow-up report: the deployer rolled the model back to the previous version.', 'reportType', 'follow_up', 'peopleAffected', 12, 'observedAt', '1970-01-01T00:00:00+00:00'),
               '{"actor":"bench-operator","organisation":"org-bench","role":"operator"}'::jsonb, now(), NULL, sha256((:n || '-' || g)::bytea)
        FROM generate_series(1, {{rows}}) AS g;
        """;
}
