using System.Runtime.CompilerServices;
using System.Text.Json;
using IncidentLedger.EventStore.Events;
using IncidentLedger.EventStore.Streams;
using IncidentLedger.Integrity;
using IncidentLedger.Integrity.Envelopes;
using Npgsql;

namespace IncidentLedger.EventStore;

public sealed partial class LedgerEventStore
{
    private const string EventColumns = EventRows.Columns;

    /// <summary>A stream's events in version order, from <paramref name="fromVersion"/> on.</summary>
    public async IAsyncEnumerable<RecordedEvent> ReadStreamAsync(Guid streamId, long fromVersion = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var command = DataSource.CreateCommand($"SELECT {EventColumns} FROM ledger_events WHERE stream_id = $1 AND version >= $2 ORDER BY version");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = streamId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = fromVersion });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        RecordedEvent? last = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            last = ReadEvent(reader);
            yield return last;
        }

        if (last is not null)
        {
            // Whoever read to the end is about to decide and append: let that append go straight to the head.
            heads.Remember(streamId, new StreamHead(last.Version, last.Hash));
        }
    }

    /// <summary>
    /// Every event, in the order of the transactions that wrote them and then of insertion
    /// (the order the sealer uses), paged by keyset so memory stays flat.
    /// </summary>
    public async IAsyncEnumerable<RecordedEvent> ReadAllAsync(int pageSize = 1000, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ulong lastTx = 0;
        long lastSeq = 0;
        while (true)
        {
            await using var command = DataSource.CreateCommand($"SELECT {EventColumns}, tx::text::numeric, seq FROM ledger_events WHERE (tx, seq) > ($1::text::xid8, $2) ORDER BY tx, seq LIMIT $3");
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = lastTx.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = lastSeq });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = pageSize });
            var read = 0;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    read++;
                    lastTx = (ulong)reader.GetDecimal(11);
                    lastSeq = reader.GetInt64(12);
                    yield return ReadEvent(reader);
                }
            }

            if (read < pageSize)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// A stream's events as they were known at a point of the sealed log: those sealed at or before
    /// <paramref name="position"/> — "what the ledger held after its first position+1 events".
    /// </summary>
    public async IAsyncEnumerable<RecordedEvent> ReadStreamAsOfPositionAsync(Guid streamId, long position, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var command = DataSource.CreateCommand($"""
            SELECT {EventRows.ColumnsOf("e")} FROM ledger_events e JOIN ledger_entries x ON x.event_id = e.event_id
            WHERE e.stream_id = $1 AND x.position <= $2 ORDER BY e.version
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = streamId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = position });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadEvent(reader);
        }
    }

    /// <summary>A stream's events recorded at or before <paramref name="instant"/>: "what was known on date X".</summary>
    public async IAsyncEnumerable<RecordedEvent> ReadStreamAsOfAsync(Guid streamId, DateTimeOffset instant, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var command = DataSource.CreateCommand($"SELECT {EventColumns} FROM ledger_events WHERE stream_id = $1 AND recorded_at <= $2 ORDER BY version");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = streamId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = instant.ToUniversalTime() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadEvent(reader);
        }
    }

    /// <summary>One event by its id, or null.</summary>
    public async Task<RecordedEvent?> ReadEventAsync(Guid eventId, CancellationToken cancellationToken = default)
    {
        await using var command = DataSource.CreateCommand($"SELECT {EventColumns} FROM ledger_events WHERE event_id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = eventId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadEvent(reader) : null;
    }

    /// <summary>A stream's head, or null when it does not exist.</summary>
    public async Task<StreamInfo?> GetStreamAsync(Guid streamId, CancellationToken cancellationToken = default)
    {
        await using var command = DataSource.CreateCommand("SELECT stream_type, version, last_hash, created_at, updated_at FROM ledger_streams WHERE stream_id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = streamId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new StreamInfo(
            new StreamKey(reader.GetString(0), streamId),
            reader.GetInt64(1),
            reader.IsDBNull(2) ? null : Hash.FromBytes(reader.GetFieldValue<byte[]>(2)),
            reader.GetFieldValue<DateTimeOffset>(3),
            reader.GetFieldValue<DateTimeOffset>(4));
    }

    /// <summary>The recorded event's payload as its current CLR type (older schema versions upcast).</summary>
    public object Deserialize(RecordedEvent recorded) => Options.Types.Deserialize(recorded.EventType, recorded.SchemaVersion, recorded.Data);

    /// <summary>Recomputes every hash of one stream and checks every link and its head; reports the first bad event.</summary>
    public async Task<ChainVerification> VerifyStreamAsync(Guid streamId, CancellationToken cancellationToken = default)
    {
        var head = await GetStreamAsync(streamId, cancellationToken);
        var events = new List<SealedEnvelope>();
        await foreach (var e in ReadStreamAsync(streamId, 1, cancellationToken))
        {
            events.Add(ToSealedEnvelope(e));
        }

        return StreamVerifier.Verify(streamId, events, head is null ? null : (head.Version, head.LastHash ?? default));
    }

    /// <summary>The envelope the hash of <paramref name="recorded"/> covers, as stored.</summary>
    public SealedEnvelope ToSealedEnvelope(RecordedEvent recorded) => new(
        new EventEnvelope(Options.Origin, recorded.Stream.Id, recorded.Stream.Type, recorded.Version, recorded.EventId, recorded.EventType, recorded.SchemaVersion,
            recorded.RecordedAt, recorded.Data, recorded.Metadata, recorded.Prev),
        recorded.Hash);

    private static RecordedEvent ReadEvent(NpgsqlDataReader reader) => EventRows.Read(reader, 0);
}
