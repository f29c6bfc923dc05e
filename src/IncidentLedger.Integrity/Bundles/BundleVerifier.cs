using System.Text.Json;
using IncidentLedger.Integrity.Checkpoints;
using IncidentLedger.Integrity.Envelopes;
using IncidentLedger.Integrity.Merkle;

namespace IncidentLedger.Integrity.Bundles;

/// <summary>What broke, in the order a verifier checks.</summary>
public enum TamperKind
{
    Malformed,
    PositionOutOfOrder,
    HashMismatch,
    LeafMismatch,
    BrokenChain,
    CheckpointMismatch,
    BadSignature,
    Fork,
    RolledBack,
    UntrustedKey,
}

/// <summary>The first problem found, located as precisely as the evidence allows.</summary>
public sealed record TamperFinding(TamperKind Kind, long? Position, string Message)
{
    public override string ToString() => Position is { } p ? $"position {p}: {Kind}: {Message}" : $"{Kind}: {Message}";
}

/// <summary>The outcome of verifying a bundle.</summary>
public sealed record BundleReport(long EventsChecked, int CheckpointsChecked, long SignedSize, Hash? Root, TamperFinding? Finding, IReadOnlyList<string> Notes)
{
    public bool IsIntact => Finding is null;
}

/// <summary>
/// Verifies an exported log offline, streaming: every envelope hash, every stream's chain, the
/// leaf the log stored at each position, every checkpoint's signature and root, and (optionally)
/// that the log neither rolled back nor forked from a checkpoint the verifier already trusted.
/// </summary>
public static class BundleVerifier
{
    private const int ChunkSize = 4096;

