using System.Text;
using IncidentLedger.EventStore.Events;
using IncidentLedger.EventStore.Streams;
using IncidentLedger.Integrity;
using IncidentLedger.Integrity.Envelopes;
using Npgsql;
using NpgsqlTypes;

namespace IncidentLedger.EventStore;

public sealed partial class LedgerEventStore
{
    /// <summary>
    /// The events, the stream's new head and the command key, written by one statement that
    /// applies only while the head is still (version, last hash): 0 rows means someone else moved it.
    /// </summary>
    private const string ExistingHead = """
        WITH head AS (
            UPDATE ledger_streams SET version = $3, last_hash = $4, updated_at = $5
            WHERE stream_id = $1 AND version = $2 AND last_hash IS NOT DISTINCT FROM $6 AND stream_type = $7
            RETURNING stream_id
        )
        """;

    private const string NewHead = """
        WITH head AS (
            INSERT INTO ledger_streams (stream_id, stream_type, version, last_hash, created_at, updated_at)
            SELECT $1, $7, $3, $4, $5, $5 WHERE $2 = 0 AND $6::bytea IS NULL
            ON CONFLICT (stream_id) DO NOTHING
            RETURNING stream_id
        )
        """;

    private const string CommandKeyAfterHead = """
        , command AS (
            INSERT INTO ledger_commands (command_key, stream_id, first_version, last_version, recorded_at)
            SELECT $8, head.stream_id, $2 + 1, $3, $5 FROM head WHERE $8 IS NOT NULL
        )
        """;

    // Outbox messages commit with the events they announce, or not at all.
    private const string OutboxAfterHead = """
        , outbox AS (
            INSERT INTO ledger_outbox (id, topic, destination, payload, created_at, available_at)
            SELECT o.id, o.topic, o.destination, o.payload::jsonb, $5, $5
            FROM head, unnest($17::uuid[], $18::text[], $19::text[], $20::text[]) AS o(id, topic, destination, payload)
        )
        """;

    private const string InsertEvents = """
        INSERT INTO ledger_events (event_id, stream_id, stream_type, version, event_type, schema_version, data, metadata, recorded_at, prev_hash, hash)
        """;

    private const string ManyEventsAfterHead = """
        SELECT e.event_id, head.stream_id, $7, e.version, e.event_type, e.schema_version, e.data::jsonb, $9::jsonb, $5, e.prev_hash, e.hash
        FROM head, unnest($10::uuid[], $11::bigint[], $12::text[], $13::int[], $14::text[], $15::bytea[], $16::bytea[])
             WITH ORDINALITY AS e(event_id, version, event_type, schema_version, data, prev_hash, hash, ord)
        ORDER BY e.ord
        """;

    // The common case, one event, binds scalars instead of arrays: less to encode and to unnest.
    private const string OneEventAfterHead = """
        SELECT $10, head.stream_id, $7, $11, $12, $13, $14::jsonb, $9::jsonb, $5, $15, $16 FROM head
        """;

    private sealed record ChainedBatch(long FirstVersion, long LastVersion, DateTimeOffset RecordedAt, AppendedEvent[] Events, long[] Versions, byte[]?[] Prevs, byte[][] Hashes);

    /// <summary>Hashes each event's envelope and links it to its predecessor, starting after <paramref name="head"/>.</summary>
    private ChainedBatch Chain(PreparedAppend append, StreamHead head)
    {
        var recordedAt = EnvelopeHasher.TruncateToMicroseconds(Options.Clock.GetUtcNow());
        var count = append.Events.Count;
        var appended = new AppendedEvent[count];
        var versions = new long[count];
        var prevs = new byte[]?[count];
        var hashes = new byte[count][];
        var previous = head.LastHash;
        for (var i = 0; i < count; i++)
        {
            var e = append.Events[i];
            var version = head.Version + i + 1;
            var hash = EnvelopeHasher.Hash(new EventEnvelope(
                Options.Origin, append.Stream.Id, append.Stream.Type, version, e.EventId, e.Type.Name, e.Type.SchemaVersion, recordedAt, e.Data, append.Metadata, previous));
            versions[i] = version;
            prevs[i] = previous?.ToArray();
            hashes[i] = hash.ToArray();
            appended[i] = new AppendedEvent(e.EventId, version, hash);
            previous = hash;
        }

        return new ChainedBatch(head.Version + 1, head.Version + count, recordedAt, appended, versions, prevs, hashes);
    }

