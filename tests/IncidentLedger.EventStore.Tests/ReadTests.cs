using IncidentLedger.EventStore.Streams;
using IncidentLedger.Testing;

namespace IncidentLedger.EventStore.Tests;

public sealed class ReadTests(LedgerDatabase db) : IClassFixture<LedgerDatabase>
{
    private readonly LedgerEventStore store = db.CreateStore(TestEvents.Registry());

    [Fact]
    public async Task A_stream_reads_back_typed_from_any_version()
    {
        var stream = new StreamKey("incident", Guid.NewGuid());
        await store.AppendAsync(stream, ExpectedVersion.NoStream,
            [new(new IncidentFiled("Adversarial stop sign", 0)), new(new NoteAdded("one")), new(new NoteAdded("two"))], TestEvents.By());

        var fromTwo = await store.ReadStreamAsync(stream.Id, fromVersion: 2).ToListAsync();
        Assert.Equal([2L, 3L], fromTwo.Select(e => e.Version));
        Assert.Equal(new NoteAdded("two"), store.Deserialize(fromTwo[1]));
        Assert.Equal("operator-1", fromTwo[0].Actor);
        Assert.Equal(stream, fromTwo[0].Stream);
    }

    [Fact]
    public async Task An_event_reads_back_by_its_id_and_unknown_ids_read_as_null()
    {
        var stream = new StreamKey("incident", Guid.NewGuid());
        var id = Guid.NewGuid();
        await store.AppendAsync(stream, ExpectedVersion.NoStream, [new(new IncidentFiled("x", 3), id)], TestEvents.By());

        var recorded = await store.ReadEventAsync(id);
        Assert.Equal(new IncidentFiled("x", 3), store.Deserialize(recorded!));
        Assert.Null(await store.ReadEventAsync(Guid.NewGuid()));
        Assert.Null(await store.GetStreamAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task Recorded_at_is_the_transaction_time_as_a_utc_instant_with_microseconds()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        var stream = new StreamKey("incident", Guid.NewGuid());
        await store.AppendAsync(stream, ExpectedVersion.NoStream, [new(new IncidentFiled("x", 1)), new(new NoteAdded("y"))], TestEvents.By());

        var events = await store.ReadStreamAsync(stream.Id).ToListAsync();
        Assert.All(events, e => Assert.Equal(TimeSpan.Zero, e.RecordedAt.Offset));
        Assert.InRange(events[0].RecordedAt, before, DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.Equal(events[0].RecordedAt, events[1].RecordedAt);
        Assert.Equal(0, events[0].RecordedAt.Ticks % 10);

        // The database agrees on the instant whatever the session's time zone.
        var stored = await db.ScalarAsync<string>($"SET TIME ZONE 'Asia/Shanghai'; SELECT to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US') FROM ledger_events WHERE stream_id = '{stream.Id}' AND version = 1");
        Assert.Equal(events[0].RecordedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture), stored);
    }

    [Fact]
    public async Task An_old_schema_version_is_upcast_when_read_while_its_stored_bytes_still_verify()
    {
        var stream = new StreamKey("organisation", Guid.NewGuid());
        var v1Store = db.CreateStore(new Events.EventTypeRegistry().Register<LegacyPartyNamed>(nameof(PartyNamed), 1));
        await v1Store.AppendAsync(stream, ExpectedVersion.NoStream, [new(new LegacyPartyNamed("Ada Lovelace"))], TestEvents.By());

        var recorded = await store.ReadStreamAsync(stream.Id).SingleAsync();
        Assert.Equal(1, recorded.SchemaVersion);
        Assert.Equal(new PartyNamed("Ada", "Lovelace"), store.Deserialize(recorded));
        Assert.True((await store.VerifyStreamAsync(stream.Id)).IsIntact);
    }

    [Fact]
    public async Task All_events_read_in_transaction_order_across_pages()
    {
        var streams = Enumerable.Range(0, 7).Select(_ => new StreamKey("incident", Guid.NewGuid())).ToList();
        var expected = new List<Guid>();
        foreach (var stream in streams)
        {
            var ids = new[] { Guid.NewGuid(), Guid.NewGuid() };
            await store.AppendAsync(stream, ExpectedVersion.NoStream, [new(new IncidentFiled("x", 1), ids[0]), new(new NoteAdded("y"), ids[1])], TestEvents.By());
            expected.AddRange(ids);
        }

        var all = await store.ReadAllAsync(pageSize: 3).Select(e => e.EventId).ToListAsync();
        Assert.Equal(expected, all.Where(expected.Contains));
    }

    private sealed record LegacyPartyNamed(string Name);
}
