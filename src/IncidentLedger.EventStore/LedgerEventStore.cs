using System.Buffers;
using System.Text;
using System.Text.Json;
using IncidentLedger.EventStore.Events;
using IncidentLedger.EventStore.Migrations;
using IncidentLedger.EventStore.Streams;
using IncidentLedger.Integrity;
using IncidentLedger.Integrity.Envelopes;
using Npgsql;
using NpgsqlTypes;

namespace IncidentLedger.EventStore;

/// <summary>
/// The event store on PostgreSQL: optimistic appends per stream with KurrentDB-style expectations,
/// idempotent retries, and every event hashed (RFC 8785 + SHA-256) and chained to its stream's previous event.
/// Appends lock only their own stream's row, so different streams append in parallel.
/// </summary>
public sealed partial class LedgerEventStore(NpgsqlDataSource dataSource, EventStoreOptions options)
{
    public EventStoreOptions Options { get; } = options;

    public NpgsqlDataSource DataSource { get; } = dataSource;

    /// <summary>Records the ledger's origin in a fresh database, or checks it against the one recorded.</summary>
    public static async Task InitializeAsync(NpgsqlDataSource owner, string schema, string origin, CancellationToken cancellationToken = default)
    {
        await Migrator.MigrateAsync(owner, schema, cancellationToken);
        await using var command = owner.CreateCommand($"""
            INSERT INTO "{schema}".ledger_settings (name, value) VALUES ('origin', @origin) ON CONFLICT (name) DO NOTHING;
            SELECT value FROM "{schema}".ledger_settings WHERE name = 'origin';
            """);
        command.Parameters.AddWithValue("origin", origin);
        var recorded = (string?)await command.ExecuteScalarAsync(cancellationToken);
        if (recorded != origin)
        {
            throw new LedgerOriginMismatchException($"Schema \"{schema}\" holds the ledger \"{recorded}\", not \"{origin}\". Point the store at the right database or configure origin \"{recorded}\".");
        }
    }

