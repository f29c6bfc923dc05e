using IncidentLedger.EventStore.Commands;
using IncidentLedger.EventStore.Events;
using IncidentLedger.EventStore.Outbox;
using IncidentLedger.EventStore.Streams;
using IncidentLedger.Testing;

namespace IncidentLedger.EventStore.Tests;

public sealed record NotesClosed(string Reason);

public sealed class CommandExecutorTests(LedgerDatabase db) : IClassFixture<LedgerDatabase>
{
    private abstract record Command;

    private sealed record File(string Title) : Command;

    private sealed record Note(string Text) : Command;

    private sealed record Close(string Reason) : Command;

    private sealed record State(bool Exists, bool Closed, int Notes);

    private sealed class RuleBroken(string message) : Exception(message);

    private static readonly Decider<State, Command, object> Incident = new(
        new State(false, false, 0),
        (s, e) => e switch
        {
            IncidentFiled => s with { Exists = true },
            NoteAdded => s with { Notes = s.Notes + 1 },
            NotesClosed => s with { Closed = true },
            _ => s,
        },
        (c, s) => (c, s) switch
        {
            (File f, { Exists: false }) => [new IncidentFiled(f.Title, 1)],
            (File, _) => [],                                     // filing again is a no-op
            (_, { Exists: false }) => throw new RuleBroken("no such incident"),
            (_, { Closed: true }) => throw new RuleBroken("the incident is closed"),
            (Note n, _) => [new NoteAdded(n.Text)],
            (Close x, _) => [new NotesClosed(x.Reason)],
            _ => throw new RuleBroken($"unknown command {c}"),
        });

    private readonly LedgerEventStore store = db.CreateStore(TestEvents.Registry().Register<NotesClosed>());

    private CommandExecutor Executor => new(store);

    private static CommandOptions<object> By(string actor = "operator-1") => new() { Metadata = new EventMetadata(actor) };

    [Fact]
    public async Task A_command_folds_the_stream_decides_and_appends_at_the_version_it_decided_on()
    {
        var stream = new StreamKey("incident", Guid.NewGuid());
        await Executor.ExecuteAsync(stream, new File("Algorithmic dismissal of 147 staff"), Incident, By());
        var result = await Executor.ExecuteAsync(stream, new Note("union complaint received"), Incident, By());

        Assert.Equal(new State(true, false, 1), result.State);
        Assert.Equal(2, result.Version);
        Assert.Equal([new NoteAdded("union complaint received")], result.Events);
        Assert.Equal(2, (await store.GetStreamAsync(stream.Id))!.Version);
    }

    [Fact]
    public async Task A_command_that_decides_nothing_writes_nothing()
    {
        var stream = new StreamKey("incident", Guid.NewGuid());
        await Executor.ExecuteAsync(stream, new File("x"), Incident, By());
        var again = await Executor.ExecuteAsync(stream, new File("x"), Incident, By());

        Assert.Empty(again.Events);
        Assert.Null(again.Append);
        Assert.Equal(1, (await store.GetStreamAsync(stream.Id))!.Version);
    }

    [Fact]
    public async Task A_broken_rule_surfaces_as_the_deciders_error_and_writes_nothing()
    {
        var stream = new StreamKey("incident", Guid.NewGuid());
        await Executor.ExecuteAsync(stream, new File("x"), Incident, By());
        await Executor.ExecuteAsync(stream, new Close("resolved"), Incident, By());

        var error = await Assert.ThrowsAsync<RuleBroken>(() => Executor.ExecuteAsync(stream, new Note("late"), Incident, By()));
        Assert.Equal("the incident is closed", error.Message);
        Assert.Equal(2, (await store.GetStreamAsync(stream.Id))!.Version);
    }

    [Fact]
    public async Task Concurrent_commands_that_may_be_retried_all_land()
    {
        var stream = new StreamKey("incident", Guid.NewGuid());
        await Executor.ExecuteAsync(stream, new File("x"), Incident, By());
        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => new CommandExecutor(db.CreateStore(TestEvents.Registry().Register<NotesClosed>())).ExecuteAsync(stream, new Note($"n{i}"), Incident, By()))));

        var (state, version) = await Executor.LoadAsync(stream.Id, Incident);
        Assert.Equal((12, 13L), (state.Notes, version));
        Assert.True((await store.VerifyStreamAsync(stream.Id)).IsIntact);
    }

    [Fact]
    public async Task A_conflict_surfaces_when_the_command_may_not_be_retried()
    {
        var stream = new StreamKey("incident", Guid.NewGuid());
        await Executor.ExecuteAsync(stream, new File("x"), Incident, By());
        var interloped = false;
        var racing = Incident with
        {
            Decide = (c, s) =>
            {
                if (!interloped)
                {
                    interloped = true; // another writer lands between our read and our append
                    store.AppendAsync(stream, ExpectedVersion.Any, [new(new NoteAdded("other writer"))], TestEvents.By("someone-else")).GetAwaiter().GetResult();
                }

                return Incident.Decide(c, s);
            },
        };

        var error = await Assert.ThrowsAsync<ConcurrencyException>(() => Executor.ExecuteAsync(stream, new Note("mine"), racing, By() with { RetryOnConflict = false }));
        Assert.Equal(2, error.ActualVersion);
    }

    [Fact]
    public async Task Resending_a_command_key_answers_with_the_current_state_and_writes_nothing()
    {
        var stream = new StreamKey("incident", Guid.NewGuid());
        await Executor.ExecuteAsync(stream, new File("x"), Incident, By());
        var first = await Executor.ExecuteAsync(stream, new Note("once"), Incident, By() with { CommandKey = $"note-{stream.Id}" });
        var again = await Executor.ExecuteAsync(stream, new Note("once"), Incident, By() with { CommandKey = $"note-{stream.Id}" });

        Assert.Single(first.Events);
        Assert.Empty(again.Events);
        Assert.True(again.Append!.AlreadyApplied);
        Assert.Equal(new State(true, false, 1), again.State);
    }

    [Fact]
    public async Task Outbox_messages_derived_from_the_decided_events_commit_with_them()
    {
        var stream = new StreamKey("incident", Guid.NewGuid());
        var before = (await OutboxDispatcher.DepthAsync(db.App)).Pending;
        await Executor.ExecuteAsync(stream, new File("Compute hijacked through a framework flaw"), Incident, By() with
        {
            Outbox = events => [.. events.Select(e => new OutboxMessage(Guid.NewGuid(), "incident", Guid.NewGuid().ToString(), System.Text.Json.JsonSerializer.SerializeToElement(new { type = e.GetType().Name })))],
        });
        Assert.Equal(before + 1, (await OutboxDispatcher.DepthAsync(db.App)).Pending);
    }
}
