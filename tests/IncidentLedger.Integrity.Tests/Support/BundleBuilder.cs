using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentLedger.Integrity.Canonical;
using IncidentLedger.Integrity.Checkpoints;
using IncidentLedger.Integrity.Envelopes;
using IncidentLedger.Integrity.Merkle;
using IncidentLedger.Integrity.Receipts;

namespace IncidentLedger.Integrity.Tests.Support;

/// <summary>
/// Builds genuine bundles in memory, written from docs/verification.md with JSON nodes and RFC 8785
/// (not with the library's own bundle writer), with real hashes, a real Merkle tree and Ed25519 signatures.
/// </summary>
public sealed class BundleBuilder
{
    public const string Origin = "ledger.example.org/incidents";
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 9, 30, 0, TimeSpan.Zero);

    public BundleBuilder(INoteSigner? logKey = null) => LogKey = logKey ?? TestEd25519.LogKey(Origin, "test log key");

    public INoteSigner LogKey { get; }

    public List<(EventEnvelope Envelope, Hash Hash)> Events { get; } = [];

    /// <summary>Signed checkpoint notes, smallest first (cosignatures may be added to them).</summary>
    public List<SignedNote> Checkpoints { get; } = [];

    private readonly Dictionary<Guid, (long Version, Hash Hash, string Type)> heads = [];

    /// <summary>A log of <paramref name="events"/> events spread round-robin over <paramref name="streams"/> streams, with a checkpoint every <paramref name="checkpointEvery"/>.</summary>
    /// <param name="rewriteFrom">Events from this index on get other content (what an operator rewriting the tail would produce).</param>
    /// <param name="signUpTo">No checkpoint is signed above this size (what deleting the recent checkpoints leaves).</param>
    public static BundleBuilder Genuine(int streams = 3, int events = 24, int checkpointEvery = 8, INoteSigner? logKey = null, int rewriteFrom = int.MaxValue, int signUpTo = int.MaxValue)
    {
        var builder = new BundleBuilder(logKey);
        var ids = Enumerable.Range(0, streams).Select(s => Guid.Parse($"0f8e6a52-9a3c-4b1e-8d2f-{s:x12}")).ToArray();
        for (var i = 0; i < events; i++)
        {
            builder.Append(ids[i % streams], i % 2 == 0 ? "incident" : "ai-system", $$$"""{"title":"{{{(i >= rewriteFrom ? "rewritten" : "report")}}} {{{i}}}","severity":{{{i % 4}}},"ratio":1.5,"note":"Ärztin 🤖 \u2028 \"quoted\" \\ / <&>","tags":["a","b"],"nested":{"z":null,"a":true}}""");
            if (checkpointEvery > 0 && builder.Events.Count % checkpointEvery == 0 && builder.Events.Count <= signUpTo)
            {
                builder.Sign();
            }
        }

        return builder;
    }

    /// <summary>Appends an event to a stream (its type fixed by its first event), chained to the stream's head.</summary>
    public (EventEnvelope Envelope, Hash Hash) Append(Guid streamId, string streamType, string data, DateTimeOffset? recordedAt = null, Guid? eventId = null, bool changeType = false)
    {
        var head = heads.TryGetValue(streamId, out var h) ? h : (0, default(Hash), streamType);
        if (changeType)
        {
            head.Type = streamType;
        }

        var envelope = new EventEnvelope(Origin, streamId, head.Type, head.Version + 1, eventId ?? Guid.Parse($"01935f2a-7c00-7000-8000-{Events.Count:x12}"), "IncidentNoted", 1,
            EnvelopeHasher.TruncateToMicroseconds(recordedAt ?? Start.AddMilliseconds(Events.Count * 1001.001)), JsonDocument.Parse(data).RootElement.Clone(),
            JsonDocument.Parse("""{"actor":"alice@hospital.example","role":"operator"}""").RootElement.Clone(), head.Version == 0 ? null : head.Hash);
        var hash = EnvelopeHasher.Hash(envelope);
        heads[streamId] = (envelope.Version, hash, head.Type);
        Events.Add((envelope, hash));
        return (envelope, hash);
    }

    /// <summary>Signs a checkpoint at the current size.</summary>
    public SignedNote Sign()
    {
        var note = SignedNote.Sign(new Checkpoint(Origin, Events.Count, Root(Events.Count)).ToNoteText(), LogKey);
        Checkpoints.Add(note);
        return note;
    }

    public Hash Root(long size) => MerkleProofs.Root(Events.Take((int)size).Select(e => MerkleHasher.Leaf(e.Hash.Bytes)));

    public string Receipt(int position, TimeSpan within) =>
        FilingReceipts.Issue(Origin, Events[position].Envelope, Events[position].Hash, within, LogKey);

    public JsonObject HeaderNode(IEnumerable<string>? verifierKeys = null) => new()
    {
        ["format"] = "incident-ledger/bundle/v1",
        ["origin"] = Origin,
        ["size"] = Events.Count,
        ["verifierKeys"] = new JsonArray([.. (verifierKeys ?? [LogKey.VerifierKey]).Select(k => (JsonNode)k!)]),
        ["checkpoints"] = new JsonArray([.. Checkpoints.Select(c => (JsonNode)c.ToString()!)]),
    };

    public JsonObject EntryNode(int position)
    {
        var (e, hash) = Events[position];
        var ev = new JsonObject
        {
            ["eventId"] = e.EventId.ToString("D"),
            ["streamId"] = e.StreamId.ToString("D"),
            ["streamType"] = e.StreamType,
            ["version"] = e.Version,
            ["eventType"] = e.EventType,
            ["schemaVersion"] = e.SchemaVersion,
            ["recordedAt"] = e.RecordedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            ["data"] = JsonNode.Parse(e.Data.GetRawText()),
            ["metadata"] = JsonNode.Parse(e.Metadata.GetRawText()),
            ["hash"] = hash.ToString(),
        };
        if (e.Prev is { } prev)
        {
            ev["prev"] = prev.ToString();
        }

        return new JsonObject { ["position"] = position, ["leaf"] = MerkleHasher.Leaf(hash.Bytes).ToString(), ["event"] = ev };
    }

    /// <summary>The canonical line of a node: RFC 8785, which is what the format requires of every line.</summary>
    public static string Line(JsonNode node) => Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(node.ToJsonString()));

    public List<string> Lines() => [Line(HeaderNode()), .. Enumerable.Range(0, Events.Count).Select(i => Line(EntryNode(i)))];

    public string Text() => Join(Lines());

    public static string Join(IEnumerable<string> lines) => string.Concat(lines.Select(l => l + "\n"));
}
