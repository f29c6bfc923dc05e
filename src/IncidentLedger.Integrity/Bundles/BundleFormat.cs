using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using IncidentLedger.Integrity.Envelopes;

namespace IncidentLedger.Integrity.Bundles;

/// <summary>
/// The export bundle, JSON Lines: one header line, then one line per log entry in position order.
/// Every line is the RFC 8785 canonical form of its object; docs/verification.md specifies it member by member.
/// </summary>
public static class BundleFormat
{
    public const string Format = "incident-ledger/bundle/v1";
    public const string ProofFormat = "incident-ledger/proof/v1";

    /// <summary>The one timestamp form: UTC, exactly six fractional digits, Z.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    /// <summary>Serializer options for bundle and proof objects; header and entry lines are written canonically whatever the options.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
    };

    /// <summary>Parses the timestamp form exactly (no offsets, no other precision); throws FormatException otherwise.</summary>
    public static DateTimeOffset ParseTimestamp(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length != 27 || !DateTimeOffset.TryParseExact(text, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            || EnvelopeHasher.FormatTimestamp(value) != text)
        {
            throw new FormatException($"\"{text}\" is not a timestamp of the form 2026-11-22T09:30:00.123456Z.");
        }

        return value;
    }
}

/// <summary>The first line: which log, which keys sign it, and every checkpoint it issued (signed notes).</summary>
[JsonConverter(typeof(BundleHeaderConverter))]
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
        origin, StreamId, StreamType, Version, EventId, EventType, SchemaVersion, BundleFormat.ParseTimestamp(RecordedAt),
        Data, Metadata, Prev is null ? null : Integrity.Hash.FromHex(Prev));
}

/// <summary>One line after the header: the position, the leaf hash the log's tree stores there, and the event.</summary>
[JsonConverter(typeof(BundleEntryConverter))]
public sealed record BundleEntry(long Position, string Leaf, BundleEvent Event);

/// <summary>A self-contained proof that one event is in the log at a signed checkpoint.</summary>
public sealed record ProofDocument(string Format, string Origin, long Position, long TreeSize, IReadOnlyList<string> Path, string Checkpoint, IReadOnlyList<string> VerifierKeys, BundleEvent Event);

/// <summary>Writes a header as its canonical line and reads one strictly (<see cref="BundleReader.ReadHeader"/>).</summary>
public sealed class BundleHeaderConverter : JsonConverter<BundleHeader>
{
    public override BundleHeader Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return BundleReader.ReadHeader(Canonical.JsonCanonicalizer.Canonicalize(document.RootElement));
    }

    public override void Write(Utf8JsonWriter writer, BundleHeader value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteRawValue(BundleReader.WriteHeader(value), skipInputValidation: true);
    }
}

/// <summary>Writes an entry as its canonical line and reads one strictly (<see cref="BundleReader.ReadEntry"/>).</summary>
public sealed class BundleEntryConverter : JsonConverter<BundleEntry>
{
    public override BundleEntry Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return BundleReader.ReadEntry(Canonical.JsonCanonicalizer.Canonicalize(document.RootElement));
    }

    public override void Write(Utf8JsonWriter writer, BundleEntry value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteRawValue(BundleReader.WriteEntry(value), skipInputValidation: true);
    }
}
