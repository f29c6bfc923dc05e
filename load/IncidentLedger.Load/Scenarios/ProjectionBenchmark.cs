using System.CommandLine;
using Command = System.CommandLine.Command;
using System.Diagnostics;
using IncidentLedger.Domain.Demo;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.EventStore.Projections;
using IncidentLedger.EventStore.Writing;
using IncidentLedger.Load.Harness;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events;
using Marten.Events.Projections;

namespace IncidentLedger.Load.Scenarios;

/// <summary>
/// The read models on Marten's async daemon: catch-up and rebuild rates of each projection next to
/// a projection that does nothing (the daemon's own cost of reading the events) in the same run,
/// and the lag from an event's commit to each projection having applied it under a steady rate.
/// </summary>
public static class ProjectionBenchmark
{
    private static readonly DateTimeOffset Origin = new(2025, 1, 6, 0, 0, 0, TimeSpan.Zero);

    public static Command Command()
    {
        var copies = new Option<int>("--copies") { Description = "Copies of the demo data set to write (176 events each) for the rebuild figures.", DefaultValueFactory = _ => 120 };
        var rate = new Option<int>("--rate") { Description = "Appends per second for the lag figure.", DefaultValueFactory = _ => 1000 };
        var seconds = new Option<int>("--seconds") { Description = "How long the lag run lasts.", DefaultValueFactory = _ => 20 };
        var connection = new Option<string?>("--connection") { Description = "An existing PostgreSQL server (superuser); default: a private durable cluster on loopback." };
        var command = new Command("projections", "Rebuild rates of the read-model projections and their lag at a steady append rate.") { copies, rate, seconds, connection };
        command.SetAction((r, ct) => RunAsync(r.GetValue(copies), r.GetValue(rate), r.GetValue(seconds), r.GetValue(connection), ct));
        return command;
    }

