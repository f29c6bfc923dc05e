using System.Text;
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
    DuplicateEvent,
    CheckpointMismatch,
    BadSignature,
    Fork,
    RolledBack,
    UntrustedKey,
}

/// <summary>The overall answer, one per exit code of `ledger verify`.</summary>
public enum BundleVerdict
{
    /// <summary>Every entry verifies and is covered by a verified checkpoint (witnessed by the quorum, when one is asked for).</summary>
    Intact,

    /// <summary>Evidence that the log was changed: the first bad position and why.</summary>
    Tampered,

    /// <summary>The input is not a bundle in the documented format; nothing is concluded about the log.</summary>
    Malformed,

    /// <summary>Everything verifies as far as signed (or witnessed) checkpoints reach, but entries after that are vouched for by no signature.</summary>
    Unvouched,
}

/// <summary>The first problem found, located as precisely as the evidence allows.</summary>
public sealed record TamperFinding(TamperKind Kind, long? Position, string Message)
{
    public override string ToString() => Position is { } p ? $"position {p}: {Kind}: {Message}" : $"{Kind}: {Message}";
}

/// <summary>What the verifier trusts: log keys, a checkpoint seen before, witnesses and how many of them must agree.</summary>
public sealed record BundleVerificationOptions
{
    /// <summary>Log verifier keys obtained independently; when empty, the keys the bundle names are used and the report says so.</summary>
    public IReadOnlyList<INoteVerifier> TrustedKeys { get; init; } = [];

    /// <summary>A signed (and possibly cosigned) checkpoint obtained independently; the log must extend it.</summary>
    public string? TrustedCheckpoint { get; init; }

    /// <summary>Witness (cosignature) keys the verifier knows.</summary>
    public IReadOnlyList<CosignatureKey> Witnesses { get; init; } = [];

    /// <summary>How many distinct known witnesses must have cosigned a checkpoint for it to vouch for entries; 0 = none needed.</summary>
    public int Quorum { get; init; }

    /// <summary>Called with the number of entries checked so far, after each chunk.</summary>
    public Action<long>? Progress { get; init; }

    /// <summary>Called for each entry once it verified (position, entry), in position order.</summary>
    public Action<BundleEntry>? OnEntry { get; init; }
}

/// <summary>The outcome of verifying a bundle.</summary>
/// <param name="SignedSize">How many entries, from position 0, verified checkpoints cover.</param>
/// <param name="VouchedSize">How many entries are vouched for: <paramref name="SignedSize"/>, or with a quorum the largest witnessed size.</param>
public sealed record BundleReport(BundleVerdict Verdict, long EventsChecked, int CheckpointsChecked, long SignedSize, long VouchedSize, Hash? Root, TamperFinding? Finding, IReadOnlyList<string> Notes)
{
    public bool IsIntact => Verdict == BundleVerdict.Intact;

    /// <summary>Entries after the last vouching checkpoint.</summary>
    public long Unvouched => Math.Max(0, EventsChecked - VouchedSize);
}

/// <summary>
/// Verifies an exported log offline, streaming: every line's format, every envelope hash, every stream's
/// chain, the leaf the log stored at each position, every checkpoint's signature and root, how far
/// signed (and witnessed) checkpoints reach, and optionally that the log neither rolled back nor forked
/// from a checkpoint the verifier already trusted. docs/verification.md numbers the checks.
/// </summary>
public static class BundleVerifier
{
    private const int ChunkSize = 4096;

    /// <summary>Longer lines are refused rather than buffered without bound.</summary>
    public const int MaxLineBytes = 64 * 1024 * 1024;

    private readonly record struct ParsedEntry(BundleEntry? Entry, Hash Stored, Hash Recomputed, Hash Leaf, Hash? Prev, string? Error);

    private static ParsedEntry Parse(byte[] line, string origin)
    {
        try
        {
            var entry = BundleReader.ReadEntryInPlace(line);
            var e = entry.Event;
            var recomputed = EnvelopeHasher.HashOfCanonicalParts(e.ToEnvelope(origin));
            return new ParsedEntry(entry, Hash.FromHex(e.Hash), recomputed, Hash.FromHex(entry.Leaf), e.Prev is null ? null : Hash.FromHex(e.Prev), null);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException or Canonical.CanonicalizationException or System.Text.Json.JsonException)
        {
            return new ParsedEntry(null, default, default, default, null, ex.Message);
        }
    }

