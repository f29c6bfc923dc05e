using IncidentLedger.EventStore.Events;
using IncidentLedger.EventStore.Projections;
using IncidentLedger.EventStore.Streams;
using IncidentLedger.Testing;
using Npgsql;

namespace IncidentLedger.EventStore.Tests;

/// <summary>Each stream's current title and note count, kept in the append transaction. A note "reject" makes it throw.</summary>
public sealed class CurrentIncident : IInlineProjection
{
    public async Task CreateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS current_incident (stream_id uuid PRIMARY KEY, version bigint NOT NULL, title text, notes int NOT NULL)", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<RecordedEvent> appended, CancellationToken cancellationToken)
    {
        foreach (var e in appended)
        {
            var title = e.EventType == nameof(IncidentFiled) ? e.Data.GetProperty("title").GetString() : null;
            if (e.EventType == nameof(NoteAdded) && e.Data.GetProperty("text").GetString() == "reject")
            {
                throw new InvalidOperationException("the current-state fold refused this event");
            }

            await using var upsert = new NpgsqlCommand("""
                INSERT INTO current_incident AS c (stream_id, version, title, notes) VALUES ($1, $2, $3, $4)
                ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, title = coalesce(excluded.title, c.title), notes = c.notes + excluded.notes
                """, connection, transaction);
            upsert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = e.Stream.Id });
            upsert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = e.Version });
            upsert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text, Value = (object?)title ?? DBNull.Value });
            upsert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = e.EventType == nameof(NoteAdded) ? 1 : 0 });
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}

public sealed class InlineProjectionTests(LedgerDatabase db) : IClassFixture<LedgerDatabase>
{
    private async Task<LedgerEventStore> StoreAsync()
    {
        var store = db.CreateStore(TestEvents.Registry(), inline: [new CurrentIncident()]);
        await store.CreateInlineProjectionsAsync();
        return store;
    }

    private Task<long> RowAsync(Guid stream, string column) => db.ScalarAsync<long>($"SELECT coalesce((SELECT {column}::bigint FROM current_incident WHERE stream_id = '{stream}'), -1)");

    [Fact]
    public async Task The_writer_reads_its_own_write_as_soon_as_the_append_returns()
    {
        var store = await StoreAsync();
        var stream = new StreamKey("incident", Guid.NewGuid());
        await store.AppendAsync(stream, ExpectedVersion.NoStream, [new(new IncidentFiled("Voice assistant harmful advice", 1)), new(new NoteAdded("a"))], TestEvents.By());
        Assert.Equal((2L, 1L), (await RowAsync(stream.Id, "version"), await RowAsync(stream.Id, "notes")));

        await store.AppendAsync(stream, ExpectedVersion.Exactly(2), [new(new NoteAdded("b"))], TestEvents.By());
        Assert.Equal((3L, 2L), (await RowAsync(stream.Id, "version"), await RowAsync(stream.Id, "notes")));
        Assert.Equal("Voice assistant harmful advice", await db.ScalarAsync<string>($"SELECT title FROM current_incident WHERE stream_id = '{stream.Id}'"));
    }

    [Fact]
    public async Task A_failing_inline_projection_fails_the_append_and_nothing_is_half_written()
    {
        var store = await StoreAsync();
        var stream = new StreamKey("incident", Guid.NewGuid());
        await store.AppendAsync(stream, ExpectedVersion.NoStream, [new(new IncidentFiled("x", 1))], TestEvents.By());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            store.AppendAsync(stream, ExpectedVersion.Exactly(1), [new(new NoteAdded("fine")), new(new NoteAdded("reject"))], TestEvents.By()));
        Assert.Contains("refused", error.Message, StringComparison.Ordinal);

        Assert.Equal(1, (await store.GetStreamAsync(stream.Id))!.Version);
        Assert.Equal(1, await db.ScalarAsync<long>($"SELECT count(*) FROM ledger_events WHERE stream_id = '{stream.Id}'"));
        Assert.Equal((1L, 0L), (await RowAsync(stream.Id, "version"), await RowAsync(stream.Id, "notes")));

        // The store is not confused afterwards: the next good append lands at version 2.
        var next = await store.AppendAsync(stream, ExpectedVersion.Exactly(1), [new(new NoteAdded("fine"))], TestEvents.By());
        Assert.Equal(2, next.LastVersion);
        Assert.True((await store.VerifyStreamAsync(stream.Id)).IsIntact);
    }
}
