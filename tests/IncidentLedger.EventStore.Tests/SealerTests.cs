using System.Diagnostics;
using IncidentLedger.EventStore.Sealing;
using IncidentLedger.EventStore.Streams;
using IncidentLedger.Integrity;
using IncidentLedger.Integrity.Checkpoints;
using IncidentLedger.Integrity.Merkle;
using IncidentLedger.Testing;

namespace IncidentLedger.EventStore.Tests;

/// <summary>Each test gets its own ledger: the log is global, so tests must not share one.</summary>
public sealed class SealerTests : IAsyncLifetime
{
    private readonly LedgerDatabase db = new();

    public ValueTask InitializeAsync() => db.InitializeAsync();

    public async ValueTask DisposeAsync() => await db.DisposeAsync();

    private Task<List<Guid>> AppendAsync(int streams, int eventsEach) => db.WriteOrganisationsAsync(streams, eventsEach);

    private async Task SealAllAsync(LedgerSealer sealer)
    {
        while ((await sealer.SealOnceAsync()).Sealed > 0)
        {
        }
    }

    /// <summary>Positions 0…n-1, each event once, and the stored tree's root equals one recomputed from the entries.</summary>
    private async Task AssertOneGapFreeLogAsync(int expectedEvents)
    {
        var positions = await db.ScalarAsync<long>("SELECT count(*) FROM ledger_entries");
        Assert.Equal(expectedEvents, positions);
        Assert.Equal(expectedEvents - 1, await db.ScalarAsync<long>("SELECT coalesce(max(position), -1) FROM ledger_entries"));
        Assert.Equal(expectedEvents, await db.ScalarAsync<long>("SELECT count(DISTINCT event_id) FROM ledger_entries"));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ledger_event_envelopes e WHERE NOT EXISTS (SELECT 1 FROM ledger_entries x WHERE x.event_id = e.event_id)"));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ledger_unsealed"));

        var hashes = new List<Hash>();
        await using (var command = db.Owner.CreateCommand("SELECT event_hash FROM ledger_entries ORDER BY position"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                hashes.Add(MerkleHasher.Leaf(reader.GetFieldValue<byte[]>(0)));
            }
        }

        Assert.Equal(MerkleProofs.Root(hashes), await db.Log.RootAsync(expectedEvents));
    }

    [Fact]
    public async Task Sealing_gives_every_event_one_position_in_write_order_and_signs_a_checkpoint()
    {
        var ids = await AppendAsync(streams: 3, eventsEach: 4);
        var pass = await db.CreateSealer().SealOnceAsync();

        Assert.Equal(12, pass.Sealed);
        Assert.NotNull(pass.Checkpoint);
        await AssertOneGapFreeLogAsync(12);
        for (var i = 0; i < ids.Count; i++)
        {
            Assert.Equal(i, (await db.Log.EntryAsync(ids[i]))!.Position);
        }

        var latest = await db.Log.LatestCheckpointAsync();
        Assert.Equal(12, latest!.Checkpoint.Size);
        Assert.True(SignedNote.Parse(latest.Note).IsVerifiedBy(Assert.IsType<Ed25519NoteKey>(VerifierKeys.Parse(db.CheckpointKey.VerifierKey))));
    }

    [Fact]
    public async Task An_idle_pass_neither_locks_nor_writes_the_seal_state_and_the_next_event_is_sealed()
    {
        await AppendAsync(streams: 2, eventsEach: 3);
        var sealer = db.CreateSealer();
        Assert.Equal(6, (await sealer.SealOnceAsync()).Sealed);
        const string RowVersion = "SELECT xmin::text || '/' || xmax::text FROM ledger_seal_state";
        var before = await db.ScalarAsync<string>(RowVersion);

        var idle = await sealer.SealOnceAsync();
        Assert.Equal((0L, 6L, (Checkpoint?)null), (idle.Sealed, idle.Size, idle.Checkpoint));
        Assert.Equal(before, await db.ScalarAsync<string>(RowVersion)); // no UPDATE (xmin) and no FOR UPDATE (xmax)

        await AppendAsync(streams: 1, eventsEach: 1);
        Assert.Equal(1, (await sealer.SealOnceAsync()).Sealed);
        await AssertOneGapFreeLogAsync(7);
    }

    [Fact]
    public async Task A_pass_and_the_status_read_the_queued_events_only_however_long_the_log_and_whatever_the_statistics_say()
    {
        // Statistics taken while a thousand events waited, then all of them sealed, then three more queued: the planner
        // believes the queue is long, the log is long, and three events wait.
        await AppendAsync(streams: 10, eventsEach: 100);
        await db.ExecuteAsOwnerAsync("ANALYZE mt_events, ledger_unsealed");
        await SealAllAsync(db.CreateSealer());
        await AppendAsync(streams: 1, eventsEach: 3);

        Assert.Equal(3, await EventRowsReadAsync(LedgerSealer.ScanSql, new SealerOptions { Origin = LedgerDatabase.Origin, Signer = db.CheckpointKey }.BatchSize));
        Assert.Equal(3, await EventRowsReadAsync(LedgerLog.StatusSql));
        Assert.Equal(3, (await db.Log.StatusAsync()).Unsealed);
    }

    /// <summary>How many rows of mt_events a statement reads, by its executed plan.</summary>
    private async Task<long> EventRowsReadAsync(string sql, params int[] parameters)
    {
        await using var command = db.Owner.CreateCommand("EXPLAIN (ANALYZE, FORMAT JSON) " + sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter<int> { TypedValue = value });
        }

        using var plan = System.Text.Json.JsonDocument.Parse((string)(await command.ExecuteScalarAsync())!);
        static long Read(System.Text.Json.JsonElement node) =>
            (node.TryGetProperty("Relation Name", out var relation) && relation.GetString() == "mt_events"
                ? (long)Math.Round(node.GetProperty("Actual Rows").GetDouble() * node.GetProperty("Actual Loops").GetDouble())
                : 0)
            + (node.TryGetProperty("Plans", out var children) ? children.EnumerateArray().Sum(Read) : 0);
        return Read(plan.RootElement[0].GetProperty("Plan"));
    }

    [Fact]
    public async Task Every_event_has_an_inclusion_proof_and_checkpoints_prove_consistent()
    {
        var sealer = db.CreateSealer(o => o with { CheckpointEveryEvents = 7, CheckpointEvery = TimeSpan.Zero, BatchSize = 10 });
        var ids = await AppendAsync(streams: 5, eventsEach: 9);
        await SealAllAsync(sealer);

        foreach (var id in ids)
        {
            var proof = await db.Log.InclusionProofAsync(id);
            Assert.NotNull(proof);
            Assert.True(proof.Verify(), $"inclusion of {id}");
        }

        var checkpoints = await db.Log.CheckpointsAsync();
        Assert.True(checkpoints.Count >= 4);
        for (var i = 1; i < checkpoints.Count; i++)
        {
            var (a, b) = (checkpoints[i - 1].Checkpoint, checkpoints[i].Checkpoint);
            var proof = await db.Log.ConsistencyProofAsync(a.Size, b.Size);
            Assert.True(MerkleProofs.VerifyConsistency(a.Size, b.Size, a.Root, b.Root, proof.Path), $"{a.Size} → {b.Size}");
        }
    }

    [Fact]
    public async Task A_long_open_writing_transaction_neither_stalls_sealing_nor_is_skipped_when_it_commits()
    {
        var sealer = db.CreateSealer();
        await AppendAsync(1, 2);

        // A writer that has appended its event but not committed: a Marten session enlisted in a transaction held open.
        await using var slow = await db.App.OpenConnectionAsync();
        await using var transaction = await slow.BeginTransactionAsync();
        await using (var session = db.Store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction)))
        {
            var register = Organisations.Register(Guid.NewGuid(), "Late Ltd");
            await EventStore.Writing.LedgerWriter.DecideAsync(session, register, EventStore.Writing.LedgerWriter.MetadataOf(register.Actor), new(), LedgerDatabase.Origin, DateTimeOffset.UtcNow);
            await session.SaveChangesAsync();
        }

        await AppendAsync(1, 3);
        await SealAllAsync(sealer);
        Assert.Equal(5, (await db.Log.StatusAsync()).Size);
        Assert.True((await db.Log.StatusAsync()).OldestWriterSeconds >= 0);

        await transaction.CommitAsync();
        var status = await db.Log.StatusAsync();
        Assert.Equal(1, status.Unsealed);
        await SealAllAsync(sealer);
        await AssertOneGapFreeLogAsync(6);
    }

    [Fact]
    public async Task A_sealer_that_dies_mid_batch_leaves_nothing_behind_and_the_next_pass_resumes_without_gap_or_duplicate()
    {
        await AppendAsync(4, 5);
        var crashing = db.CreateSealer(o => o with { BatchSize = 7, BeforeCommit = (size, _) => size > 7 ? throw new IOException("power lost") : Task.CompletedTask });
        await crashing.SealOnceAsync();
        await Assert.ThrowsAsync<IOException>(() => crashing.SealOnceAsync());
        Assert.Equal(7, await db.ScalarAsync<long>("SELECT count(*) FROM ledger_entries"));

        await SealAllAsync(db.CreateSealer(o => o with { BatchSize = 7 }));
        await AssertOneGapFreeLogAsync(20);
    }

    [Fact]
    public async Task Two_sealers_racing_while_writers_write_produce_one_log()
    {
        var a = db.CreateSealer(o => o with { BatchSize = 13 });
        var b = db.CreateSealer(o => o with { BatchSize = 17 });
        using var stop = new CancellationTokenSource();
        async Task Loop(LedgerSealer sealer)
        {
            while (!stop.IsCancellationRequested)
            {
                await sealer.SealOnceAsync();
            }
        }

        var sealing = Task.WhenAll(Task.Run(() => Loop(a)), Task.Run(() => Loop(b)));
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => AppendAsync(5, 10))));
        await stop.CancelAsync();
        await sealing;
        await SealAllAsync(a);
        await AssertOneGapFreeLogAsync(300);
    }

    [Fact]
    public async Task One_node_seals_at_a_time_and_another_takes_over_when_it_stops()
    {
        var options = (SealerOptions o) => o with { LeaderRetryInterval = TimeSpan.FromMilliseconds(200), PollInterval = TimeSpan.FromMilliseconds(50) };
        using var stopFirst = new CancellationTokenSource();
        using var stopSecond = new CancellationTokenSource();
        var first = db.CreateSealer(options).RunAsync(stopFirst.Token);
        await Task.Delay(300);
        var second = db.CreateSealer(options).RunAsync(stopSecond.Token);

        await AppendAsync(2, 5);
        await WaitUntilSealedAsync(10);
        Assert.Equal(1, await SealerLocksHeldAsync());

        await stopFirst.CancelAsync();
        await first;
        await AppendAsync(2, 5);
        await WaitUntilSealedAsync(20);
        await stopSecond.CancelAsync();
        await second;
        await AssertOneGapFreeLogAsync(20);
    }

    [Fact]
    public async Task A_stopped_sealer_gives_its_lock_back_although_its_connection_stays_in_the_pool()
    {
        using var stop = new CancellationTokenSource();
        var sealing = db.CreateSealer(o => o with { PollInterval = TimeSpan.FromMilliseconds(50) }).RunAsync(stop.Token);
        await AppendAsync(1, 2);
        await WaitUntilSealedAsync(2);
        Assert.Equal(1, await SealerLocksHeldAsync());

        await stop.CancelAsync();
        await sealing;
        Assert.Equal(0, await SealerLocksHeldAsync());
    }

    [Fact]
    public async Task A_leader_whose_pass_failed_stands_by_without_the_lock_and_another_node_takes_over()
    {
        var lockName = $"incident-ledger/test/{db.Schema}";
        using var stop = new CancellationTokenSource();
        var failed = new TaskCompletionSource();
        var led = new TaskCompletionSource();

        // The first node's pass fails at once; it then stands by for a minute before it tries again.
        var first = LeaderLoop.RunAsync(db.App, lockName, _ =>
        {
            failed.TrySetResult();
            throw new Npgsql.NpgsqlException("the pass failed");
        }, TimeSpan.FromMinutes(1), onFailure: null, stop.Token);
        await failed.Task;

        // Another node, on connections of its own, leads as soon as the lock is free.
        await using var other = Npgsql.NpgsqlDataSource.Create(db.App.ConnectionString);
        var second = LeaderLoop.RunAsync(other, lockName, _ =>
        {
            led.TrySetResult();
            return Task.FromResult(TimeSpan.FromMinutes(1));
        }, TimeSpan.FromMilliseconds(50), onFailure: null, stop.Token);
        await led.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        await stop.CancelAsync();
        await Task.WhenAll(first, second); // both stop quietly, the first in its pause after the failure
    }

    [Fact]
    public async Task A_node_standing_by_holds_none_of_its_connections_between_tries()
    {
        var lockName = $"incident-ledger/test/{db.Schema}";
        using var stop = new CancellationTokenSource();
        var leading = new TaskCompletionSource();
        var standbyLed = false;
        var first = LeaderLoop.RunAsync(db.App, lockName, _ =>
        {
            leading.TrySetResult();
            return Task.FromResult(TimeSpan.FromMinutes(1));
        }, TimeSpan.FromMilliseconds(50), onFailure: null, stop.Token);
        await leading.Task;

        // A standby whose pool has one connection, trying again every 30 s: between tries the connection is free.
        await using var one = Npgsql.NpgsqlDataSource.Create(new Npgsql.NpgsqlConnectionStringBuilder(db.App.ConnectionString) { MaxPoolSize = 1, Timeout = 3 }.ConnectionString);
        var standby = LeaderLoop.RunAsync(one, lockName, _ =>
        {
            standbyLed = true;
            return Task.FromResult(TimeSpan.FromMinutes(1));
        }, TimeSpan.FromSeconds(30), onFailure: null, stop.Token);
        await Task.Delay(500, TestContext.Current.CancellationToken);
        await using (var connection = await one.OpenConnectionAsync(TestContext.Current.CancellationToken))
        {
            await using var ping = new Npgsql.NpgsqlCommand("SELECT 1", connection);
            Assert.Equal(1, await ping.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        }

        await stop.CancelAsync();
        await Task.WhenAll(first, standby);
        Assert.False(standbyLed);
    }

    private Task<long> SealerLocksHeldAsync() => db.ScalarAsync<long>($"""
        SELECT count(*) FROM pg_locks, hashtextextended('incident-ledger/sealer/{db.Schema}', 0) AS k
        WHERE locktype = 'advisory' AND granted AND classid::bigint = (k >> 32) & 4294967295 AND objid::bigint = k & 4294967295
        """);

    [Fact]
    public async Task Under_a_steady_stream_the_sealer_gathers_between_passes_and_a_full_batch_is_followed_at_once()
    {
        using var stop = new CancellationTokenSource();
        var sealing = db.CreateSealer(o => o with { GatherInterval = TimeSpan.FromMilliseconds(400), PollInterval = TimeSpan.FromMilliseconds(20) }).RunAsync(stop.Token);
        var writing = Stopwatch.StartNew();
        for (var i = 0; i < 40; i++)
        {
            await AppendAsync(1, 1);
            await Task.Delay(25);
        }

        var written = writing.Elapsed;
        await WaitUntilSealedAsync(40);
        await stop.CancelAsync();
        await sealing;

        // Each pass seals at one time; one pass per event or per poll would give tens of them.
        var passes = await db.ScalarAsync<long>("SELECT count(DISTINCT sealed_at) FROM ledger_entries");
        Assert.InRange(passes, 1, (long)Math.Ceiling(written / TimeSpan.FromMilliseconds(400)) + 2);

        // A backlog in full batches is sealed pass after pass without gathering (10 s would time the wait out).
        await AppendAsync(20, 5);
        using var stopBacklog = new CancellationTokenSource();
        var backlog = db.CreateSealer(o => o with { BatchSize = 10, GatherInterval = TimeSpan.FromSeconds(10) }).RunAsync(stopBacklog.Token);
        await WaitUntilSealedAsync(140);
        await stopBacklog.CancelAsync();
        await backlog;
        await AssertOneGapFreeLogAsync(140);
    }

    private async Task WaitUntilSealedAsync(long size)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await db.Log.StatusAsync()).Size < size)
        {
            Assert.True(DateTime.UtcNow < deadline, $"not sealed to {size} within 10 s");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Tombstones_marten_writes_for_burned_sequence_numbers_are_not_sealed()
    {
        await AppendAsync(1, 2);
        var id = Guid.NewGuid();
        await db.RunAsync(Organisations.Register(id));
        // A stale writer: its append fails, and Marten fills the sequence numbers it burned with tombstones.
        await Assert.ThrowsAnyAsync<Exception>(() => db.RunAsync(Organisations.Rename(id, "Stale"), new EventStore.Writing.CommandContext { ExpectedVersion = 0 }));
        await using (var session = db.Store.LightweightSession())
        {
            var stale = await session.Events.FetchForWriting<EventStore.Streams.OrganisationStream>(id.ToString("D"));
            await db.RunAsync(Organisations.Rename(id, "Winner"));
            var rename = Organisations.Rename(id, "Loser");
            var events = EventStore.Writing.ChainedEvents.Build(session.Events.BuildEvent, LedgerDatabase.Origin, id, "organisation", 1, stale.Aggregate!.Head, [new Domain.Organisations.OrganisationRenamed(id, "Loser", "Acme AI", "test", DateTimeOffset.UtcNow, "admin@test")], EventStore.Writing.LedgerWriter.MetadataOf(rename.Actor), DateTimeOffset.UtcNow);
            stale.AppendMany(events);
            await Assert.ThrowsAnyAsync<Exception>(() => session.SaveChangesAsync());
        }

        await SealAllAsync(db.CreateSealer());
        await AssertOneGapFreeLogAsync(4);
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ledger_entries x JOIN mt_events e ON e.seq_id = x.seq_id WHERE e.type = 'tombstone'"));
    }

    [Fact]
    public async Task The_sealed_log_is_insert_only()
    {
        await AppendAsync(1, 3);
        await SealAllAsync(db.CreateSealer());
        foreach (var sql in new[] { "UPDATE ledger_entries SET position = position + 1", "DELETE FROM ledger_tree", "UPDATE ledger_checkpoints SET note = ''" })
        {
            await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.ExecuteAsOwnerAsync(sql));
        }
    }
}
