using System.Text.Json;
using IncidentLedger.Integrity;
using IncidentLedger.Integrity.Envelopes;
using Npgsql;

namespace IncidentLedger.EventStore.Sealing;

/// <summary>An event as stored: its place in its stream, its raw data and metadata, and its hash chain link.</summary>
public sealed record StoredEvent(
    Guid EventId,
    Guid StreamId,
    string StreamType,
    long Version,
    string EventType,
    int SchemaVersion,
    JsonElement Data,
    JsonElement Metadata,
    DateTimeOffset RecordedAt,
    Hash? Prev,
    Hash Hash)
{
    public string Actor => Metadata.TryGetProperty("actor", out var actor) ? actor.GetString() ?? "" : "";

    /// <summary>The envelope the event's hash covers, in the ledger of <paramref name="origin"/>.</summary>
    public EventEnvelope EnvelopeIn(string origin) =>
        new(origin, StreamId, StreamType, Version, EventId, EventType, SchemaVersion, RecordedAt, Data, Metadata, Prev);
}

/// <summary>A stored event with its position in the sealed log.</summary>
public sealed record SealedEvent(long Position, StoredEvent Event);

/// <summary>Reads events through the ledger_event_envelopes view (schema/postgres/0002), the one place that maps Marten's columns and headers to envelopes.</summary>
public static class StoredEvents
{
    /// <summary>The view's columns, in the order <see cref="Read"/> expects, qualified by <paramref name="alias"/>.</summary>
    public static string Columns(string alias) => string.Join(", ", ColumnNames.Select(c => $"{alias}.{c}"));

    private static readonly string[] ColumnNames = ["event_id", "stream_id", "stream_type", "version", "event_type", "schema_version", "data::text", "metadata::text", "recorded_at", "prev", "hash"];

    public static StoredEvent Read(NpgsqlDataReader reader, int offset)
    {
        ArgumentNullException.ThrowIfNull(reader);
        using var data = JsonDocument.Parse(reader.GetString(offset + 6));
        using var metadata = JsonDocument.Parse(reader.GetString(offset + 7));
        return new StoredEvent(
            reader.GetGuid(offset),
            Guid.Parse(reader.GetString(offset + 1)),
            reader.IsDBNull(offset + 2) ? "" : reader.GetString(offset + 2),
            reader.GetInt64(offset + 3),
            reader.GetString(offset + 4),
            reader.IsDBNull(offset + 5) ? 0 : reader.GetInt32(offset + 5),
            data.RootElement.Clone(),
            metadata.RootElement.Clone(),
            reader.GetFieldValue<DateTimeOffset>(offset + 8),
            reader.IsDBNull(offset + 9) ? null : Hash.FromHex(reader.GetString(offset + 9)),
            Hash.FromHex(reader.GetString(offset + 10)));
    }
}
