using IncidentLedger.EventStore.Sealing;
using IncidentLedger.Testing;

namespace IncidentLedger.EventStore.Tests;

/// <summary>The live follower of the sealed log: woken by the sealer's NOTIFY, in order, resumable, holding no connection between pages.</summary>
public sealed class SealedLogFeedTests : IAsyncLifetime
{
    private readonly LedgerDatabase db = new();

    public ValueTask InitializeAsync() => db.InitializeAsync();

    public async ValueTask DisposeAsync() => await db.DisposeAsync();

    private async Task AppendAndSealAsync(int count)
    {
        await db.WriteOrganisationsAsync(1, count);

        var sealer = db.CreateSealer();
        while ((await sealer.SealOnceAsync()).Sealed > 0)
        {
        }
    }

    private static async Task<List<SealedEvent>> TakeAsync(IAsyncEnumerable<SealedEvent> feed, int count, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var taken = new List<SealedEvent>();
        await using var e = feed.GetAsyncEnumerator(timeout.Token);
        while (taken.Count < count && await e.MoveNextAsync())
        {
            taken.Add(e.Current);
        }

        return taken;
    }

    private static async Task WaitUntilListeningAsync(SealedLogFeed feed)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!feed.Listening)
        {
            Assert.True(DateTime.UtcNow < deadline, "the feed never started listening");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task A_subscriber_is_woken_by_the_sealers_notification_not_by_polling()
    {
        // An hour between polls: only the NOTIFY can deliver within the test's bound.
        await using var feed = new SealedLogFeed(db.App, db.Log, pollInterval: TimeSpan.FromHours(1));
        await AppendAndSealAsync(2);
        using var stop = new CancellationTokenSource();
        var reading = TakeAsync(feed.FollowAsync(1, stop.Token), 3, TimeSpan.FromSeconds(20));

        await WaitUntilListeningAsync(feed);

        await AppendAndSealAsync(3);
        var seen = await reading;
        Assert.Equal([2L, 3, 4], seen.Select(e => e.Position));
    }

    [Fact]
    public async Task A_stopped_feed_stops_listening_before_its_connection_returns_to_the_pool()
    {
        // One pooled connection, kept across returns as the application's are: the next one opened is the feed's.
        await using var source = Npgsql.NpgsqlDataSource.Create(new Npgsql.NpgsqlConnectionStringBuilder(db.App.ConnectionString) { MaxPoolSize = 1 }.ConnectionString);
        var feed = new SealedLogFeed(source, db.Log, pollInterval: TimeSpan.FromHours(1));
        using var stop = new CancellationTokenSource();
        var reading = TakeAsync(feed.FollowAsync(1, stop.Token), 1, TimeSpan.FromSeconds(20));
        await WaitUntilListeningAsync(feed);

        await stop.CancelAsync();
        await Record.ExceptionAsync(() => reading); // the subscriber went away, however its reading ended
        await feed.DisposeAsync();

        await using var connection = await source.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var channels = new Npgsql.NpgsqlCommand("SELECT count(*) FROM pg_listening_channels()", connection);
        Assert.Equal(0L, await channels.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_subscriber_that_resumes_after_its_last_position_misses_nothing_and_sees_nothing_twice()
    {
        await AppendAndSealAsync(1_200); // more than two pages
        await using var feed = new SealedLogFeed(db.App, db.Log);
        var first = await TakeAsync(feed.FollowAsync(-1, TestContext.Current.CancellationToken), 700, TimeSpan.FromSeconds(30));
        var rest = await TakeAsync(feed.FollowAsync(first[^1].Position, TestContext.Current.CancellationToken), 500, TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range(0, 1_200).Select(i => (long)i), first.Concat(rest).Select(e => e.Position));
    }

    [Fact]
    public async Task A_slow_subscriber_holds_no_database_connection_while_it_is_handed_events()
    {
        await AppendAndSealAsync(10);
        // Reads go through a pool of one connection: if the subscriber kept it, nothing else could open one.
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(db.ConnectionString) { Timeout = 3 }.ConnectionString;
        await using var single = LedgerSchema.CreateDataSource(connection, db.Schema, asApplicationRole: true, maxPoolSize: 1);
        await using var feed = new SealedLogFeed(db.App, new LedgerLog(single));
        await using var e = feed.FollowAsync(-1, TestContext.Current.CancellationToken).GetAsyncEnumerator(TestContext.Current.CancellationToken);
        Assert.True(await e.MoveNextAsync());

        await using (var other = await single.OpenConnectionAsync(TestContext.Current.CancellationToken))
        {
            Assert.Equal(System.Data.ConnectionState.Open, other.State);
        }

        Assert.True(await e.MoveNextAsync());
        Assert.Equal(1, e.Current.Position);
    }

    [Fact]
    public async Task A_position_before_the_start_is_refused()
    {
        await using var feed = new SealedLogFeed(db.App, db.Log);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
        {
            await foreach (var _ in feed.FollowAsync(-2, TestContext.Current.CancellationToken))
            {
            }
        });
    }
}