    /// <summary>Verifies bundle text (tests and small bundles).</summary>
    public static BundleReport Verify(string bundle, BundleVerificationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        byte[] bytes;
        try
        {
            bytes = new UTF8Encoding(false, true).GetBytes(bundle);
        }
        catch (EncoderFallbackException)
        {
            return new BundleReport(BundleVerdict.Malformed, 0, 0, 0, 0, null, new TamperFinding(TamperKind.Malformed, null, "the text holds a lone surrogate and cannot be UTF-8"), []);
        }

        using var stream = new MemoryStream(bytes);
        return Verify(stream, options);
    }

    public static BundleReport Verify(Stream bundle, BundleVerificationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        options ??= new BundleVerificationOptions();
        var notes = new List<string>();
        long checkedCount = 0;
        var checkpointsChecked = 0;
        BundleReport Fail(TamperKind kind, long? position, string message) =>
            new(kind == TamperKind.Malformed ? BundleVerdict.Malformed : BundleVerdict.Tampered, checkedCount, checkpointsChecked, 0, 0, null, new TamperFinding(kind, position, OneLine(message)), notes);

        var lines = new LineReader(bundle);
        BundleHeader header;
        try
        {
            var first = lines.ReadLine();
            if (first is null)
            {
                return Fail(TamperKind.Malformed, null, "the file is empty: a bundle starts with a header line");
            }

            header = BundleReader.ReadHeader(first);
        }
        catch (BundleFormatException e)
        {
            return Fail(TamperKind.Malformed, null, e.Message);
        }

        // Check 1: keys.
        var keys = options.TrustedKeys;
        if (keys.Count == 0)
        {
            keys = [.. header.VerifierKeys.Select(VerifierKeys.Parse)];
            notes.Add("checkpoint signatures were checked against the keys the bundle names; pass a key you trust to check them against it");
        }

        if (options.Quorum > options.Witnesses.DistinctBy(w => (w.KeyName, w.KeyId)).Count())
        {
            return Fail(TamperKind.Malformed, null, $"a quorum of {options.Quorum} needs at least {options.Quorum} distinct witness keys; {options.Witnesses.Count} given");
        }

        // Checks 2–4: every checkpoint parses, is for this origin, is signed by a trusted key, sizes ascend; one root per size.
        var checkpointsBySize = new SortedDictionary<long, Checkpoint>();
        long witnessedSize = -1;
        long previousSize = -1;
        string? outOfOrder = null;
        // Signatures are independent of each other: check them on all cores, then judge in order.
        var keyArray = keys.ToArray();
        var judged = new (SignedNote? Note, Checkpoint? Checkpoint, bool Signed, int Witnesses, string? Error)[header.Checkpoints.Count];
        Parallel.For(0, judged.Length, i =>
        {
            try
            {
                var n = SignedNote.Parse(header.Checkpoints[i]);
                var c = Checkpoint.Parse(n.Text);
                var signed = n.IsVerifiedBy(keyArray);
                judged[i] = (n, c, signed, signed && options.Quorum > 0 ? CosignedNotes.VerifiedWitnesses(n, options.Witnesses).Count : 0, null);
            }
            catch (FormatException e)
            {
                judged[i] = (null, null, false, 0, e.Message);
            }
        });

        for (var i = 0; i < header.Checkpoints.Count; i++)
        {
            if (judged[i] is not (not null, { } checkpoint, var signed, var witnesses, null))
            {
                return Fail(TamperKind.Malformed, null, $"checkpoint {i} of the header is malformed: {judged[i].Error}");
            }

            if (checkpoint.Origin != header.Origin)
            {
                return Fail(TamperKind.Malformed, null, $"the checkpoint at size {checkpoint.Size} is for origin {checkpoint.Origin}, not {header.Origin}");
            }

            // Judged after the loop, so that a fork or a bad signature among out-of-order checkpoints is still reported as such.
            outOfOrder ??= checkpoint.Size < previousSize ? $"the header's checkpoints are not in ascending size order (size {checkpoint.Size} after {previousSize})" : null;
            previousSize = checkpoint.Size;
            if (!signed)
            {
                return Fail(TamperKind.BadSignature, null, $"the checkpoint at size {checkpoint.Size} is not signed by a trusted key");
            }

            if (checkpointsBySize.TryGetValue(checkpoint.Size, out var other) && other.Root != checkpoint.Root)
            {
                return Fail(TamperKind.Fork, null, $"two signed checkpoints of size {checkpoint.Size} have different roots ({other.Root} and {checkpoint.Root}): the log forked");
            }

            checkpointsBySize[checkpoint.Size] = checkpoint;
            if (options.Quorum > 0 && witnesses >= options.Quorum)
            {
                witnessedSize = Math.Max(witnessedSize, checkpoint.Size);
            }
        }

        if (outOfOrder is not null)
        {
            return Fail(TamperKind.Malformed, null, outOfOrder);
        }

        // Check 5: the checkpoint the verifier trusted before.
        Checkpoint? trusted = null;
        if (options.TrustedCheckpoint is { } trustedText)
        {
            SignedNote note;
            try
            {
                note = SignedNote.Parse(trustedText);
                trusted = Checkpoint.Parse(note.Text);
            }
            catch (FormatException e)
            {
                return Fail(TamperKind.Malformed, null, $"the trusted checkpoint is not a signed checkpoint note: {e.Message}");
            }

            if (trusted.Origin != header.Origin)
            {
                return Fail(TamperKind.Malformed, null, $"the trusted checkpoint is for origin {trusted.Origin}, the bundle for {header.Origin}");
            }

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

            if (options.Quorum > 0 && CosignedNotes.VerifiedWitnesses(note, options.Witnesses).Count >= options.Quorum)
            {
                witnessedSize = Math.Max(witnessedSize, trusted.Size);
            }
        }

        if (checkpointsBySize.TryGetValue(0, out var empty) && empty.Root != MerkleHasher.Empty)
        {
            return Fail(TamperKind.CheckpointMismatch, 0, $"the signed checkpoint at size 0 has root {empty.Root}, not the empty tree's {MerkleHasher.Empty}");
        }

        // Check 6: every entry, in order.
        var tree = new MerkleAccumulator();
        var streams = new Dictionary<Guid, (long Version, Hash Hash, string Type)>();
        var eventIds = new HashSet<Guid>();
        long lastGoodCheckpoint = 0;
        var chunk = new List<byte[]>(ChunkSize);
        var parsed = new ParsedEntry[ChunkSize];
        while (true)
        {
            chunk.Clear();
            try
            {
                byte[]? line;
                while (chunk.Count < ChunkSize && (line = lines.ReadLine()) is not null)
                {
                    chunk.Add(line);
                }
            }
            catch (BundleFormatException e)
            {
                // Lines read before the bad one are still checked first, so the position is that of the bad line.
                if (chunk.Count == 0)
                {
                    return Fail(TamperKind.Malformed, tree.Size, e.Message);
                }

                var failure = CheckChunk();
                return failure ?? Fail(TamperKind.Malformed, tree.Size, e.Message);
            }

            if (chunk.Count == 0)
            {
                break;
            }

            if (CheckChunk() is { } found)
            {
                return found;
            }

            options.Progress?.Invoke(tree.Size);
        }

        BundleReport? CheckChunk()
        {
            var origin = header.Origin;
            Parallel.For(0, chunk.Count, i => parsed[i] = Parse(chunk[i], origin));
            for (var i = 0; i < chunk.Count; i++)
            {
                var position = tree.Size;
                checkedCount = position;
                var p = parsed[i];
                if (p.Error is { } error || p.Entry is null)
                {
                    return Fail(TamperKind.Malformed, position, $"the entry is malformed: {p.Error}");
                }

                var entry = p.Entry;
                var e = entry.Event;
                if (entry.Position != position)
                {
                    return Fail(TamperKind.PositionOutOfOrder, position, $"expected the entry at position {position}, found position {entry.Position}: an entry was removed, inserted or moved");
                }

                if (p.Recomputed != p.Stored)
                {
                    return Fail(TamperKind.HashMismatch, position, $"event {e.EventId} hashes to {p.Recomputed}, not the stored {p.Stored}: its content was changed");
                }

                var leaf = MerkleHasher.Leaf(p.Stored.Bytes);
                if (p.Leaf != leaf)
                {
                    return Fail(TamperKind.LeafMismatch, position, $"the log's tree holds leaf {p.Leaf} here, but event {e.EventId} is leaf {leaf}: a different event was sealed at this position");
                }

                var known = streams.TryGetValue(e.StreamId, out var head);
                var expected = known ? head : (0, default(Hash), e.StreamType);
                if (e.Version != expected.Version + 1 || p.Prev != (expected.Version == 0 ? null : expected.Hash))
                {
                    return Fail(TamperKind.BrokenChain, position,
                        $"event {e.EventId} is version {e.Version} of stream {e.StreamId} linking to {p.Prev?.ToString() ?? "nothing"}, but the stream's previous event is version {expected.Version}{(expected.Version == 0 ? "" : $" with hash {expected.Hash}")}");
                }

                if (e.StreamType != expected.Type)
                {
                    return Fail(TamperKind.BrokenChain, position, $"event {e.EventId} gives stream {e.StreamId} the type {e.StreamType}, but its earlier events say {expected.Type}");
                }

                if (!eventIds.Add(e.EventId))
                {
                    return Fail(TamperKind.DuplicateEvent, position, $"event {e.EventId} appears a second time");
                }

                streams[e.StreamId] = (e.Version, p.Stored, e.StreamType);
                tree.Append(leaf);
                checkedCount = tree.Size;
                if (checkpointsBySize.TryGetValue(tree.Size, out var checkpoint))
                {
                    var root = tree.Root();
                    if (root != checkpoint.Root)
                    {
                        return Fail(TamperKind.CheckpointMismatch, lastGoodCheckpoint,
                            $"the signed checkpoint at size {checkpoint.Size} has root {checkpoint.Root}, the events give {root}: something between positions {lastGoodCheckpoint} and {checkpoint.Size - 1} was changed, removed, inserted or reordered");
                    }

                    lastGoodCheckpoint = tree.Size;
                    checkpointsChecked++;
                }

                if (trusted is not null && tree.Size == trusted.Size && tree.Root() != trusted.Root)
                {
                    return Fail(TamperKind.Fork, trusted.Size, $"the events give root {tree.Root()} at size {trusted.Size}, the trusted checkpoint says {trusted.Root}: the log forked");
                }

                options.OnEntry?.Invoke(entry);
            }

            return null;
        }

        // Check 7: counts.
        var signedSize = checkpointsBySize.Count == 0 ? 0 : checkpointsBySize.Keys.Max();
        if (signedSize > tree.Size)
        {
            return Fail(TamperKind.PositionOutOfOrder, tree.Size, $"a checkpoint covers {signedSize} entries but the bundle holds {tree.Size}: entries were removed");
        }

        if (trusted is not null && trusted.Size > tree.Size)
        {
            return Fail(TamperKind.RolledBack, tree.Size, $"the trusted checkpoint covers {trusted.Size} entries but the bundle holds {tree.Size}");
        }

        if (tree.Size != header.Size)
        {
            return Fail(TamperKind.Malformed, tree.Size, $"the header announces {header.Size} entries but the bundle holds {tree.Size}");
        }

        // Check 8: coverage.
        var root = checkpointsBySize.Count == 0 ? (Hash?)null : checkpointsBySize[signedSize].Root;
        var vouched = options.Quorum > 0 ? Math.Max(witnessedSize, 0) : signedSize;
        var anyVouching = options.Quorum > 0 ? witnessedSize >= 0 : checkpointsBySize.Count > 0;
        var by = options.Quorum > 0 ? $"a checkpoint cosigned by {options.Quorum} known witness{(options.Quorum == 1 ? "" : "es")}" : "a signed checkpoint";
        if (!anyVouching)
        {
            notes.Add($"no entry is covered by {by}");
            return new BundleReport(BundleVerdict.Unvouched, tree.Size, checkpointsChecked, signedSize, 0, root, null, notes);
        }

        if (vouched < tree.Size)
        {
            notes.Add($"{tree.Size - vouched} entries, positions {vouched}…{tree.Size - 1}, are not covered by {by}: their hashes and chains verify, but nothing vouches for their content or order");
            return new BundleReport(BundleVerdict.Unvouched, tree.Size, checkpointsChecked, signedSize, vouched, root, null, notes);
        }

        return new BundleReport(BundleVerdict.Intact, tree.Size, checkpointsChecked, signedSize, vouched, root, null, notes);
    }

