using System.CommandLine;
using System.Diagnostics;
using IncidentLedger.EventStore;
using IncidentLedger.EventStore.Events;
using IncidentLedger.EventStore.Projections;
using IncidentLedger.EventStore.Sealing;
using IncidentLedger.EventStore.Streams;
using IncidentLedger.Integrity.Checkpoints;
using IncidentLedger.Load.Harness;
using Npgsql;

namespace IncidentLedger.Load.Scenarios;

/// <summary>Projection figures: rebuild throughput from position 0 (shadow tables, then swap) and lag behind the sealed log under a steady append rate.</summary>
public static class ProjectionBenchmark
{
    private const string Origin = "incidentledger.bench/log";

    public sealed record FollowUpRecorded(string IncidentReference, string Summary, int PeopleAffected);

    /// <summary>Per stream: events seen, the last type and position — batched into one upsert per pass.</summary>
    private sealed class StreamActivity : IProjection
    {
        public string Name => "stream_activity";

        public IReadOnlyList<string> Tables => ["stream_activity"];

        public async Task CreateAsync(ProjectionContext context, CancellationToken cancellationToken)
        {
            await using var command = context.Command($"CREATE TABLE IF NOT EXISTS {context.Table("stream_activity")} (stream_id uuid PRIMARY KEY, events int NOT NULL, last_type text NOT NULL, last_position bigint NOT NULL)");
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<SealedEvent> events, CancellationToken cancellationToken)
        {
            var folded = new Dictionary<Guid, (int Events, string Type, long Position)>();
            foreach (var e in events)
            {
                var before = folded.GetValueOrDefault(e.Event.Stream.Id);
                folded[e.Event.Stream.Id] = (before.Events + 1, e.Event.EventType, e.Position);
            }

            await using var upsert = context.Command($"""
                INSERT INTO {context.Table("stream_activity")} AS t SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::bigint[])
                ON CONFLICT (stream_id) DO UPDATE SET events = t.events + excluded.events, last_type = excluded.last_type, last_position = excluded.last_position
                """);
            upsert.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. folded.Keys] });
            upsert.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. folded.Values.Select(v => v.Events)] });
            upsert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. folded.Values.Select(v => v.Type)] });
            upsert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. folded.Values.Select(v => v.Position)] });
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Records when each event was applied, to measure lag behind sealing.</summary>
    private sealed class LagProbe : IProjection
    {
        public string Name => "lag_probe";

        public IReadOnlyList<string> Tables => ["lag_probe"];

        public async Task CreateAsync(ProjectionContext context, CancellationToken cancellationToken)
        {
            await using var command = context.Command($"CREATE TABLE IF NOT EXISTS {context.Table("lag_probe")} (position bigint PRIMARY KEY, applied_at timestamptz NOT NULL)");
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<SealedEvent> events, CancellationToken cancellationToken)
        {
            await using var insert = context.Command($"INSERT INTO {context.Table("lag_probe")} SELECT p, clock_timestamp() FROM unnest($1::bigint[]) p");
            insert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. events.Select(e => e.Position)] });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public static Command Command()
    {
        var events = new Option<int>("--events") { Description = "Events in the log that is rebuilt.", DefaultValueFactory = _ => 200_000 };
        var rate = new Option<int>("--rate") { Description = "Appends per second for the lag figure.", DefaultValueFactory = _ => 1000 };
        var seconds = new Option<int>("--seconds") { Description = "How long the lag run lasts.", DefaultValueFactory = _ => 20 };
        var connection = new Option<string?>("--connection") { Description = "An existing PostgreSQL server (superuser); default: a private durable cluster on loopback." };
        var command = new Command("projections", "Projection rebuild throughput and lag behind the sealed log.") { events, rate, seconds, connection };
        command.SetAction((r, ct) => RunAsync(r.GetValue(events), r.GetValue(rate), r.GetValue(seconds), r.GetValue(connection), ct));
        return command;
    }

    private static async Task<int> RunAsync(int events, int rate, int seconds, string? connectionString, CancellationToken ct)
    {
        await using var database = await BenchDatabase.OpenAsync(connectionString);
        using var key = EcdsaNoteKey.Generate(Origin);
        Console.WriteLine($"Projection benchmark: {Environment.ProcessorCount} cores, PostgreSQL at 127.0.0.1.");
        Console.WriteLine();
        Console.WriteLine("| figure | result | goal |");
        Console.WriteLine("|---|---:|---|");

        var rebuild = await RebuildAsync(database, key, events, ct);
        Console.WriteLine($"| rebuild from position 0 (shadow tables, then swap) | {rebuild:0} events/s ({events} events in 2,000 streams) | ≥ 20,000 events/s |");
        var (p50, p99, max, achieved) = await LagAsync(database, key, rate, seconds, ct);
        Console.WriteLine($"| projection lag (sealed → applied) | p50 {p50:0} ms, p99 {p99:0} ms, max {max:0} ms at {achieved:0} appends/s for {seconds} s | p99 < 1 s |");
        return 0;
    }

    private static async Task<(NpgsqlDataSource Owner, NpgsqlDataSource App, LedgerEventStore Store, string Schema)> LedgerAsync(BenchDatabase database, CancellationToken ct)
    {
        var schema = "bench_" + Guid.NewGuid().ToString("N")[..8];
        var owner = LedgerSchema.CreateDataSource(database.ConnectionString, schema, asApplicationRole: false);
        await LedgerEventStore.InitializeAsync(owner, schema, Origin, ct);
        var app = LedgerSchema.CreateDataSource(database.ConnectionString, schema, asApplicationRole: true, maxPoolSize: 64);
        return (owner, app, new LedgerEventStore(app, new EventStoreOptions { Origin = Origin, Types = new EventTypeRegistry().Register<FollowUpRecorded>() }), schema);
    }

    private static async Task<double> RebuildAsync(BenchDatabase database, EcdsaNoteKey key, int events, CancellationToken ct)
    {
        var (owner, app, store, schema) = await LedgerAsync(database, ct);
        await using (owner)
        await using (app)
        {
            const int streams = 2000;
            var written = 0;
            await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                var keys = Enumerable.Range(0, streams / 8).Select(_ => new StreamKey("incident", Guid.NewGuid())).ToArray();
                var n = 0;
                while (Interlocked.Add(ref written, 100) <= events)
                {
                    await store.AppendAsync(keys[n++ % keys.Length], ExpectedVersion.Any, [.. Enumerable.Range(0, 100).Select(i => new NewEvent(new FollowUpRecorded($"INC-{i}", "Follow-up report: model rolled back.", i)))], new EventMetadata("bench"), cancellationToken: ct);
                }
            }, ct)));

            var sealer = new LedgerSealer(app, schema, new SealerOptions { Origin = Origin, Signer = key, CheckpointEveryEvents = 50_000 });
            while ((await sealer.SealOnceAsync(ct)).Sealed > 0)
            {
            }

            var runner = new ProjectionRunner(app, schema, new StreamActivity(), new ProjectionRunnerOptions { BatchSize = 5000 });
            while ((await runner.RunOnceAsync(ct)).Applied > 0)
            {
            }

            await new ProjectionAdmin(app).RequestRebuildAsync("stream_activity", ct);
            var clock = Stopwatch.StartNew();
            ProjectionPass pass;
            do
            {
                pass = await runner.RunOnceAsync(ct);
            }
            while (pass.State == "rebuilding");

            clock.Stop();
            await DropAsync(owner, schema, ct);
            return events / clock.Elapsed.TotalSeconds;
        }
    }

    private static async Task<(double P50, double P99, double Max, double Achieved)> LagAsync(BenchDatabase database, EcdsaNoteKey key, int rate, int seconds, CancellationToken ct)
    {
        var (owner, app, store, schema) = await LedgerAsync(database, ct);
        await using (owner)
        await using (app)
        {
            using var stop = new CancellationTokenSource();
            var sealing = new LedgerSealer(app, schema, new SealerOptions { Origin = Origin, Signer = key, PollInterval = TimeSpan.FromMilliseconds(50) }).RunAsync(stop.Token);
            var projecting = new ProjectionRunner(app, schema, new LagProbe(), new ProjectionRunnerOptions { PollInterval = TimeSpan.FromMilliseconds(100) }).RunAsync(stop.Token);

            var interval = TimeSpan.FromSeconds(1.0 / rate);
            var clock = Stopwatch.StartNew();
            var inFlight = new List<Task>();
            var sent = 0;
            while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
            {
                var due = interval * sent;
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed, ct);
                }

                sent++;
                inFlight.Add(store.AppendAsync(new StreamKey("incident", Guid.NewGuid()), ExpectedVersion.NoStream, [new(new FollowUpRecorded("INC", "lag probe", 1))], new EventMetadata("bench"), cancellationToken: ct));
            }

            await Task.WhenAll(inFlight);
            var achieved = sent / clock.Elapsed.TotalSeconds;
            var admin = new ProjectionAdmin(app);
            while ((await admin.StatusAsync(ct)).SingleOrDefault() is not { } status || status.Position < sent - 1)
            {
                await Task.Delay(50, ct);
            }

            await stop.CancelAsync();
            await Task.WhenAll(sealing, projecting);
            await using var command = owner.CreateCommand("""
                SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), percentile_cont(0.99) WITHIN GROUP (ORDER BY ms), max(ms)
                FROM (SELECT extract(epoch FROM p.applied_at - x.sealed_at) * 1000 AS ms FROM lag_probe p JOIN ledger_entries x USING (position)) lags
                """);
            (double, double, double) lag;
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                await reader.ReadAsync(ct);
                lag = (reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2));
            }

            await DropAsync(owner, schema, ct);
            return (lag.Item1, lag.Item2, lag.Item3, achieved);
        }
    }

    private static async Task DropAsync(NpgsqlDataSource owner, string schema, CancellationToken ct)
    {
        await using var drop = owner.CreateCommand($"DROP SCHEMA {schema} CASCADE");
        await drop.ExecuteNonQueryAsync(ct);
    }
}
