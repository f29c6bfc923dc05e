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
    private const string Origin = BenchLedger.Origin;

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

    private static async Task<double> RebuildAsync(BenchDatabase database, EcdsaNoteKey key, int events, CancellationToken ct)
    {
        await using var ledger = await BenchLedger.CreateAsync(database, new EventTypeRegistry().Register<FollowUpRecorded>(), cancellationToken: ct);
        var store = ledger.Store;
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

        var sealer = ledger.Sealer(key, o => o with { CheckpointEveryEvents = 50_000 });
        while ((await sealer.SealOnceAsync(ct)).Sealed > 0)
        {
        }

        var runner = new ProjectionRunner(ledger.App, ledger.Schema, new StreamActivity(), new ProjectionRunnerOptions { BatchSize = 5000 });
        while ((await runner.RunOnceAsync(ct)).Applied > 0)
        {
        }

        await new ProjectionAdmin(ledger.App).RequestRebuildAsync("stream_activity", ct);
        var clock = Stopwatch.StartNew();
        ProjectionPass pass;
        do
        {
            pass = await runner.RunOnceAsync(ct);
        }
        while (pass.State == "rebuilding");

        clock.Stop();
        return events / clock.Elapsed.TotalSeconds;
    }

    private static async Task<(double P50, double P99, double Max, double Achieved)> LagAsync(BenchDatabase database, EcdsaNoteKey key, int rate, int seconds, CancellationToken ct)
    {
        await using var ledger = await BenchLedger.CreateAsync(database, new EventTypeRegistry().Register<FollowUpRecorded>(), cancellationToken: ct);
        using var stop = new CancellationTokenSource();
        var sealing = ledger.Sealer(key, o => o with { PollInterval = TimeSpan.FromMilliseconds(50) }).RunAsync(stop.Token);
        var projecting = new ProjectionRunner(ledger.App, ledger.Schema, new LagProbe(), new ProjectionRunnerOptions { PollInterval = TimeSpan.FromMilliseconds(100) }).RunAsync(stop.Token);
        var (sent, achieved) = await OpenLoop.RunAsync(rate, TimeSpan.FromSeconds(seconds), _ =>
            ledger.Store.AppendAsync(new StreamKey("incident", Guid.NewGuid()), ExpectedVersion.NoStream, [new(new FollowUpRecorded("INC", "lag probe", 1))], new EventMetadata("bench"), cancellationToken: ct), ct);
        var admin = new ProjectionAdmin(ledger.App);
        while ((await admin.StatusAsync(ct)).SingleOrDefault() is not { } status || status.Position < sent - 1)
        {
            await Task.Delay(50, ct);
        }

        await stop.CancelAsync();
        await Task.WhenAll(sealing, projecting);
        var (p50, p99, max) = await ledger.PercentilesAsync("SELECT extract(epoch FROM p.applied_at - x.sealed_at) * 1000 AS ms FROM lag_probe p JOIN ledger_entries x USING (position)", ct);
        return (p50, p99, max, achieved);
    }
}
