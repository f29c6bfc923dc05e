using System.CommandLine;
using System.Globalization;
using IncidentLedger.Domain.Organisations;
using IncidentLedger.EventStore;
using IncidentLedger.Load.Harness;
using Marten;
using Npgsql;

namespace IncidentLedger.Load.Scenarios;

/// <summary>
/// Append throughput of the ledger's write path (Marten QuickAppend with the hash chain, the chain
/// trigger and the sealing queue) next to two baselines measured in the same run: plain Marten
/// appending the same events with no chain, and pgbench -M prepared writing the rows Marten writes
/// for one append (the stream row and the event row, a literal ~700-byte jsonb) in one transaction.
/// </summary>
public static class AppendBenchmark
{
    public static Command Command()
    {
        var seconds = new Option<int>("--seconds") { Description = "Measuring time per side and configuration.", DefaultValueFactory = _ => 10 };
        var connection = new Option<string?>("--connection") { Description = "PostgreSQL to measure against (default: a private cluster started for the run)." };
        var command = new Command("append", "Hash-chained appends next to plain Marten and pgbench -M prepared, at 1, 8 and 32 writers.") { seconds, connection };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(seconds), parse.GetValue(connection), ct));
        return command;
    }

    private static async Task<int> RunAsync(int seconds, string? connectionString, CancellationToken cancellationToken)
    {
        var duration = TimeSpan.FromSeconds(Math.Clamp(seconds, 2, 300));
        await using var database = await BenchDatabase.OpenAsync(connectionString);
        await using var ledger = await BenchLedger.CreateAsync(database, cancellationToken: cancellationToken);
        await using var plain = await PlainMarten.CreateAsync(database, ledger.Schema + "_plain");
        await using (var baseline = ledger.Owner.CreateCommand("CREATE TABLE baseline_streams (LIKE mt_streams INCLUDING ALL); CREATE TABLE baseline_events (LIKE mt_events INCLUDING ALL)"))
        {
            await baseline.ExecuteNonQueryAsync(cancellationToken);
        }

        Console.WriteLine($"Append benchmark: {Environment.ProcessorCount} cores, {duration.TotalSeconds:0} s per side and configuration, PostgreSQL at {new NpgsqlConnectionStringBuilder(database.ConnectionString).Host}.");
        await MeasureChainedAsync(ledger, 4, TimeSpan.FromSeconds(2), cancellationToken); // warm-up: JIT, pools, prepared statements
        await MeasurePlainAsync(plain.Store, 4, TimeSpan.FromSeconds(2), cancellationToken);

        Console.WriteLine();
        Console.WriteLine("| writers | chained appends/s | p50 ms | p99 ms | plain Marten appends/s | pgbench -M prepared tx/s | chained ÷ plain | chained ÷ pgbench |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var writers in new[] { 1, 8, 32 })
        {
            var chained = await MeasureChainedAsync(ledger, writers, duration, cancellationToken);
            var plainRun = await MeasurePlainAsync(plain.Store, writers, duration, cancellationToken);
            var pgbench = await database.PgbenchAsync(BaselineScript(ledger.Schema), writers, duration);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {writers} | {chained.PerSecond:0} | {chained.Latency.P50Ms:0.00} | {chained.Latency.P99Ms:0.00} | {plainRun.PerSecond:0} | {pgbench:0} | {chained.PerSecond / plainRun.PerSecond:0.00} | {chained.PerSecond / pgbench:0.00} |"));
            if (chained.Errors + plainRun.Errors > 0)
            {
                Console.WriteLine($"  ({chained.Errors} chained and {plainRun.Errors} plain appends failed)");
            }
        }

        // Where the gap to plain Marten goes, at 8 writers: the chained appends as shipped, then with the chain
        // trigger taken out; and, for comparison, with a NOTIFY to wake the sealer at every commit (which the
        // sealing queue sent until migration 0005: it serialises committing writers on the notification lock).
        Console.WriteLine();
        Console.WriteLine("| 8 writers, chained appends | appends/s | ÷ plain Marten (same run) |");
        Console.WriteLine("|---|---:|---:|");
        var plainAgain = await MeasurePlainAsync(plain.Store, 8, duration, cancellationToken);
        async Task RowAsync(string label)
        {
            var run = await MeasureChainedAsync(ledger, 8, duration, cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {label} | {run.PerSecond:0} | {run.PerSecond / plainAgain.PerSecond:0.00} |"));
        }

        await RowAsync("as shipped");
        await ExecuteAsync(ledger, QueueForSealing("PERFORM pg_notify('incident_ledger_appended', '');"), cancellationToken);
        await RowAsync("with a NOTIFY at every commit");
        await ExecuteAsync(ledger, QueueForSealing(""), cancellationToken);
        await ExecuteAsync(ledger, "ALTER TABLE mt_events DISABLE TRIGGER ledger_events_chain", cancellationToken);
        await RowAsync("without the chain trigger");

        return 0;
    }

    /// <summary>The sealing queue's trigger function with <paramref name="then"/> after the queue insert.</summary>
    private static string QueueForSealing(string then) => $$"""
        CREATE OR REPLACE FUNCTION ledger_queue_for_sealing() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO ledger_unsealed (seq_id) SELECT n.seq_id FROM appended n WHERE NOT ledger_is_tombstone(n.stream_id, n.type);
            {{then}}
            RETURN NULL;
        END;
        $$
        """;

    private static async Task ExecuteAsync(BenchLedger ledger, string sql, CancellationToken cancellationToken)
    {
        await using var command = ledger.Owner.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Each writer renames its own organisation, with exact expected versions, as a command handler would.</summary>
    private static Task<LoopResult> MeasureChainedAsync(BenchLedger ledger, int writers, TimeSpan duration, CancellationToken cancellationToken) =>
        ClosedLoop.RunAsync(writers, duration, _ =>
        {
            var stream = Guid.NewGuid();
            long version = 0;
            return async ct => version = await ledger.AppendAsync(stream, version, ct);
        }, cancellationToken);

    /// <summary>The same events appended by plain Marten: no snapshot, no hash, no trigger, no queue.</summary>
    private static Task<LoopResult> MeasurePlainAsync(DocumentStore plain, int writers, TimeSpan duration, CancellationToken cancellationToken) =>
        ClosedLoop.RunAsync(writers, duration, _ =>
        {
            var stream = Guid.NewGuid();
            var key = stream.ToString("D");
            long version = 0;
            return async ct =>
            {
                await using var session = plain.LightweightSession();
                var renamed = new OrganisationRenamed(stream, $"Bench Ltd {version}", "Acme", "Follow-up: the deployer rolled the model back to the previous version.", DateTimeOffset.UtcNow, "bench-operator");
                session.Events.Append(key, version + 1, renamed);
                await session.SaveChangesAsync(ct);
                version++;
            };
        }, cancellationToken);

    /// <summary>What Marten writes for one append, as literal rows in one transaction: the stream row and one event row.</summary>
    private static string BaselineScript(string schema) => $$"""
        \set n random(1, 2000000000)
        BEGIN;
        INSERT INTO {{schema}}.baseline_streams (id, type, version, timestamp, created, tenant_id, is_archived) VALUES ('s-' || :n || '-' || :client_id, 'organisation', 1, now(), now(), '*DEFAULT*', false) ON CONFLICT (id) DO UPDATE SET version = baseline_streams.version + 1;
        INSERT INTO {{schema}}.baseline_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, headers, is_archived)
        VALUES (:n, gen_random_uuid(), 's-' || :n || '-' || :client_id, 1,
                '{"organisationId":"7d3e8a60-2f8b-4c2a-9a49-3b1b6a1f1e01","name":"Bench Ltd 12","previousName":"Acme","reason":"Follow-up: the deployer rolled the model back to the previous version.","renamedAt":"2026-12-01T10:00:00.123456+00:00","renamedBy":"bench-operator"}',
                'organisation.renamed', now(), '*DEFAULT*', 'IncidentLedger.Domain.Organisations.OrganisationRenamed, IncidentLedger.Domain',
                '{"hash":"a930f17fd55300e44f49ba7c0d7c9e5e8aa0e5ef76030e212e39e794fe5008f0","prev":"b2f636408b946fc9bb83f96c9ab3ed97669597ddbbc88195363f27ee7ea6e1d5","role":"admin","actor":"bench-operator","streamType":"organisation","organisation":"00000000-0000-0000-0000-0000000be0c4","schemaVersion":1}', false)
        ON CONFLICT DO NOTHING;
        COMMIT;
        """;
}
