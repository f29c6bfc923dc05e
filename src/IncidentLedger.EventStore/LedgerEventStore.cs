using System.Buffers;
using System.Text;
using System.Text.Json;
using IncidentLedger.EventStore.Events;
using IncidentLedger.EventStore.Migrations;
using IncidentLedger.EventStore.Outbox;
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
    private readonly StreamHeadCache heads = new();

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

    /// <summary>Creates the tables of the inline projections (once, at start-up).</summary>
    public async Task CreateInlineProjectionsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        foreach (var projection in Options.InlineProjections)
        {
            await projection.CreateAsync(connection, cancellationToken);
        }
    }

    /// <summary>
    /// Appends <paramref name="events"/> to <paramref name="stream"/> if it is at <paramref name="expected"/>.
    /// Resending the same event ids, or the same <paramref name="commandKey"/>, returns the original result and writes nothing.
    /// </summary>
    /// <remarks>
    /// When this node knows the stream's head (from its last append or read), the append is one
    /// statement in one round trip that applies only if the head is unchanged. Otherwise, or when
    /// that finds the head moved, it locks the stream row, re-reads the head and decides exactly.
    /// </remarks>
    /// <exception cref="ConcurrencyException">The stream is not where the writer expected; nothing was written.</exception>
    public async Task<AppendResult> AppendAsync(
        StreamKey stream,
        ExpectedVersion expected,
        IReadOnlyList<NewEvent> events,
        EventMetadata metadata,
        string? commandKey = null,
        IReadOnlyList<OutboxMessage>? outbox = null,
        CancellationToken cancellationToken = default)
    {
        var append = Prepare(stream, events, metadata, commandKey, outbox ?? []);
        var head = expected == ExpectedVersion.NoStream ? new StreamHead(0, null) : heads.Find(stream.Id);
        if (head is not null && expected.IsSatisfiedBy(head.Version))
        {
            var optimistic = await TryAppendAtHeadAsync(append, head, cancellationToken);
            if (optimistic is not null)
            {
                return optimistic;
            }
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await AppendLockedAsync(append, expected, cancellationToken);
            }
            catch (StreamCreatedConcurrentlyException) when (attempt < 3)
            {
                // Two writers created the same stream at once; the loser re-reads it, now locked and existing.
            }
        }
    }

    private sealed record PreparedEvent(Guid EventId, EventType Type, byte[] Json, JsonElement Data);

    private sealed record PreparedAppend(StreamKey Stream, IReadOnlyList<PreparedEvent> Events, string MetadataJson, JsonElement Metadata, string? CommandKey, IReadOnlyList<OutboxMessage> Outbox);

    private PreparedAppend Prepare(StreamKey stream, IReadOnlyList<NewEvent> events, EventMetadata metadata, string? commandKey, IReadOnlyList<OutboxMessage> outbox)
    {
        if (outbox.Any(m => m is null || m.Id == Guid.Empty || string.IsNullOrWhiteSpace(m.Topic) || string.IsNullOrWhiteSpace(m.Destination) || m.Payload.ValueKind != JsonValueKind.Object))
        {
            throw new InvalidEventException("Every outbox message needs an id, a topic, a destination and a JSON object payload.");
        }

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
        return new PreparedAppend(stream, prepared, metadataJson, ParseObject(Encoding.UTF8.GetBytes(metadataJson), "metadata"), commandKey, outbox);
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