    /// <summary>
    /// Appends <paramref name="events"/> to <paramref name="stream"/> if it is at <paramref name="expected"/>.
    /// Resending the same event ids, or the same <paramref name="commandKey"/>, returns the original result and writes nothing.
    /// </summary>
    /// <exception cref="ConcurrencyException">The stream is not where the writer expected; nothing was written.</exception>
    public async Task<AppendResult> AppendAsync(
        StreamKey stream,
        ExpectedVersion expected,
        IReadOnlyList<NewEvent> events,
        EventMetadata metadata,
        string? commandKey = null,
        CancellationToken cancellationToken = default)
    {
        var batch = Prepare(stream, events, metadata, commandKey);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await AppendPreparedAsync(batch, expected, cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "ledger_streams_pkey" && attempt < 3)
            {
                // Two writers created the same stream at once; the loser re-reads it, now locked and existing.
            }
        }
    }

    private sealed record PreparedEvent(Guid EventId, EventType Type, byte[] Json, JsonElement Data);

    private sealed record PreparedAppend(StreamKey Stream, IReadOnlyList<PreparedEvent> Events, string MetadataJson, JsonElement Metadata, string? CommandKey);

    private PreparedAppend Prepare(StreamKey stream, IReadOnlyList<NewEvent> events, EventMetadata metadata, string? commandKey)
    {
        stream.Validate();
        ArgumentNullException.ThrowIfNull(metadata);
        if (events is null || events.Count == 0)
        {
            throw new InvalidEventException($"An append to {stream} carries no events.");
        }

        if (events.Count > Options.MaxEventsPerAppend)
        {
            throw new InvalidEventException($"An append to {stream} carries {events.Count} events; the limit is {Options.MaxEventsPerAppend}.");
        }

        if (commandKey is { Length: 0 or > 200 })
        {
            throw new InvalidEventException("A command key must be 1 to 200 characters.");
        }

        var prepared = new List<PreparedEvent>(events.Count);
        var ids = new HashSet<Guid>();
        foreach (var e in events)
        {
            if (e?.Data is null)
            {
                throw new InvalidEventException($"An event appended to {stream} has null data.");
            }

            var type = Options.Types.Resolve(e.Data.GetType());
            var json = JsonSerializer.SerializeToUtf8Bytes(e.Data, type.ClrType, Options.Types.JsonOptions);
            if (json.Length > Options.MaxEventBytes)
            {
                throw new InvalidEventException($"{type.Name} serialises to {json.Length} bytes; the limit is {Options.MaxEventBytes}. Keep large artifacts outside the ledger and record their SHA-256 instead.");
            }

            var data = ParseObject(json, type.Name);
            var id = e.EventId ?? Guid.CreateVersion7();
            if (id == Guid.Empty || !ids.Add(id))
            {
                throw new InvalidEventException($"Event id {id} is empty or appears twice in one append.");
            }

            prepared.Add(new PreparedEvent(id, type, json, data));
        }

        var metadataJson = JsonSerializer.Serialize(metadata, MetadataJson.Options);
        return new PreparedAppend(stream, prepared, metadataJson, ParseObject(Encoding.UTF8.GetBytes(metadataJson), "metadata"), commandKey);
    }

    private static JsonElement ParseObject(byte[] json, string what)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidEventException($"{what} must serialise to a JSON object, not {document.RootElement.ValueKind}.");
        }

        // PostgreSQL's jsonb cannot hold U+0000, and the hash must cover exactly what is stored.
        if (json.AsSpan().IndexOf("\\u0000"u8) >= 0)
        {
            throw new InvalidEventException($"{what} contains the character U+0000, which the ledger cannot store.");
        }

        try
        {
            // Refuses what RFC 8785 cannot canonicalise (non-finite numbers, lone surrogates) before anything is written.
            Integrity.Canonical.JsonCanonicalizer.Write(document.RootElement, new ArrayBufferWriter<byte>());
        }
        catch (Integrity.Canonical.CanonicalizationException e)
        {
            throw new InvalidEventException($"{what} cannot be canonicalised: {e.Message}", e);
        }

        return document.RootElement.Clone();
    }

    private async Task<AppendResult> AppendPreparedAsync(PreparedAppend append, ExpectedVersion expected, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Round trip 1: lock the stream row, and look for an earlier landing of this same append.
        await using var lookup = new NpgsqlBatch(connection, transaction);
        lookup.BatchCommands.Add(Command("SELECT now()"));
        lookup.BatchCommands.Add(Command(
            "SELECT stream_type, version, last_hash FROM ledger_streams WHERE stream_id = $1 FOR UPDATE",
            new NpgsqlParameter<Guid> { TypedValue = append.Stream.Id }));
        lookup.BatchCommands.Add(Command(
            "SELECT event_id, stream_id, version, event_type, hash FROM ledger_events WHERE event_id = ANY($1)",
            new NpgsqlParameter<Guid[]> { TypedValue = [.. append.Events.Select(e => e.EventId)] }));
        if (append.CommandKey is not null)
        {
            lookup.BatchCommands.Add(Command(
                "SELECT stream_id, first_version, last_version FROM ledger_commands WHERE command_key = $1",
                new NpgsqlParameter<string> { TypedValue = append.CommandKey }));
        }

        string? storedType = null;
        long current = 0;
        Hash? lastHash = null;
        DateTimeOffset now;
        var existing = new List<(Guid EventId, Guid StreamId, long Version, string Type, Hash Hash)>();
        (Guid StreamId, long First, long Last)? priorCommand = null;
        await using (var reader = await lookup.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            now = reader.GetFieldValue<DateTimeOffset>(0);
            await reader.NextResultAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                storedType = reader.GetString(0);
                current = reader.GetInt64(1);
                lastHash = reader.IsDBNull(2) ? null : Hash.FromBytes(reader.GetFieldValue<byte[]>(2));
            }

            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                existing.Add((reader.GetGuid(0), reader.GetGuid(1), reader.GetInt64(2), reader.GetString(3), Hash.FromBytes(reader.GetFieldValue<byte[]>(4))));
            }

            if (append.CommandKey is not null)
            {
                await reader.NextResultAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken))
                {
                    priorCommand = (reader.GetGuid(0), reader.GetInt64(1), reader.GetInt64(2));
                }
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

        if (!expected.IsSatisfiedBy(current))
        {
            throw new ConcurrencyException(append.Stream, expected, current);
        }

        // Chain each event to its predecessor; the hash covers the envelope exactly as it is stored.
        var count = append.Events.Count;
        var appended = new AppendedEvent[count];
        var versions = new long[count];
        var prevs = new byte[]?[count];
        var hashes = new byte[count][];
        var previous = lastHash;
        for (var i = 0; i < count; i++)
        {
            var e = append.Events[i];
            var version = current + i + 1;
            var hash = EnvelopeHasher.Hash(new EventEnvelope(
                Options.Origin, append.Stream.Id, append.Stream.Type, version, e.EventId, e.Type.Name, e.Type.SchemaVersion, now, e.Data, append.Metadata, previous));
            versions[i] = version;
            prevs[i] = previous?.ToArray();
            hashes[i] = hash.ToArray();
            appended[i] = new AppendedEvent(e.EventId, version, hash);
            previous = hash;
        }

        // Round trip 2: the events, the stream's new head, and the command key.
        await using var write = new NpgsqlBatch(connection, transaction);
        write.BatchCommands.Add(storedType is null
            ? Command(
                "INSERT INTO ledger_streams (stream_id, stream_type, version, last_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)",
                new NpgsqlParameter<Guid> { TypedValue = append.Stream.Id },
                new NpgsqlParameter<string> { TypedValue = append.Stream.Type },
                new NpgsqlParameter<long> { TypedValue = current + count },
                new NpgsqlParameter<byte[]> { TypedValue = hashes[^1] },
                new NpgsqlParameter<DateTimeOffset> { TypedValue = now })
            : Command(
                "UPDATE ledger_streams SET version = $2, last_hash = $3, updated_at = $4 WHERE stream_id = $1",
                new NpgsqlParameter<Guid> { TypedValue = append.Stream.Id },
                new NpgsqlParameter<long> { TypedValue = current + count },
                new NpgsqlParameter<byte[]> { TypedValue = hashes[^1] },
                new NpgsqlParameter<DateTimeOffset> { TypedValue = now }));
        write.BatchCommands.Add(Command(
            """
            INSERT INTO ledger_events (event_id, stream_id, stream_type, version, event_type, schema_version, data, metadata, recorded_at, prev_hash, hash)
            SELECT e.event_id, $1, $2, e.version, e.event_type, e.schema_version, e.data::jsonb, $3::jsonb, $4, e.prev_hash, e.hash
            FROM unnest($5::uuid[], $6::bigint[], $7::text[], $8::int[], $9::text[], $10::bytea[], $11::bytea[])
                 WITH ORDINALITY AS e(event_id, version, event_type, schema_version, data, prev_hash, hash, ord)
            ORDER BY e.ord
            """,
            new NpgsqlParameter<Guid> { TypedValue = append.Stream.Id },
            new NpgsqlParameter<string> { TypedValue = append.Stream.Type },
            new NpgsqlParameter<string> { TypedValue = append.MetadataJson },
            new NpgsqlParameter<DateTimeOffset> { TypedValue = now },
            new NpgsqlParameter<Guid[]> { TypedValue = [.. append.Events.Select(e => e.EventId)] },
            new NpgsqlParameter<long[]> { TypedValue = versions },
            new NpgsqlParameter<string[]> { TypedValue = [.. append.Events.Select(e => e.Type.Name)] },
            new NpgsqlParameter<int[]> { TypedValue = [.. append.Events.Select(e => e.Type.SchemaVersion)] },
            new NpgsqlParameter<string[]> { TypedValue = [.. append.Events.Select(e => Encoding.UTF8.GetString(e.Json))] },
            new NpgsqlParameter<byte[]?[]> { TypedValue = prevs },
            new NpgsqlParameter<byte[][]> { TypedValue = hashes }));
        if (append.CommandKey is not null)
        {
            write.BatchCommands.Add(Command(
                "INSERT INTO ledger_commands (command_key, stream_id, first_version, last_version, recorded_at) VALUES ($1, $2, $3, $4, $5)",
                new NpgsqlParameter<string> { TypedValue = append.CommandKey },
                new NpgsqlParameter<Guid> { TypedValue = append.Stream.Id },
                new NpgsqlParameter<long> { TypedValue = current + 1 },
                new NpgsqlParameter<long> { TypedValue = current + count },
                new NpgsqlParameter<DateTimeOffset> { TypedValue = now }));
        }

        try
        {
            await write.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName is "ledger_events_event_id_unique" or "ledger_commands_pkey")
        {
            // A concurrent append to another stream landed the same ids or key first.
            throw new IdempotencyConflictException($"The event ids or command key of this append to {append.Stream} were just recorded by another append. Nothing was written.");
        }

        return new AppendResult(append.Stream, current + 1, current + count, appended, AlreadyApplied: false);
    }

    private static AppendResult RepeatedEvents(PreparedAppend append, List<(Guid EventId, Guid StreamId, long Version, string Type, Hash Hash)> existing)
    {
        var byId = existing.ToDictionary(e => e.EventId);
        var result = new List<AppendedEvent>();
        for (var i = 0; i < append.Events.Count; i++)
        {
            var e = append.Events[i];
            if (!byId.TryGetValue(e.EventId, out var stored) || stored.StreamId != append.Stream.Id || stored.Type != e.Type.Name
                || (i > 0 && stored.Version != result[i - 1].Version + 1))
            {
                throw new IdempotencyConflictException(
                    $"Event id {e.EventId} is already recorded, but this append to {append.Stream} is not the one that recorded it " +
                    "(a retry must resend the same events, in the same order, to the same stream). Nothing was written.");
            }

            result.Add(new AppendedEvent(e.EventId, stored.Version, stored.Hash));
        }

        return new AppendResult(append.Stream, result[0].Version, result[^1].Version, result, AlreadyApplied: true);
    }

    private static async Task<AppendResult> RepeatedCommandAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PreparedAppend append, (Guid StreamId, long First, long Last) prior, CancellationToken cancellationToken)
    {
        if (prior.StreamId != append.Stream.Id)
        {
            throw new IdempotencyConflictException($"Command key \"{append.CommandKey}\" was already used for stream {prior.StreamId}, not {append.Stream.Id}. Nothing was written.");
        }

        await using var command = new NpgsqlCommand("SELECT event_id, version, hash FROM ledger_events WHERE stream_id = $1 AND version BETWEEN $2 AND $3 ORDER BY version", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = prior.StreamId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = prior.First });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = prior.Last });
        var events = new List<AppendedEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new AppendedEvent(reader.GetGuid(0), reader.GetInt64(1), Hash.FromBytes(reader.GetFieldValue<byte[]>(2))));
        }

        return new AppendResult(append.Stream, prior.First, prior.Last, events, AlreadyApplied: true);
    }

    internal static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }
}

/// <summary>How metadata is serialised: camelCase, nulls left out.</summary>
internal static class MetadataJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}
