using System.CommandLine;
using System.Diagnostics;

using IncidentLedger.EventStore;
using IncidentLedger.EventStore.Sealing;
using IncidentLedger.Integrity.Bundles;
using IncidentLedger.Integrity.Checkpoints;
using IncidentLedger.Integrity.Merkle;
using IncidentLedger.Load.Harness;
using JasperFx;
using Marten.Exceptions;
using Npgsql;
using NpgsqlTypes;

namespace IncidentLedger.Load.Scenarios;

/// <summary>
/// The sealed log's figures: sealing throughput, sealing lag under a steady append rate,
/// inclusion-proof generation in a large tree, and offline verification throughput.
/// </summary>
public static class LogBenchmark
{
    private const string Origin = BenchLedger.Origin;

    public sealed record FollowUpRecorded(string IncidentReference, string Summary, int PeopleAffected);

    public static Command Command()
    {
        var events = new Option<int>("--events") { Description = "Events to seal for the throughput and verification figures.", DefaultValueFactory = _ => 200_000 };
        var rate = new Option<int>("--rate") { Description = "Appends per second for the lag figure.", DefaultValueFactory = _ => 1000 };
        var seconds = new Option<int>("--seconds") { Description = "How long the lag run lasts.", DefaultValueFactory = _ => 20 };
        var leaves = new Option<int>("--leaves") { Description = "Tree size for the inclusion-proof figure.", DefaultValueFactory = _ => 1_000_000 };
        var connection = new Option<string?>("--connection") { Description = "An existing PostgreSQL server (superuser); default: a private durable cluster on loopback." };
        var command = new Command("log", "Sealing throughput and lag, inclusion proofs at a million leaves, offline verification.") { events, rate, seconds, leaves, connection };
        command.SetAction((r, ct) => RunAsync(r.GetValue(events), r.GetValue(rate), r.GetValue(seconds), r.GetValue(leaves), r.GetValue(connection), ct));
        return command;
    }

    private static async Task<int> RunAsync(int events, int rate, int seconds, int leaves, string? connectionString, CancellationToken ct)
    {
        await using var database = await BenchDatabase.OpenAsync(connectionString);
        using var key = EcdsaNoteKey.Generate(Origin);
        Console.WriteLine($"Sealed-log benchmark: {Environment.ProcessorCount} cores, PostgreSQL at 127.0.0.1.");
        Console.WriteLine();
        Console.WriteLine("| figure | result | goal |");
        Console.WriteLine("|---|---:|---|");

        var (throughput, bundleFile) = await SealingThroughputAsync(database, key, events, ct);
        Row("sealing throughput", $"{throughput:0} events/s ({events} events, batches of 5000)", "≥ 20,000 events/s");

        var trust = new BundleVerificationOptions { TrustedKeys = [key] };
        using (var warmUp = File.OpenRead(bundleFile))
        {
            BundleVerifier.Verify(warmUp, trust); // the first run pays for JIT compilation
        }

        var clock = Stopwatch.StartNew();
        using (var reader = File.OpenRead(bundleFile))
        {
            var report = BundleVerifier.Verify(reader, trust);
            clock.Stop();
            if (report.Finding is not null)
            {
                throw new InvalidOperationException($"The benchmark's own bundle did not verify: {report.Finding}");
            }

            Row("offline verification", $"{report.EventsChecked / clock.Elapsed.TotalSeconds:0} events/s ({report.EventsChecked} events, {new FileInfo(bundleFile).Length / 1_048_576.0:0.0} MiB, parsing and hashing on all cores)", "≥ 100,000 events/s");
        }

        File.Delete(bundleFile);

        var lag = await SealingLagAsync(database, key, rate, seconds, ct);
        Row("sealing lag (commit → sealed)", $"p50 {lag.P50:0} ms, p99 {lag.P99:0} ms, max {lag.Max:0} ms at {lag.AchievedRate:0} appends/s for {seconds} s", "p99 < 1 s");

        var proofs = await InclusionProofsAsync(database, leaves, ct);
        Row($"inclusion proof at {leaves:N0} leaves", $"p50 {proofs.P50:0.00} ms, p99 {proofs.P99:0.00} ms (1,000 random leaves, one query each)", "< 2 ms");
        return 0;
    }

    private static void Row(string figure, string result, string goal) => Console.WriteLine($"| {figure} | {result} | {goal} |");

    private static FollowUpRecorded Payload(int n) => new($"INC-{n}", "Follow-up report: the deployer rolled the model back to the previous version.", n % 50);