    /// <summary>The baseline: a projection that reads every event and writes nothing.</summary>
    private sealed class NothingProjection : IProjection
    {
        public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation) => Task.CompletedTask;
    }

    private const string Baseline = "nothing";

    private const string HighWater = "high-water";

    /// <summary>The ledger's projections and the do-nothing one beside them, with the same batch size.</summary>
    private static void WithBaseline(StoreOptions options) =>
        options.Projections.Add(new NothingProjection(), ProjectionLifecycle.Async, Baseline, async => async.BatchSize = LedgerProjections.BatchSize);

    private static async Task<int> RunAsync(int copies, int rate, int seconds, string? connectionString, CancellationToken ct)
    {
        await using var database = await BenchDatabase.OpenAsync(connectionString);
        Console.WriteLine($"Projection benchmark: {Environment.ProcessorCount} cores, PostgreSQL at 127.0.0.1.");
        Console.WriteLine();

        await using (var ledger = await BenchLedger.CreateAsync(database, configure: WithBaseline, cancellationToken: ct))
        {
            var written = await WriteDemoAsync(ledger, copies, ct);
            using var daemon = await ledger.Store.BuildProjectionDaemonAsync();
            var clock = Stopwatch.StartNew();
            await daemon.StartAllAsync();
            await ledger.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(10));
            clock.Stop();
            Console.WriteLine($"{written} events in {copies} copies of the demo; all six projections caught up from nothing together in {clock.Elapsed.TotalSeconds:0.0} s ({written / clock.Elapsed.TotalSeconds:0} events/s).");
            Console.WriteLine();
            Console.WriteLine("| projection | rebuild events/s | ratio to the do-nothing projection |");
            Console.WriteLine("|---|---:|---:|");
            var baseline = await RebuildAsync(daemon, Baseline, written, ct);
            Console.WriteLine($"| {Baseline} (baseline: reads events, writes nothing) | {baseline:0} | 1.00 |");
            foreach (var name in LedgerProjections.Names)
            {
                var rebuilt = await RebuildAsync(daemon, name, written, ct);
                Console.WriteLine($"| {name} | {rebuilt:0} | {rebuilt / baseline:0.00} |");
            }

            await daemon.StopAllAsync();
        }

        Console.WriteLine();
        await using (var ledger = await BenchLedger.CreateAsync(database, configure: WithBaseline, cancellationToken: ct))
        {
            await LagAsync(ledger, rate, seconds, ct);
        }

        return 0;
    }

    private static async Task<long> WriteDemoAsync(BenchLedger ledger, int copies, CancellationToken ct)
    {
        long events = 0;
        await Parallel.ForEachAsync(Enumerable.Range(1, copies), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (copy, token) =>
        {
            foreach (var step in DemoDataSet.Build(Origin, copy).Steps)
            {
                var outcome = await ledger.RunAsync(step.Command, token);
                Interlocked.Add(ref events, outcome.Events.Count);
            }
        });
        return events;
    }

    private static async Task<double> RebuildAsync(IProjectionDaemon daemon, string name, long events, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await daemon.RebuildProjectionAsync(name, TimeSpan.FromMinutes(10), ct);
        return events / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Reports incidents at the given rate while the daemon runs; each projection's progress is sampled
    /// every 10 ms, and an event's lag is the first sample at which the projection had passed it, minus
    /// the event's timestamp (set just before its append commits).
    /// </summary>
    private static async Task LagAsync(BenchLedger ledger, int rate, int seconds, CancellationToken ct)
    {
        var report = DemoDataSet.Build(Origin).Steps.Select(s => s.Command).OfType<ReportIncident>().First();
        using var daemon = await ledger.Store.BuildProjectionDaemonAsync();
        await daemon.StartAllAsync();

        var reached = LedgerProjections.Names.Prepend(Baseline).Prepend(HighWater).ToDictionary(n => n, _ => new List<(long Sequence, DateTimeOffset At)>());
        using var stopSampling = new CancellationTokenSource();
        var sampling = Task.Run(async () =>
        {
            await using var highWater = ledger.App.CreateCommand("SELECT coalesce(max(last_seq_id), 0) FROM mt_event_progression WHERE name = 'HighWaterMark'");
            while (!stopSampling.IsCancellationRequested)
            {
                var now = DateTimeOffset.UtcNow;
                var progresses = (await EventStore.LedgerStatus.ProjectionsAsync(ledger.App, CancellationToken.None))
                    .Select(p => (Name: p.Name.Split(':')[0], p.Sequence))
                    .Append((HighWater, (long)(await highWater.ExecuteScalarAsync(CancellationToken.None))!));
                foreach (var (name, sequence) in progresses)
                {
                    if (reached.TryGetValue(name, out var samples) && (samples.Count == 0 || samples[^1].Sequence < sequence))
                    {
                        samples.Add((sequence, now));
                    }
                }

                await Task.Delay(10, CancellationToken.None);
            }
        }, CancellationToken.None);

        var (sent, achieved) = await OpenLoop.RunAsync(rate, TimeSpan.FromSeconds(seconds), (int _) =>
            ledger.RunAsync(report with { IncidentId = Guid.NewGuid(), Now = DateTimeOffset.UtcNow }, ct), ct);
        await ledger.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(5));
        await Task.Delay(100, ct);
        await stopSampling.CancelAsync();
        await sampling;
        await daemon.StopAllAsync();

        var events = new List<(long Sequence, DateTimeOffset Timestamp)>();
        await using (var session = ledger.Store.QuerySession())
        {
            foreach (var e in await session.Events.QueryAllRawEvents().Where(e => e.StreamKey != "mt_tombstone").ToListAsync(ct))
            {
                events.Add((e.Sequence, e.Timestamp));
            }
        }

        Console.WriteLine($"Projection lag (commit → applied), {sent} incident reports ({events.Count} events) at {achieved:0} reports/s for {seconds} s, progress sampled every 10 ms:");
        Console.WriteLine();
        Console.WriteLine("| projection | p50 ms | p99 ms | max ms |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (name, samples) in reached)
        {
            var lags = events.Select(e => (samples.FirstOrDefault(s => s.Sequence >= e.Sequence).At - e.Timestamp).TotalMilliseconds).Order().ToArray();
            var label = name switch
            {
                HighWater => "the daemon's high-water mark (the daemon has noticed the event)",
                Baseline => $"{Baseline} (baseline: reads events, writes nothing)",
                _ => name,
            };
            Console.WriteLine($"| {label} | {Percentile(lags, 0.5):0} | {Percentile(lags, 0.99):0} | {lags[^1]:0} |");
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
