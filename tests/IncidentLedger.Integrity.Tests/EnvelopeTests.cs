using System.Text;
using System.Text.Json;
using IncidentLedger.Integrity.Envelopes;

namespace IncidentLedger.Integrity.Tests;

public sealed class EnvelopeTests
{
    private static readonly Guid Stream = Guid.Parse("7d1f0b6e-4d1c-4b8a-9a57-0f6c3a1e2b90");

    internal static EventEnvelope Envelope(long version, Hash? prev, string data = """{"title":"Robot-assisted surgery death"}""") => new(
        "incidentledger.test/log",
        Stream,
        "incident",
        version,
        new Guid($"00000000-0000-0000-0000-{version:D12}"),
        "IncidentReported",
        1,
        new DateTimeOffset(2026, 11, 22, 17, 57, 46, TimeSpan.Zero).AddTicks(1_234_560 + version),
        JsonDocument.Parse(data).RootElement,
        JsonDocument.Parse("""{"actor":"op-1","role":"operator"}""").RootElement,
        prev);

    internal static List<SealedEnvelope> Chain(int count)
    {
        var chain = new List<SealedEnvelope>();
        Hash? prev = null;
        for (var v = 1; v <= count; v++)
        {
            var envelope = Envelope(v, prev, $$"""{"n":{{v}}}""");
            var hash = EnvelopeHasher.Hash(envelope);
            chain.Add(new SealedEnvelope(envelope, hash));
            prev = hash;
        }

        return chain;
    }

    [Fact]
    public void Canonical_envelope_is_the_documented_object()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        EnvelopeHasher.WriteCanonical(Envelope(1, null), buffer);
        Assert.Equal(
            """{"data":{"title":"Robot-assisted surgery death"},"eventId":"00000000-0000-0000-0000-000000000001","eventType":"IncidentReported","format":"incident-ledger/event/v1","metadata":{"actor":"op-1","role":"operator"},"origin":"incidentledger.test/log","prev":null,"recordedAt":"2026-11-22T17:57:46.123456Z","schemaVersion":1,"streamId":"7d1f0b6e-4d1c-4b8a-9a57-0f6c3a1e2b90","streamType":"incident","version":1}""",
            Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Hash_is_sha256_of_the_canonical_envelope()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var envelope = Envelope(1, null);
        EnvelopeHasher.WriteCanonical(envelope, buffer);
        Assert.Equal(Hash.Sha256(buffer.WrittenSpan), EnvelopeHasher.Hash(envelope));
    }

    [Fact]
    public void Hash_ignores_sub_microsecond_time_and_json_layout()
    {
        var a = Envelope(1, null) with { Data = JsonDocument.Parse("""{ "b": 1.0, "a": [2] }""").RootElement };
        var b = a with { Data = JsonDocument.Parse("""{"a":[2],"b":1}""").RootElement, RecordedAt = a.RecordedAt.AddTicks(3) };
        Assert.Equal(EnvelopeHasher.Hash(a), EnvelopeHasher.Hash(b));
    }

    [Fact]
    public void Every_covered_field_changes_the_hash()
    {
        var original = Envelope(2, Hash.Sha256("x"u8));
        var variants = new[]
        {
            original with { Origin = "other.example/log" },
            original with { StreamId = Guid.NewGuid() },
            original with { StreamType = "policy" },
            original with { Version = 3 },
            original with { EventId = Guid.NewGuid() },
            original with { EventType = "IncidentClosed" },
            original with { SchemaVersion = 2 },
            original with { RecordedAt = original.RecordedAt.AddMilliseconds(1) },
            original with { Data = JsonDocument.Parse("""{"title":"Robot-assisted surgery death."}""").RootElement },
            original with { Metadata = JsonDocument.Parse("""{"actor":"op-2","role":"operator"}""").RootElement },
            original with { Prev = Hash.Sha256("y"u8) },
            original with { Prev = null },
        };
        var hashes = variants.Select(EnvelopeHasher.Hash).Append(EnvelopeHasher.Hash(original)).ToHashSet();
        Assert.Equal(variants.Length + 1, hashes.Count);
    }
}
