using System.Text.Json;
using IncidentLedger.EventStore.Streams;
using IncidentLedger.Integrity;
using Npgsql;

namespace IncidentLedger.EventStore.Events;

/// <summary>Reads ledger_events rows into <see cref="RecordedEvent"/>s; every reader selects <see cref="Columns"/> in this order.</summary>
internal static class EventRows
{
    public const string Columns = "event_id, stream_type, stream_id, version, event_type, schema_version, data::text, metadata::text, recorded_at, prev_hash, hash";

    /// <summary><see cref="Columns"/> qualified by a table alias.</summary>
    public static string ColumnsOf(string alias) => string.Join(", ", Columns.Split(", ").Select(c => $"{alias}.{c}"));

    public static RecordedEvent Read(NpgsqlDataReader reader, int first) => new(
        reader.GetGuid(first),
        new StreamKey(reader.GetString(first + 1), reader.GetGuid(first + 2)),
        reader.GetInt64(first + 3),
        reader.GetString(first + 4),
        reader.GetInt32(first + 5),
        ParseJson(reader.GetString(first + 6)),
        ParseJson(reader.GetString(first + 7)),
        reader.GetFieldValue<DateTimeOffset>(first + 8),
        reader.IsDBNull(first + 9) ? null : Hash.FromBytes(reader.GetFieldValue<byte[]>(first + 9)),
        Hash.FromBytes(reader.GetFieldValue<byte[]>(first + 10)));

    private static JsonElement ParseJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