    /// <summary>One entry line, parsed and rehashed; Error is set when the line cannot be read.</summary>
    private readonly record struct ParsedEntry(long Position, Guid EventId, Guid StreamId, long Version, Hash? Prev, Hash Stored, Hash Recomputed, Hash? Leaf, string? Error)
    {
        public static ParsedEntry Parse(string line, string origin)
        {
            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                var e = root.GetProperty("event");
                var eventId = e.GetProperty("eventId").GetGuid();
                var streamId = e.GetProperty("streamId").GetGuid();
                var version = e.GetProperty("version").GetInt64();
                var prev = e.TryGetProperty("prev", out var p) && p.ValueKind == JsonValueKind.String ? Hash.FromHex(p.GetString()!) : (Hash?)null;
                var envelope = new EventEnvelope(
                    origin, streamId, e.GetProperty("streamType").GetString()!, version, eventId, e.GetProperty("eventType").GetString()!,
                    e.GetProperty("schemaVersion").GetInt32(),
                    DateTimeOffset.ParseExact(e.GetProperty("recordedAt").GetString()!, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal),
                    e.GetProperty("data"), e.GetProperty("metadata"), prev);
                var leafText = root.TryGetProperty("leaf", out var l) ? l.GetString() : null;
                return new ParsedEntry(
                    root.GetProperty("position").GetInt64(), eventId, streamId, version, prev,
                    Hash.FromHex(e.GetProperty("hash").GetString()!), EnvelopeHasher.Hash(envelope),
                    string.IsNullOrEmpty(leafText) ? null : Hash.FromHex(leafText), null);
            }
            catch (Exception ex) when (ex is JsonException or FormatException or KeyNotFoundException or InvalidOperationException or ArgumentException or Canonical.CanonicalizationException)
            {
                return new ParsedEntry(-1, Guid.Empty, Guid.Empty, 0, null, default, default, null, ex.Message);
            }
        }
    }

    public static BundleReport Verify(TextReader bundle, IReadOnlyList<INoteVerifier>? trustedKeys = null, string? trustedCheckpoint = null, Action<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var notes = new List<string>();
        BundleReport Fail(TamperKind kind, long? position, string message, long checkedCount = 0, int checkpoints = 0) =>
            new(checkedCount, checkpoints, 0, null, new TamperFinding(kind, position, message), notes);

        BundleHeader header;
        try
        {
            header = JsonSerializer.Deserialize<BundleHeader>(bundle.ReadLine() ?? "", BundleFormat.Json)
                ?? throw new JsonException("empty header");
        }
        catch (JsonException e)
        {
            return Fail(TamperKind.Malformed, null, $"the first line is not a bundle header: {e.Message}");
        }

        if (header.Format != BundleFormat.Format)
        {
            return Fail(TamperKind.Malformed, null, $"format \"{header.Format}\" is not {BundleFormat.Format}");
        }

        // Keys: those the caller trusts, or (said plainly in the report) those the bundle names.
        var keys = trustedKeys;
        if (keys is null || keys.Count == 0)
        {
            keys = [.. header.VerifierKeys.Select(EcdsaNoteKey.FromVerifierKey)];
            notes.Add("checkpoint signatures were checked against the keys the bundle names; pass a key you trust to check them against it");
        }

        // Every checkpoint must be signed by a trusted key; two different roots for one size are a fork.
        var checkpointsBySize = new SortedDictionary<long, Checkpoint>();
        foreach (var text in header.Checkpoints)
        {
            SignedNote note;
            Checkpoint checkpoint;
            try
            {
                note = SignedNote.Parse(text);
                checkpoint = Checkpoint.Parse(note.Text);
            }
            catch (FormatException e)
            {
                return Fail(TamperKind.Malformed, null, $"a checkpoint is malformed: {e.Message}");
            }

            if (!note.IsVerifiedBy([.. keys]))
            {
                return Fail(TamperKind.BadSignature, null, $"the checkpoint at size {checkpoint.Size} is not signed by a trusted key");
            }

            if (checkpoint.Origin != header.Origin)
            {
                return Fail(TamperKind.Malformed, null, $"the checkpoint at size {checkpoint.Size} is for origin {checkpoint.Origin}, not {header.Origin}");
            }

            if (checkpointsBySize.TryGetValue(checkpoint.Size, out var other) && other.Root != checkpoint.Root)
            {
                return Fail(TamperKind.Fork, null, $"two signed checkpoints of size {checkpoint.Size} have different roots ({other.Root} and {checkpoint.Root}): the log forked");
            }

            checkpointsBySize[checkpoint.Size] = checkpoint;
        }

        Checkpoint? trusted = null;
        if (trustedCheckpoint is not null)
        {
            var note = SignedNote.Parse(trustedCheckpoint);
            trusted = Checkpoint.Parse(note.Text);
            if (!note.IsVerifiedBy([.. keys]))
            {
                return Fail(TamperKind.UntrustedKey, null, "the trusted checkpoint is not signed by the trusted key");
            }

            var latest = checkpointsBySize.Count == 0 ? 0 : checkpointsBySize.Keys.Max();
            if (trusted.Size > latest)
            {
                return Fail(TamperKind.RolledBack, trusted.Size, $"the log's latest checkpoint has size {latest}, but a checkpoint of size {trusted.Size} was seen before: the log was rolled back");
            }

            if (checkpointsBySize.TryGetValue(trusted.Size, out var same) && same.Root != trusted.Root)
            {
                return Fail(TamperKind.Fork, trusted.Size, $"the trusted checkpoint at size {trusted.Size} has root {trusted.Root}, the log's has {same.Root}: the log forked");
            }
        }

        var tree = new MerkleAccumulator();
        var streams = new Dictionary<Guid, (long Version, Hash Hash)>();
        long lastGoodCheckpoint = 0;
        var checkpointsChecked = 0;
        var chunk = new List<string>(ChunkSize);
        var parsed = new ParsedEntry[ChunkSize];
        while (true)
        {
            chunk.Clear();
            string? line;
            while (chunk.Count < ChunkSize && (line = bundle.ReadLine()) is not null)
            {
                chunk.Add(line);
            }

            if (chunk.Count == 0)
            {
                break;
            }

            // Parsing and hashing are independent per line: spread them over the cores, then check in order.
            var origin = header.Origin;
            Parallel.For(0, chunk.Count, i => parsed[i] = ParsedEntry.Parse(chunk[i], origin));
            for (var i = 0; i < chunk.Count; i++)
            {
                var position = tree.Size;
                var entry = parsed[i];
                if (entry.Error is { } error)
                {
                    return Fail(TamperKind.Malformed, position, $"the entry is unreadable: {error}", position, checkpointsChecked);
                }

                if (entry.Position != position)
                {
                    return Fail(TamperKind.PositionOutOfOrder, position, $"expected the entry at position {position}, found position {entry.Position}: an entry was removed, inserted or moved", position, checkpointsChecked);
                }

                if (entry.Recomputed != entry.Stored)
                {
                    return Fail(TamperKind.HashMismatch, position, $"event {entry.EventId} hashes to {entry.Recomputed}, not the stored {entry.Stored}: its content was changed", position, checkpointsChecked);
                }

                var leaf = MerkleHasher.Leaf(entry.Stored.Bytes);
                if (entry.Leaf != leaf)
                {
                    return Fail(TamperKind.LeafMismatch, position, $"the log's tree holds leaf {entry.Leaf?.ToString() ?? "(none)"} here, but event {entry.EventId} is leaf {leaf}: a different event was sealed at this position", position, checkpointsChecked);
                }

                var expected = streams.TryGetValue(entry.StreamId, out var head) ? head : (0, default(Hash));
                if (entry.Version != expected.Version + 1 || entry.Prev != (expected.Version == 0 ? null : expected.Hash))
                {
                    return Fail(TamperKind.BrokenChain, position,
                        $"event {entry.EventId} is version {entry.Version} of stream {entry.StreamId} linking to {entry.Prev?.ToString() ?? "nothing"}, but the stream's previous event is version {expected.Version}{(expected.Version == 0 ? "" : $" with hash {expected.Hash}")}",
                        position, checkpointsChecked);
                }

                streams[entry.StreamId] = (entry.Version, entry.Stored);
                tree.Append(leaf);

                if (checkpointsBySize.TryGetValue(tree.Size, out var checkpoint))
                {
                    var root = tree.Root();
                    if (root != checkpoint.Root)
                    {
                        return Fail(TamperKind.CheckpointMismatch, lastGoodCheckpoint,
                            $"the signed checkpoint at size {checkpoint.Size} has root {checkpoint.Root}, the events give {root}: something between positions {lastGoodCheckpoint} and {checkpoint.Size - 1} was changed, removed, inserted or reordered",
                            tree.Size, checkpointsChecked);
                    }

                    lastGoodCheckpoint = tree.Size;
                    checkpointsChecked++;
                }

                if (trusted is not null && tree.Size == trusted.Size && tree.Root() != trusted.Root)
                {
                    return Fail(TamperKind.Fork, trusted.Size, $"the events give root {tree.Root()} at size {trusted.Size}, the trusted checkpoint says {trusted.Root}", tree.Size, checkpointsChecked);
                }
            }

            progress?.Invoke(tree.Size);
        }

        var signedSize = checkpointsBySize.Count == 0 ? 0 : checkpointsBySize.Keys.Max();
        if (signedSize > tree.Size)
        {
            return Fail(TamperKind.PositionOutOfOrder, tree.Size, $"a checkpoint covers {signedSize} entries but the bundle holds {tree.Size}: entries were removed", tree.Size, checkpointsChecked);
        }

        if (tree.Size != header.Size)
        {
            return Fail(TamperKind.Malformed, tree.Size, $"the header announces {header.Size} entries but the bundle holds {tree.Size}", tree.Size, checkpointsChecked);
        }

        if (tree.Size > signedSize)
        {
            notes.Add($"entries {signedSize}…{tree.Size - 1} are not yet covered by a signed checkpoint: their hashes and chains verify, but no signature vouches for their place");
        }

        return new BundleReport(tree.Size, checkpointsChecked, signedSize, checkpointsBySize.Count == 0 ? null : checkpointsBySize[signedSize].Root, null, notes);
    }

    /// <summary>Verifies a proof document: the event's hash, its inclusion in the checkpoint's tree, and the checkpoint's signature.</summary>
    public static TamperFinding? VerifyProof(ProofDocument proof, IReadOnlyList<INoteVerifier>? trustedKeys = null)
    {
        ArgumentNullException.ThrowIfNull(proof);
        var keys = trustedKeys is { Count: > 0 } ? trustedKeys : [.. proof.VerifierKeys.Select(EcdsaNoteKey.FromVerifierKey)];
        var note = SignedNote.Parse(proof.Checkpoint);
        if (!note.IsVerifiedBy([.. keys]))
        {
            return new TamperFinding(TamperKind.BadSignature, null, "the checkpoint is not signed by a trusted key");
        }

        var checkpoint = Checkpoint.Parse(note.Text);
        var stored = Hash.FromHex(proof.Event.Hash);
        var recomputed = EnvelopeHasher.Hash(proof.Event.ToEnvelope(proof.Origin));
        if (recomputed != stored)
        {
            return new TamperFinding(TamperKind.HashMismatch, proof.Position, $"the event hashes to {recomputed}, not {stored}");
        }

        if (checkpoint.Size != proof.TreeSize || checkpoint.Origin != proof.Origin
            || !MerkleProofs.VerifyInclusion(proof.Position, proof.TreeSize, MerkleHasher.Leaf(stored.Bytes), [.. proof.Path.Select(Hash.FromHex)], checkpoint.Root))
        {
            return new TamperFinding(TamperKind.CheckpointMismatch, proof.Position, $"the inclusion path does not lead from the event to the root of the checkpoint at size {checkpoint.Size}");
        }

        return null;
    }
}