    private static NpgsqlBatchCommand WriteStatement(PreparedAppend append, StreamHead head, ChainedBatch batch)
    {
        var single = append.Events.Count == 1;
        var sql = (head.Version == 0 ? NewHead : ExistingHead) + CommandKeyAfterHead
            + (append.Outbox.Count > 0 ? OutboxAfterHead : "") + InsertEvents + (single ? OneEventAfterHead : ManyEventsAfterHead);
        var command = new NpgsqlBatchCommand(sql);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<Guid> { TypedValue = append.Stream.Id });
        p.Add(new NpgsqlParameter<long> { TypedValue = head.Version });
        p.Add(new NpgsqlParameter<long> { TypedValue = batch.LastVersion });
        p.Add(new NpgsqlParameter<byte[]> { TypedValue = batch.Hashes[^1] });
        p.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = batch.RecordedAt });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = head.LastHash?.ToArray() ?? (object)DBNull.Value });
        p.Add(new NpgsqlParameter<string> { TypedValue = append.Stream.Type });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = append.CommandKey ?? (object)DBNull.Value });
        p.Add(new NpgsqlParameter<string> { TypedValue = append.MetadataJson });
        if (single)
        {
            var e = append.Events[0];
            p.Add(new NpgsqlParameter<Guid> { TypedValue = e.EventId });
            p.Add(new NpgsqlParameter<long> { TypedValue = batch.Versions[0] });
            p.Add(new NpgsqlParameter<string> { TypedValue = e.Type.Name });
            p.Add(new NpgsqlParameter<int> { TypedValue = e.Type.SchemaVersion });
            p.Add(new NpgsqlParameter<string> { TypedValue = Encoding.UTF8.GetString(e.Json) });
            p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = batch.Prevs[0] ?? (object)DBNull.Value });
            p.Add(new NpgsqlParameter<byte[]> { TypedValue = batch.Hashes[0] });
            AddOutbox(p, append);
            return command;
        }

        p.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. append.Events.Select(e => e.EventId)] });
        p.Add(new NpgsqlParameter<long[]> { TypedValue = batch.Versions });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. append.Events.Select(e => e.Type.Name)] });
        p.Add(new NpgsqlParameter<int[]> { TypedValue = [.. append.Events.Select(e => e.Type.SchemaVersion)] });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. append.Events.Select(e => Encoding.UTF8.GetString(e.Json))] });
        p.Add(new NpgsqlParameter<byte[]?[]> { TypedValue = batch.Prevs });
        p.Add(new NpgsqlParameter<byte[][]> { TypedValue = batch.Hashes });
        AddOutbox(p, append);
        return command;
    }

    private static void AddOutbox(NpgsqlParameterCollection p, PreparedAppend append)
    {
        if (append.Outbox.Count == 0)
        {
            return;
        }

        p.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. append.Outbox.Select(m => m.Id)] });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. append.Outbox.Select(m => m.Topic)] });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. append.Outbox.Select(m => m.Destination)] });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. append.Outbox.Select(m => m.Payload.GetRawText())] });
    }

    /// <summary>
    /// One round trip (no explicit transaction unless inline projections must join it): applies only if
    /// the stream is still at <paramref name="head"/>; null when it was not.
    /// </summary>
    private async Task<AppendResult?> TryAppendAtHeadAsync(PreparedAppend append, StreamHead head, CancellationToken cancellationToken)
    {
        var batch = Chain(append, head);
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = Options.InlineProjections.Count > 0 ? await connection.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            if (await ExecuteWriteAsync(connection, transaction, WriteStatement(append, head, batch), cancellationToken) != append.Events.Count)
            {
                heads.Forget(append.Stream.Id);
                return null;
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Event ids or a command key already used: the locked path tells a retry from a conflict.
            return null;
        }

        if (transaction is not null)
        {
            await ApplyInlineAsync(connection, transaction, append, batch, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        heads.Remember(append.Stream.Id, new StreamHead(batch.LastVersion, batch.Events[^1].Hash));
        WakeSealer();
        return new AppendResult(append.Stream, batch.FirstVersion, batch.LastVersion, batch.Events, AlreadyApplied: false);
    }

    /// <summary>Locks the stream row, reads the true head and any earlier landing of this append, then decides and writes.</summary>
    private async Task<AppendResult> AppendLockedAsync(PreparedAppend append, ExpectedVersion expected, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using var lookup = new NpgsqlBatch(connection, transaction);
        lookup.BatchCommands.Add(Command(
            "SELECT stream_type, version, last_hash FROM ledger_streams WHERE stream_id = $1 FOR UPDATE",
            new NpgsqlParameter<Guid> { TypedValue = append.Stream.Id }));
        lookup.BatchCommands.Add(Command(
            "SELECT event_id, stream_id, version, event_type, hash FROM ledger_events WHERE event_id = ANY($1)",
            new NpgsqlParameter<Guid[]> { TypedValue = [.. append.Events.Select(e => e.EventId)] }));
        lookup.BatchCommands.Add(Command(
            "SELECT stream_id, first_version, last_version FROM ledger_commands WHERE command_key = $1",
            new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = append.CommandKey ?? (object)DBNull.Value }));

        string? storedType = null;
        var head = new StreamHead(0, null);
        var existing = new List<(Guid EventId, Guid StreamId, long Version, string Type, Hash Hash)>();
        (Guid StreamId, long First, long Last)? priorCommand = null;
        await using (var reader = await lookup.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                storedType = reader.GetString(0);
                head = new StreamHead(reader.GetInt64(1), reader.IsDBNull(2) ? null : Hash.FromBytes(reader.GetFieldValue<byte[]>(2)));
            }

            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                existing.Add((reader.GetGuid(0), reader.GetGuid(1), reader.GetInt64(2), reader.GetString(3), Hash.FromBytes(reader.GetFieldValue<byte[]>(4))));
            }

            await reader.NextResultAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                priorCommand = (reader.GetGuid(0), reader.GetInt64(1), reader.GetInt64(2));
            }
        }

        if (priorCommand is { } prior)
        {
            return await RepeatedCommandAsync(connection, transaction, append, prior, cancellationToken);
        }

        if (existing.Count > 0)
        {
            return RepeatedEvents(append, existing);
        }

        if (storedType is not null && storedType != append.Stream.Type)
        {
            throw new InvalidEventException($"Stream {append.Stream.Id} is a \"{storedType}\" stream, not \"{append.Stream.Type}\".");
        }

        heads.Remember(append.Stream.Id, head);
        if (!expected.IsSatisfiedBy(head.Version))
        {
            throw new ConcurrencyException(append.Stream, expected, head.Version);
        }

        var batch = Chain(append, head);
        try
        {
            var written = await ExecuteWriteAsync(connection, transaction, WriteStatement(append, head, batch), cancellationToken);
            if (written != append.Events.Count)
            {
                // Only a stream created by a concurrent writer since the lookup can get here: the caller retries.
                throw new StreamCreatedConcurrentlyException();
            }

            await ApplyInlineAsync(connection, transaction, append, batch, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName is "ledger_events_event_id_unique" or "ledger_commands_pkey")
        {
            heads.Forget(append.Stream.Id);
            throw new IdempotencyConflictException($"The event ids or command key of this append to {append.Stream} were just recorded by another append. Nothing was written.");
        }

        heads.Remember(append.Stream.Id, new StreamHead(batch.LastVersion, batch.Events[^1].Hash));
        WakeSealer();
        return new AppendResult(append.Stream, batch.FirstVersion, batch.LastVersion, batch.Events, AlreadyApplied: false);
    }

    private sealed class StreamCreatedConcurrentlyException : Exception;

    private async Task ApplyInlineAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PreparedAppend append, ChainedBatch batch, CancellationToken cancellationToken)
    {
        if (Options.InlineProjections.Count == 0)
        {
            return;
        }

        var recorded = new RecordedEvent[append.Events.Count];
        for (var i = 0; i < recorded.Length; i++)
        {
            var e = append.Events[i];
            recorded[i] = new RecordedEvent(e.EventId, append.Stream, batch.Versions[i], e.Type.Name, e.Type.SchemaVersion, e.Data, append.Metadata,
                batch.RecordedAt, batch.Prevs[i] is { } prev ? Hash.FromBytes(prev) : null, batch.Events[i].Hash);
        }

        foreach (var projection in Options.InlineProjections)
        {
            await projection.ApplyAsync(connection, transaction, recorded, cancellationToken);
        }
    }

    /// <summary>Runs the write statement in one round trip.</summary>
    private static async Task<int> ExecuteWriteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, NpgsqlBatchCommand statement, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(statement);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return statement.RecordsAffected;
    }

    private int wakeScheduled;

    /// <summary>
    /// Tells the sealer new events committed, at most once per <see cref="EventStoreOptions.SealerWakeDelay"/>:
    /// a NOTIFY inside every append would serialise commits on PostgreSQL's notification queue.
    /// An append that finds a wake already scheduled is covered by it, since that NOTIFY goes out after this commit.
    /// </summary>
    private void WakeSealer()
    {
        if (!Options.NotifySealer || Interlocked.Exchange(ref wakeScheduled, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            await Task.Delay(Options.SealerWakeDelay);
            Volatile.Write(ref wakeScheduled, 0);
            try
            {
                await using var notify = DataSource.CreateCommand($"SELECT pg_notify('{Sealing.LedgerNotifications.Channel}', '')");
                await notify.ExecuteNonQueryAsync();
            }
            catch (NpgsqlException)
            {
                // A lost wake-up only costs latency: the sealer also polls.
            }
        });
    }
}