    private static string OneLine(string message) => string.Concat(message.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));

    /// <summary>Verifies a proof document: the event's hash, its inclusion in the checkpoint's tree, and the checkpoint's signature.</summary>
    public static TamperFinding? VerifyProof(ProofDocument proof, IReadOnlyList<INoteVerifier>? trustedKeys = null)
    {
        ArgumentNullException.ThrowIfNull(proof);
        SignedNote note;
        Checkpoint checkpoint;
        Hash stored;
        Hash recomputed;
        IReadOnlyList<Hash> path;
        IReadOnlyList<INoteVerifier> keys;
        try
        {
            keys = trustedKeys is { Count: > 0 } ? trustedKeys : [.. proof.VerifierKeys.Select(VerifierKeys.Parse)];
            note = SignedNote.Parse(proof.Checkpoint);
            checkpoint = Checkpoint.Parse(note.Text);
            stored = Hash.FromHex(proof.Event.Hash);
            recomputed = EnvelopeHasher.Hash(proof.Event.ToEnvelope(proof.Origin));
            path = [.. proof.Path.Select(Hash.FromHex)];
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or Canonical.CanonicalizationException)
        {
            return new TamperFinding(TamperKind.Malformed, null, $"the proof is malformed: {e.Message}");
        }

        if (!note.IsVerifiedBy([.. keys]))
        {
            return new TamperFinding(TamperKind.BadSignature, null, "the checkpoint is not signed by a trusted key");
        }

        if (recomputed != stored)
        {
            return new TamperFinding(TamperKind.HashMismatch, proof.Position, $"the event hashes to {recomputed}, not {stored}");
        }

        if (checkpoint.Size != proof.TreeSize || checkpoint.Origin != proof.Origin
            || !MerkleProofs.VerifyInclusion(proof.Position, proof.TreeSize, MerkleHasher.Leaf(stored.Bytes), path, checkpoint.Root))
        {
            return new TamperFinding(TamperKind.CheckpointMismatch, proof.Position, $"the inclusion path does not lead from the event to the root of the checkpoint at size {checkpoint.Size}");
        }

        return null;
    }

    /// <summary>Splits a stream into '\n'-terminated lines of raw bytes; a last line without its newline is a truncation.</summary>
    private sealed class LineReader(Stream stream)
    {
        private byte[] buffer = new byte[1 << 16];
        private int start;
        private int end;
        private bool eof;

        public byte[]? ReadLine()
        {
            var scanned = 0;
            while (true)
            {
                var i = Array.IndexOf(buffer, (byte)'\n', start + scanned, end - start - scanned);
                if (i >= 0)
                {
                    var line = buffer[start..i];
                    start = i + 1;
                    return line;
                }

                scanned = end - start;
                if (eof)
                {
                    if (start == end)
                    {
                        return null;
                    }

                    start = end;
                    throw new BundleFormatException("the last line does not end with a newline: the file is truncated");
                }

                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }

                if (end == buffer.Length)
                {
                    if (buffer.Length >= MaxLineBytes)
                    {
                        throw new BundleFormatException($"a line is longer than {MaxLineBytes} bytes");
                    }

                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                var n = stream.Read(buffer, end, buffer.Length - end);
                if (n == 0)
                {
                    eof = true;
                }
                else
                {
                    end += n;
                }
            }
        }
    }
}
