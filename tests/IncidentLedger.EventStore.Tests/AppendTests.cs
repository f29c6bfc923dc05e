using IncidentLedger.EventStore.Events;
using IncidentLedger.EventStore.Streams;
using IncidentLedger.Testing;

namespace IncidentLedger.EventStore.Tests;

public sealed class AppendTests(LedgerDatabase db) : IClassFixture<LedgerDatabase>
{
    private readonly LedgerEventStore store = db.CreateStore(TestEvents.Registry());

    private static StreamKey NewIncident() => new("incident", Guid.NewGuid());

    private Task<long> CountEventsAsync(StreamKey stream) => db.ScalarAsync<long>($"SELECT count(*) FROM ledger_events WHERE stream_id = '{stream.Id}'");

    [Fact]
    public async Task A_new_stream_starts_at_version_one_and_each_event_links_to_the_previous()
    {
        var stream = NewIncident();
        var result = await store.AppendAsync(stream, ExpectedVersion.NoStream,
            [new(new IncidentFiled("Surgical robot fault", 1)), new(new NoteAdded("Vendor informed"))], TestEvents.By(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal((1, 2, false), (result.FirstVersion, result.LastVersion, result.AlreadyApplied));
        var events = await store.ReadStreamAsync(stream.Id).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Null(events[0].Prev);
        Assert.Equal(events[0].Hash, events[1].Prev);
        Assert.Equal(result.Events[1].Hash, events[1].Hash);
        var head = await store.GetStreamAsync(stream.Id, TestContext.Current.CancellationToken);
        Assert.Equal((2L, events[1].Hash), (head!.Version, head.LastHash!.Value));
        Assert.True((await store.VerifyStreamAsync(stream.Id, TestContext.Current.CancellationToken)).IsIntact);
    }

    [Fact]
    public async Task A_wrong_expected_version_is_a_concurrency_error_carrying_the_current_version_and_writes_nothing()
    {
        var stream = NewIncident();
        await store.AppendAsync(stream, ExpectedVersion.NoStream, [new(new IncidentFiled("x", 1))], TestEvents.By(), cancellationToken: TestContext.Current.CancellationToken);
        await store.AppendAsync(stream, ExpectedVersion.Exactly(1), [new(new NoteAdded("a"))], TestEvents.By(), cancellationToken: TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<ConcurrencyException>(() =>
            store.AppendAsync(stream, ExpectedVersion.Exactly(1), [new(new NoteAdded("stale"))], TestEvents.By(), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(2, error.ActualVersion);
        Assert.Contains("version 2", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, await CountEventsAsync(stream));
    }

    [Fact]
    public async Task Each_expectation_is_enforced()
    {
        var ct = TestContext.Current.CancellationToken;
        var stream = NewIncident();
        await Assert.ThrowsAsync<ConcurrencyException>(() => store.AppendAsync(stream, ExpectedVersion.StreamExists, [new(new NoteAdded("a"))], TestEvents.By(), cancellationToken: ct));
        await Assert.ThrowsAsync<ConcurrencyException>(() => store.AppendAsync(stream, ExpectedVersion.Exactly(3), [new(new NoteAdded("a"))], TestEvents.By(), cancellationToken: ct));
        await store.AppendAsync(stream, ExpectedVersion.Any, [new(new NoteAdded("a"))], TestEvents.By(), cancellationToken: ct);
        await Assert.ThrowsAsync<ConcurrencyException>(() => store.AppendAsync(stream, ExpectedVersion.NoStream, [new(new NoteAdded("b"))], TestEvents.By(), cancellationToken: ct));
        await store.AppendAsync(stream, ExpectedVersion.StreamExists, [new(new NoteAdded("c"))], TestEvents.By(), cancellationToken: ct);
        await store.AppendAsync(stream, ExpectedVersion.Any, [new(new NoteAdded("d"))], TestEvents.By(), cancellationToken: ct);
        Assert.Equal(3, await CountEventsAsync(stream));
    }

    [Fact]
    public async Task Fifty_concurrent_writers_on_one_stream_get_every_version_exactly_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var stream = NewIncident();
        await store.AppendAsync(stream, ExpectedVersion.NoStream, [new(new IncidentFiled("Deepfake bank run", 5000))], TestEvents.By(), cancellationToken: ct);

        const int writers = 50;
        var allRead = new CountdownEvent(writers);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstRoundLosers = 0;
        var conflicts = 0;

        async Task<(Guid Id, long Version)> Writer(int n)
        {
            var id = Guid.NewGuid();
            var expected = (await store.GetStreamAsync(stream.Id, ct))!.Version;
            allRead.Signal();
            await go.Task;
            for (var round = 0; ; round++)
            {
                try
                {
                    var result = await store.AppendAsync(stream, ExpectedVersion.Exactly(expected), [new(new NoteAdded($"writer {n}"), id)], TestEvents.By($"writer-{n}"), cancellationToken: ct);
                    return (id, result.LastVersion);
                }
                catch (ConcurrencyException e)
                {
                    Interlocked.Increment(ref conflicts);
                    if (round == 0)
                    {
                        Interlocked.Increment(ref firstRoundLosers);
                    }

                    expected = e.ActualVersion;
                }
            }
        }

        var tasks = Enumerable.Range(0, writers).Select(n => Task.Run(() => Writer(n), ct)).ToArray();
        allRead.Wait(ct);
        go.SetResult();
        var results = await Task.WhenAll(tasks);

        // Everyone read version 1 before anyone wrote: exactly one wins the first round.
        Assert.Equal(writers - 1, firstRoundLosers);
        Assert.True(conflicts >= writers - 1);
        Assert.Equal(Enumerable.Range(2, writers).Select(v => (long)v), results.Select(r => r.Version).Order());
        var stored = await store.ReadStreamAsync(stream.Id, cancellationToken: ct).ToListAsync(ct);
        Assert.Equal(Enumerable.Range(1, writers + 1).Select(v => (long)v), stored.Select(e => e.Version));
        Assert.Equal(results.Select(r => r.Id).Order(), stored.Skip(1).Select(e => e.EventId).Order());
        var verification = await store.VerifyStreamAsync(stream.Id, ct);
        Assert.True(verification.IsIntact, verification.ToString());
    }

    [Fact]
    public async Task A_node_with_a_stale_view_of_the_stream_gets_a_concurrency_error_not_a_forked_chain()
    {
        var nodeA = store;
        var nodeB = db.CreateStore(TestEvents.Registry());
        var stream = NewIncident();
        await nodeA.AppendAsync(stream, ExpectedVersion.NoStream, [new(new IncidentFiled("x", 1))], TestEvents.By());
        await nodeB.ReadStreamAsync(stream.Id).ToListAsync();            // B now believes the head is version 1
        await nodeA.AppendAsync(stream, ExpectedVersion.Exactly(1), [new(new NoteAdded("from A"))], TestEvents.By());

        var error = await Assert.ThrowsAsync<ConcurrencyException>(() =>
            nodeB.AppendAsync(stream, ExpectedVersion.Exactly(1), [new(new NoteAdded("from B, stale"))], TestEvents.By()));
        Assert.Equal(2, error.ActualVersion);

        // Appends that expect nothing in particular land after whatever the other node wrote.
        await nodeB.AppendAsync(stream, ExpectedVersion.Any, [new(new NoteAdded("from B"))], TestEvents.By());
        await nodeA.AppendAsync(stream, ExpectedVersion.StreamExists, [new(new NoteAdded("from A again"))], TestEvents.By());
        Assert.Equal(4, (await nodeA.GetStreamAsync(stream.Id))!.Version);
        Assert.True((await nodeA.VerifyStreamAsync(stream.Id)).IsIntact);
    }

    [Fact]
    public async Task Appends_to_different_streams_do_not_wait_for_each_other()
    {
        var ct = TestContext.Current.CancellationToken;
        var busy = NewIncident();
        var other = NewIncident();
        await store.AppendAsync(busy, ExpectedVersion.NoStream, [new(new IncidentFiled("busy", 1))], TestEvents.By(), cancellationToken: ct);

        // Hold the busy stream's row lock, as a long append would.
        await using var holder = await db.Owner.OpenConnectionAsync(ct);
        await using var transaction = await holder.BeginTransactionAsync(ct);
        await using (var lockRow = new Npgsql.NpgsqlCommand($"SELECT 1 FROM ledger_streams WHERE stream_id = '{busy.Id}' FOR UPDATE", holder, transaction))
        {
            await lockRow.ExecuteNonQueryAsync(ct);
        }

        var blocked = store.AppendAsync(busy, ExpectedVersion.Exactly(1), [new(new NoteAdded("waits"))], TestEvents.By(), cancellationToken: ct);
        var free = await store.AppendAsync(other, ExpectedVersion.NoStream, [new(new IncidentFiled("free", 1))], TestEvents.By(), cancellationToken: ct)
            .WaitAsync(TimeSpan.FromSeconds(10), ct);

        Assert.Equal(1, free.LastVersion);
        Assert.False(blocked.IsCompleted);
        await transaction.RollbackAsync(ct);
        Assert.Equal(2, (await blocked.WaitAsync(TimeSpan.FromSeconds(10), ct)).LastVersion);
    }

    [Fact]
    public async Task Two_writers_creating_the_same_stream_leave_one_stream_with_both_events_or_one_conflict()
    {
        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < 10; i++)
        {
            var stream = NewIncident();
            var outcomes = await Task.WhenAll(Enumerable.Range(0, 2).Select(n => Task.Run(async () =>
            {
                try
                {
                    await store.AppendAsync(stream, ExpectedVersion.NoStream, [new(new IncidentFiled($"racer {n}", 1))], TestEvents.By(), cancellationToken: ct);
                    return "won";
                }
                catch (ConcurrencyException)
                {
                    return "lost";
                }
            }, ct)));
            Assert.Equal(["lost", "won"], outcomes.Order());
            Assert.Equal(1, await CountEventsAsync(stream));
        }
    }

    [Fact]
    public async Task Resending_the_same_event_ids_returns_the_original_result_and_writes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var stream = NewIncident();
        NewEvent[] batch = [new(new IncidentFiled("Face-swap fraud", 1), Guid.NewGuid()), new(new NoteAdded("bank informed"), Guid.NewGuid())];
        var first = await store.AppendAsync(stream, ExpectedVersion.NoStream, batch, TestEvents.By(), cancellationToken: ct);
        var again = await store.AppendAsync(stream, ExpectedVersion.NoStream, batch, TestEvents.By(), cancellationToken: ct);

        Assert.True(again.AlreadyApplied);
        Assert.Equal(first.Events, again.Events);
        Assert.Equal(2, await CountEventsAsync(stream));
    }

    [Fact]
    public async Task Resending_a_command_key_returns_the_original_result_and_writes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var stream = NewIncident();
        var first = await store.AppendAsync(stream, ExpectedVersion.Any, [new(new IncidentFiled("a", 1))], TestEvents.By(), commandKey: "report-42", cancellationToken: ct);
        var again = await store.AppendAsync(stream, ExpectedVersion.Any, [new(new IncidentFiled("a", 1))], TestEvents.By(), commandKey: "report-42", cancellationToken: ct);

        Assert.True(again.AlreadyApplied);
        Assert.Equal(first.Events, again.Events);
        Assert.Equal(1, await CountEventsAsync(stream));
        await Assert.ThrowsAsync<IdempotencyConflictException>(() =>
            store.AppendAsync(NewIncident(), ExpectedVersion.Any, [new(new IncidentFiled("b", 1))], TestEvents.By(), commandKey: "report-42", cancellationToken: ct));
    }

    [Fact]
    public async Task Reusing_some_event_ids_in_a_different_batch_is_a_conflict_and_writes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var stream = NewIncident();
        var id = Guid.NewGuid();
        await store.AppendAsync(stream, ExpectedVersion.NoStream, [new(new IncidentFiled("a", 1), id)], TestEvents.By(), cancellationToken: ct);

        await Assert.ThrowsAsync<IdempotencyConflictException>(() =>
            store.AppendAsync(stream, ExpectedVersion.Any, [new(new IncidentFiled("a", 1), id), new(new NoteAdded("new"))], TestEvents.By(), cancellationToken: ct));
        await Assert.ThrowsAsync<IdempotencyConflictException>(() =>
            store.AppendAsync(NewIncident(), ExpectedVersion.Any, [new(new IncidentFiled("a", 1), id)], TestEvents.By(), cancellationToken: ct));
        Assert.Equal(1, await CountEventsAsync(stream));
    }

