using IncidentLedger.Domain.Organisations;
using IncidentLedger.EventStore.Streams;
using IncidentLedger.EventStore.Writing;
using IncidentLedger.Testing;

namespace IncidentLedger.EventStore.Tests;

/// <summary>As-of reads: a stream folded up to a time, or up to a size of the sealed log.</summary>
public sealed class StreamHistoryTests : IAsyncLifetime
{
    private readonly LedgerDatabase db = new();

    public ValueTask InitializeAsync() => db.InitializeAsync();

    public async ValueTask DisposeAsync() => await db.DisposeAsync();

    private static string NameOf(StreamAsOf? stream) => Assert.IsType<Organisation.Registered>(stream?.State).Name;

    [Fact]
    public async Task A_stream_read_as_of_a_time_or_a_log_size_is_folded_from_the_events_recorded_or_sealed_by_then()
    {
        var id = Guid.NewGuid();
        var before = DateTimeOffset.UtcNow;
        await db.RunAsync(Organisations.Register(id));
        await Task.Delay(20);
        var afterRegistration = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        await db.RunAsync(Organisations.Rename(id, "Acme Two"), new CommandContext { ExpectedVersion = 1 });
        await db.CreateSealer().SealOnceAsync();
        await db.RunAsync(Organisations.Rename(id, "Acme Three"), new CommandContext { ExpectedVersion = 2 });

        await using var session = db.Store.QuerySession();
        Assert.Null(await StreamHistory.AsOfAsync(session, id, before.AddSeconds(-1)));
        var registered = await StreamHistory.AsOfAsync(session, id, afterRegistration);
        Assert.Equal((1L, "organisation"), (registered!.Version, registered.StreamType));
        var now = await StreamHistory.AsOfAsync(session, id, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal((3L, "Acme Three"), (now!.Version, NameOf(now)));

        Assert.Null(await StreamHistory.AtLogSizeAsync(session, db.App, id, 0));
        Assert.Equal(1, (await StreamHistory.AtLogSizeAsync(session, db.App, id, 1))!.Version);
        var sealedSoFar = await StreamHistory.AtLogSizeAsync(session, db.App, id, 1_000);
        Assert.Equal((2L, "Acme Two"), (sealedSoFar!.Version, NameOf(sealedSoFar)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => StreamHistory.AtLogSizeAsync(session, db.App, id, -1));
    }
}