    private static async Task<(double EventsPerSecond, string BundleFile)> SealingThroughputAsync(BenchDatabase database, EcdsaNoteKey key, int events, CancellationToken ct)
    {
        await using var ledger = await BenchLedger.CreateAsync(database, key, cancellationToken: ct);
        // Write first, seal after, so the figure is the sealer's own rate.
        var written = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var stream = Guid.NewGuid();
            long version = 0;
            while (Interlocked.Increment(ref written) <= events)
            {
                version = await ledger.AppendAsync(stream, version, ct);
            }
        }, ct)));

        var sealer = ledger.Sealer(key, o => o with { BatchSize = 5000, CheckpointEveryEvents = 10_000 });
        var clock = Stopwatch.StartNew();
        long sealedCount = 0;
        SealPass pass;
        do
        {
            pass = await sealer.SealOnceAsync(ct);
            sealedCount += pass.Sealed;
        }
        while (pass.Sealed > 0);

        clock.Stop();
        var file = Path.Combine(Path.GetTempPath(), $"ledger-bench-{Guid.NewGuid():N}.jsonl");
        await using (var writer = new StreamWriter(file))
        {
            await new LedgerExport(ledger.App).WriteBundleAsync(writer, cancellationToken: ct);
        }

        return (sealedCount / clock.Elapsed.TotalSeconds, file);
    }

    private sealed record Lag(double P50, double P99, double Max, double AchievedRate);

    private static async Task<Lag> SealingLagAsync(BenchDatabase database, EcdsaNoteKey key, int rate, int seconds, CancellationToken ct)
    {
        await using var ledger = await BenchLedger.CreateAsync(database, key, cancellationToken: ct);
        using var stopSealer = new CancellationTokenSource();
        var sealing = ledger.Sealer(key, o => o with { PollInterval = TimeSpan.FromMilliseconds(50) }).RunAsync(stopSealer.Token);
        // About one append in eleven loses a race: every tenth operation is two writers creating the same
        // stream at once, and Marten fills the sequence numbers the loser burned with tombstones.
        var lost = 0;
        var (sent, achieved) = await OpenLoop.RunAsync(rate, TimeSpan.FromSeconds(seconds), async (int n) =>
        {
            var stream = Guid.NewGuid();
            if (n % 10 != 0)
            {
                await ledger.AppendAsync(stream, 0, ct);
                return;
            }

            var race = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
            {
                try
                {
                    await ledger.AppendAsync(stream, 0, ct);
                    return true;
                }
                catch (Exception e) when (e is ConcurrencyException or DocumentAlreadyExistsException or ExistingStreamIdCollisionException or EventStore.Writing.StreamConflictException or Domain.RuleViolation)
                {
                    return false;
                }
            }));
            Interlocked.Add(ref lost, race.Count(won => !won));
        }, ct);
        var committed = sent + sent / 10 + (sent % 10 == 0 ? 0 : 1) - lost;
        Console.Error.WriteLine($"lag run: {sent} operations, {committed} committed appends, {lost} lost races ({100.0 * lost / (committed + lost):0.0} % of appends)");
        var log = new LedgerLog(ledger.App);
        while ((await log.StatusAsync(ct)).Size < committed)
        {
            await Task.Delay(50, ct);
        }

        await stopSealer.CancelAsync();
        await sealing;

        // recorded_at is stamped just before the append commits; sealed_at when the sealing pass began.
        var (p50, p99, max) = await ledger.PercentilesAsync("SELECT extract(epoch FROM x.sealed_at - e.recorded_at) * 1000 AS ms FROM ledger_entries x JOIN ledger_event_envelopes e USING (event_id)", ct);
        return new Lag(p50, p99, max, achieved);
    }

    private sealed record ProofTimes(double P50, double P99);

    /// <summary>Fills the stored tree with <paramref name="leaves"/> leaves (as the sealer would) and times inclusion paths read from it.</summary>
    private static async Task<ProofTimes> InclusionProofsAsync(BenchDatabase database, int leaves, CancellationToken ct)
    {
        await using var ledger = await BenchLedger.CreateAsync(database, cancellationToken: ct);
        var tree = new MerkleAccumulator();
        await using (var connection = await ledger.Owner.OpenConnectionAsync(ct))
        await using (var copy = await connection.BeginBinaryImportAsync("COPY ledger_tree (level, index, hash) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var i = 0; i < leaves; i++)
            {
                foreach (var node in tree.Append(MerkleHasher.Leaf(BitConverter.GetBytes(i))))
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync((short)node.Level, NpgsqlDbType.Smallint, ct);
                    await copy.WriteAsync(node.Index, NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync(node.Hash.ToArray(), NpgsqlDbType.Bytea, ct);
                }
            }

            await copy.CompleteAsync(ct);
        }

        await using (var analyze = ledger.Owner.CreateCommand("ANALYZE ledger_tree"))
        {
            await analyze.ExecuteNonQueryAsync(ct);
        }

        var log = new LedgerLog(ledger.App);
        var root = tree.Root();
        var random = new Random(1_000_000);
        var times = new List<double>();
        for (var i = 0; i < 1100; i++)
        {
            var position = random.Next(leaves);
            var t0 = Stopwatch.GetTimestamp();
            var path = await log.InclusionPathAsync(position, leaves, ct);
            var elapsed = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            if (!MerkleProofs.VerifyInclusion(position, leaves, MerkleHasher.Leaf(BitConverter.GetBytes(position)), path, root))
            {
                throw new InvalidOperationException($"The inclusion path of leaf {position} did not verify.");
            }

            if (i >= 100)
            {
                times.Add(elapsed); // the first 100 warm the pool, the plan and the cache
            }
        }

        times.Sort();
        return new ProofTimes(times[times.Count / 2], times[(int)(times.Count * 0.99)]);
    }

}
