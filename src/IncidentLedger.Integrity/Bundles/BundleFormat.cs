using System.Text.Json;
using System.Text.Json.Serialization;
using IncidentLedger.Integrity.Envelopes;

namespace IncidentLedger.Integrity.Bundles;

/// <summary>
/// The export bundle, JSON Lines: one header line, then one line per log entry in position order.
/// docs/verification.md specifies it field by field.
/// </summary>
public static class BundleFormat
{
    public const string Format = "incident-ledger/bundle/v1";
    public const string ProofFormat = "incident-ledger/proof/v1";

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
    };
}

/// <summary>The first line: which log, which keys sign it, and every checkpoint it issued (signed notes).</summary>
public sealed record BundleHeader(string Format, string Origin, long Size, IReadOnlyList<string> VerifierKeys, IReadOnlyList<string> Checkpoints);

/// <summary>One event as the log holds it: its envelope fields and the hash stored for it.</summary>
public sealed record BundleEvent(
    Guid EventId,
    Guid StreamId,
    string StreamType,
    long Version,
    string EventType,
    int SchemaVersion,
    string RecordedAt,
    JsonElement Data,
    JsonElement Metadata,
    string? Prev,
    string Hash)
{
    public static BundleEvent From(EventEnvelope envelope, Hash hash)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return new(envelope.EventId, envelope.StreamId, envelope.StreamType, envelope.Version, envelope.EventType, envelope.SchemaVersion,
            EnvelopeHasher.FormatTimestamp(envelope.RecordedAt), envelope.Data, envelope.Metadata, envelope.Prev?.ToString(), hash.ToString());
    }

    public EventEnvelope ToEnvelope(string origin) => new(
        origin, StreamId, StreamType, Version, EventId, EventType, SchemaVersion,
        DateTimeOffset.Parse(RecordedAt, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal),
        Data, Metadata, Prev is null ? null : Integrity.Hash.FromHex(Prev));
}

/// <summary>One line after the header: the position, the leaf hash the log's tree stores there, and the event.</summary>
public sealed record BundleEntry(long Position, string Leaf, BundleEvent Event);

/// <summary>A self-contained proof that one event is in the log at a signed checkpoint.</summary>
public sealed record ProofDocument(string Format, string Origin, long Position, long TreeSize, IReadOnlyList<string> Path, string Checkpoint, IReadOnlyList<string> VerifierKeys, BundleEvent Event);