    public static TheoryData<string> BadAppends() => ["unknown type", "oversized", "null data", "empty stream id", "bad stream type", "no events", "NUL character", "no actor", "wrong stream type"];

    [Theory]
    [MemberData(nameof(BadAppends))]
    public async Task Bad_input_is_refused_with_a_clear_error_and_nothing_is_written(string problem)
    {
        var ct = TestContext.Current.CancellationToken;
        var small = db.CreateStore(TestEvents.Registry(), maxEventBytes: 1024);
        var existing = NewIncident();
        await small.AppendAsync(existing, ExpectedVersion.NoStream, [new(new IncidentFiled("existing", 1))], TestEvents.By(), cancellationToken: ct);
        var before = await db.ScalarAsync<long>("SELECT count(*) FROM ledger_events");
        var streamsBefore = await db.ScalarAsync<long>("SELECT count(*) FROM ledger_streams");

        Func<Task> append = problem switch
        {
            "unknown type" => () => small.AppendAsync(NewIncident(), ExpectedVersion.Any, [new(new NotRegistered("x"))], TestEvents.By(), cancellationToken: ct),
            "oversized" => () => small.AppendAsync(NewIncident(), ExpectedVersion.Any, [new(new NoteAdded(new string('x', 2000)))], TestEvents.By(), cancellationToken: ct),
            "null data" => () => small.AppendAsync(NewIncident(), ExpectedVersion.Any, [new(null!)], TestEvents.By(), cancellationToken: ct),
            "empty stream id" => () => small.AppendAsync(new StreamKey("incident", Guid.Empty), ExpectedVersion.Any, [new(new NoteAdded("x"))], TestEvents.By(), cancellationToken: ct),
            "bad stream type" => () => small.AppendAsync(new StreamKey("Incident Stream!", Guid.NewGuid()), ExpectedVersion.Any, [new(new NoteAdded("x"))], TestEvents.By(), cancellationToken: ct),
            "no events" => () => small.AppendAsync(NewIncident(), ExpectedVersion.Any, [], TestEvents.By(), cancellationToken: ct),
            "NUL character" => () => small.AppendAsync(NewIncident(), ExpectedVersion.Any, [new(new NoteAdded("a\0b"))], TestEvents.By(), cancellationToken: ct),
            "no actor" => () => small.AppendAsync(NewIncident(), ExpectedVersion.Any, [new(new NoteAdded("x"))], new EventMetadata(" "), cancellationToken: ct),
            "wrong stream type" => () => small.AppendAsync(existing with { Type = "policy" }, ExpectedVersion.Any, [new(new NoteAdded("x"))], TestEvents.By(), cancellationToken: ct),
            _ => throw new ArgumentOutOfRangeException(nameof(problem)),
        };

        var error = await Assert.ThrowsAnyAsync<EventStoreException>(append);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.Equal(before, await db.ScalarAsync<long>("SELECT count(*) FROM ledger_events"));
        Assert.Equal(streamsBefore, await db.ScalarAsync<long>("SELECT count(*) FROM ledger_streams"));
    }
}
