using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using IncidentLedger.Integrity.Canonical;

namespace IncidentLedger.Integrity.Envelopes;

/// <summary>
/// The event hash: SHA-256 over the RFC 8785 canonical JSON of the envelope
/// (docs/verification.md, "Event hash", gives the exact object).
/// </summary>
public static class EnvelopeHasher
{
    /// <summary>Names the envelope layout, so a future layout can never collide with this one.</summary>
    public const string Format = "incident-ledger/event/v1";

    public static Hash Hash(EventEnvelope envelope) => HashOf(envelope, partsAreCanonical: false);

    /// <summary>
    /// The hash of an envelope whose data and metadata elements come from text already in RFC 8785 form
    /// (a strictly read bundle line): their raw bytes are their canonical form, so they are not canonicalised again.
    /// </summary>
    internal static Hash HashOfCanonicalParts(EventEnvelope envelope) => HashOf(envelope, partsAreCanonical: true);

    /// <summary>
    /// Each thread's buffer for the canonical bytes, kept from one event to the next: hashing never awaits and the
    /// bytes never leave it. One grown past <see cref="KeptBufferBytes"/> by a large event is let go.
    /// </summary>
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? scratch;

    private const int KeptBufferBytes = 64 * 1024;

    private static Hash HashOf(EventEnvelope envelope, bool partsAreCanonical)
    {
        var buffer = scratch ?? new ArrayBufferWriter<byte>(4096);
        scratch = null;
        buffer.ResetWrittenCount();
        WriteCanonical(envelope, buffer, partsAreCanonical);
        var hash = Integrity.Hash.Sha256(buffer.WrittenSpan);
        scratch = buffer.Capacity <= KeptBufferBytes ? buffer : null;
        return hash;
    }

    /// <summary>Writes the canonical envelope object; members are emitted in RFC 8785 order (UTF-16 code units).</summary>
    public static void WriteCanonical(EventEnvelope envelope, IBufferWriter<byte> output) => WriteCanonical(envelope, output, partsAreCanonical: false);

    private static void WriteValue(JsonElement value, CanonicalJsonWriter w, bool canonical)
    {
        if (canonical)
        {
            w.WriteRaw(JsonMarshal.GetRawUtf8Value(value));
        }
        else
        {
            JsonCanonicalizer.WriteValue(value, w, depth: 1);
        }
    }

    private static void WriteCanonical(EventEnvelope envelope, IBufferWriter<byte> output, bool partsAreCanonical)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var w = new CanonicalJsonWriter(output);
        w.WriteRaw("{\"data\":"u8);
        WriteValue(envelope.Data, w, partsAreCanonical);
        w.WriteRaw(",\"eventId\":"u8);
        w.WriteString(envelope.EventId.ToString("D"));
        w.WriteRaw(",\"eventType\":"u8);
        w.WriteString(envelope.EventType);
        w.WriteRaw(",\"format\":"u8);
        w.WriteString(Format);
        w.WriteRaw(",\"metadata\":"u8);
        WriteValue(envelope.Metadata, w, partsAreCanonical);
        w.WriteRaw(",\"origin\":"u8);
        w.WriteString(envelope.Origin);
        w.WriteRaw(",\"prev\":"u8);
        if (envelope.Prev is { } prev)
        {
            w.WriteString(prev.ToString());
        }
        else
        {
            w.WriteRaw("null"u8);
        }

        w.WriteRaw(",\"recordedAt\":"u8);
        w.WriteString(FormatTimestamp(envelope.RecordedAt));
        w.WriteRaw(",\"schemaVersion\":"u8);
        w.WriteNumber(envelope.SchemaVersion);
        w.WriteRaw(",\"streamId\":"u8);
        w.WriteString(envelope.StreamId.ToString("D"));
        w.WriteRaw(",\"streamType\":"u8);
        w.WriteString(envelope.StreamType);
        w.WriteRaw(",\"version\":"u8);
        w.WriteNumber(envelope.Version);
        w.WriteRaw("}"u8);
    }

    /// <summary>UTC, microsecond precision (PostgreSQL's), always six fractional digits: 2026-11-22T17:57:46.123456Z.</summary>
    public static string FormatTimestamp(DateTimeOffset instant) =>
        TruncateToMicroseconds(instant).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset TruncateToMicroseconds(DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % 10), TimeSpan.Zero);
    }

}
