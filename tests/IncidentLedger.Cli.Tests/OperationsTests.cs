using IncidentLedger.EventStore.Projections;

namespace IncidentLedger.Cli.Tests;

/// <summary>A projection of the test ledger: events per stream.</summary>
public sealed class EventsPerStream : IProjection
{
    public string Name => "events_per_stream";

    public IReadOnlyList<string> Tables => ["events_per_stream"];

    public async Task CreateAsync(ProjectionContext context, CancellationToken cancellationToken)
    {
        await using var command = context.Command($"CREATE TABLE IF NOT EXISTS {context.Table("events_per_stream")} (stream_id uuid PRIMARY KEY, events int NOT NULL)");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<SealedEvent> events, CancellationToken cancellationToken)
    {
        foreach (var e in events)
        {
            await using var command = context.Command($"INSERT INTO {context.Table("events_per_stream")} AS t VALUES ($1, 1) ON CONFLICT (stream_id) DO UPDATE SET events = t.events + 1");
            command.Parameters.Add(new Npgsql.NpgsqlParameter<Guid> { TypedValue = e.Event.Stream.Id });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}

/// <summary>`ledger status` and `ledger rebuild` against a running projection.</summary>
public sealed class OperationsTests : IAsyncLifetime
{
    private readonly SealedLedger ledger = new();

    public ValueTask InitializeAsync() => ledger.InitializeAsync();

    public ValueTask DisposeAsync() => ledger.DisposeAsync();

    [Fact]
    public async Task Status_shows_the_log_the_projections_and_the_outbox()
    {
        await new ProjectionRunner(ledger.App, ledger.Schema, new EventsPerStream()).RunOnceAsync();
        var (code, output) = await ledger.LedgerAsync("status", "--connection", ledger.ConnectionString, "--schema", ledger.Schema);
        Assert.True(code == 0, output);
        Assert.Contains("log: 60 sealed, 0 waiting", output, StringComparison.Ordinal);
        Assert.Contains("projection events_per_stream: running, position 59, 0 events", output, StringComparison.Ordinal);
        Assert.Contains("outbox: 0 pending, 0 dead-lettered", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rebuild_waits_for_the_running_node_to_replay_and_swap()
    {
        using var stop = new CancellationTokenSource();
        var runner = new ProjectionRunner(ledger.App, ledger.Schema, new EventsPerStream(), new ProjectionRunnerOptions { PollInterval = TimeSpan.FromMilliseconds(50), BatchSize = 7 });
        var running = runner.RunAsync(stop.Token);
        try
        {
            var (code, output) = await ledger.LedgerAsync("rebuild", "events_per_stream", "--connection", ledger.ConnectionString, "--schema", ledger.Schema);
            Assert.True(code == 0, output);
            Assert.Contains("rebuilt and swapped in at position 59", output, StringComparison.Ordinal);
            Assert.Equal(60, await ledger.ScalarAsync<long>("SELECT sum(events) FROM events_per_stream"));
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }
    }

    [Fact]
    public async Task Rebuilding_an_unknown_projection_is_a_usage_error()
    {
        var (code, output) = await ledger.LedgerAsync("rebuild", "no_such_view", "--connection", ledger.ConnectionString, "--schema", ledger.Schema);
        Assert.Equal(2, code);
        Assert.Contains("no projection \"no_such_view\"", output, StringComparison.Ordinal);
    }
}
