using System.Text.Json;
using IncidentLedger.EventStore.Streams;
using IncidentLedger.Integrity;

namespace IncidentLedger.EventStore.Events;

/// <summary>An event as stored: its place in its stream, its raw data and metadata, and its hash chain link.</summary>
public sealed record RecordedEvent(
    Guid EventId,
    StreamKey Stream,
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
}

/// <summary>The result of an append: the versions and hashes the events received (or had, for a repeated append).</summary>
public sealed record AppendResult(StreamKey Stream, long FirstVersion, long LastVersion, IReadOnlyList<AppendedEvent> Events, bool AlreadyApplied)
{
    /// <summary>The version to expect for the next append to this stream.</summary>
    public long NextExpectedVersion => LastVersion;
}

public sealed record AppendedEvent(Guid EventId, long Version, Hash Hash);

/// <summary>A stream's head: type, version and the hash of its last event.</summary>
public sealed record StreamInfo(StreamKey Stream, long Version, Hash? LastHash, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
