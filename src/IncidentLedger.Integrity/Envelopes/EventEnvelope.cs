using System.Text.Json;

namespace IncidentLedger.Integrity.Envelopes;

/// <summary>Everything an event's hash covers: where it lives, what it says, who caused it, and the link to its predecessor.</summary>
/// <param name="Origin">The ledger's origin line (the same string its checkpoints carry), so an event cannot be replayed into another ledger.</param>
/// <param name="Prev">The hash of the previous event of the same stream; null for a stream's first event.</param>
public sealed record EventEnvelope(
    string Origin,
    Guid StreamId,
    string StreamType,
    long Version,
    Guid EventId,
    string EventType,
    int SchemaVersion,
    DateTimeOffset RecordedAt,
    JsonElement Data,
    JsonElement Metadata,
    Hash? Prev);

/// <summary>An envelope together with the hash that was stored for it.</summary>
public sealed record SealedEnvelope(EventEnvelope Envelope, Hash StoredHash);
