namespace IncidentLedger.Integrity.Merkle;

/// <summary>A run of leaves [Start, End) whose RFC 9162 subtree hash a proof needs.</summary>
public readonly record struct LeafRange(long Start, long End)
{
    public long Count => End - Start;
}

/// <summary>
/// RFC 9162 inclusion (§2.1.3) and consistency (§2.1.4) proofs: which subtree hashes they are made of,
/// how to compute those from stored complete subtrees, and how a verifier checks them.
/// </summary>
public static class MerkleProofs
{
    /// <summary>The subtrees of PATH(index, D[0:size]), deepest first (RFC 9162 §2.1.3.1).</summary>
    public static IReadOnlyList<LeafRange> InclusionRanges(long index, long size)
    {
        if (index < 0 || index >= size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"Leaf {index} is not in a tree of {size} leaves.");
        }

        var ranges = new List<LeafRange>();
        long start = 0, end = size;
        while (end - start > 1)
        {
            var k = MerkleHasher.SplitPoint(end - start);
            if (index < start + k)
            {
                ranges.Add(new LeafRange(start + k, end));
                end = start + k;
            }
            else
            {
                ranges.Add(new LeafRange(start, start + k));
                start += k;
            }
        }

        ranges.Reverse();
        return ranges;
    }

    /// <summary>The subtrees of PROOF(first, D[0:second]) (RFC 9162 §2.1.4.1), in proof order.</summary>
    public static IReadOnlyList<LeafRange> ConsistencyRanges(long first, long second)
    {
        if (first < 0 || first > second)
        {
            throw new ArgumentOutOfRangeException(nameof(first), $"No consistency proof goes from size {first} to size {second}.");
        }

        var ranges = new List<LeafRange>();
        if (first == 0 || first == second)
        {
            return ranges;
        }

        long start = 0, end = second, m = first;
        var wholeTree = true;
        while (true)
        {
            var n = end - start;
            if (m == n)
            {
                if (!wholeTree)
                {
                    ranges.Add(new LeafRange(start, end));
                }

                break;
            }

            var k = MerkleHasher.SplitPoint(n);
            if (m <= k)
            {
                ranges.Add(new LeafRange(start + k, end));
                end = start + k;
            }
            else
            {
                ranges.Add(new LeafRange(start, start + k));
                start += k;
                m -= k;
                wholeTree = false;
            }
        }

        ranges.Reverse();
        return ranges;
    }

    /// <summary>The stored complete subtrees (level, index) from which the hash of <paramref name="range"/> is computed.</summary>
    public static IEnumerable<(int Level, long Index)> NodesOf(LeafRange range)
    {
        var start = range.Start;
        var end = range.End;
        while (start < end)
        {
            // The largest aligned power-of-two block that starts here and fits.
            var level = start == 0 ? 62 : (int)long.TrailingZeroCount(start);
            while ((1L << level) > end - start)
            {
                level--;
            }

            yield return (level, start >> level);
            start += 1L << level;
        }
    }

    /// <summary>The RFC 9162 hash of <paramref name="range"/> from its complete subtrees, folded right to left.</summary>
    public static Hash HashOf(LeafRange range, Func<int, long, Hash> node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var parts = NodesOf(range).ToList();
        if (parts.Count == 0)
        {
            return MerkleHasher.Empty;
        }

        var hash = node(parts[^1].Level, parts[^1].Index);
        for (var i = parts.Count - 2; i >= 0; i--)
        {
            hash = MerkleHasher.Node(node(parts[i].Level, parts[i].Index), hash);
        }

        return hash;
    }

    /// <summary>RFC 9162 §2.1.3.2: does <paramref name="proof"/> place <paramref name="leafHash"/> at <paramref name="index"/> of the tree with <paramref name="root"/>?</summary>
    public static bool VerifyInclusion(long index, long size, Hash leafHash, IReadOnlyList<Hash> proof, Hash root)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (index < 0 || index >= size)
        {
            return false;
        }

        var fn = index;
        var sn = size - 1;
        var r = leafHash;
        foreach (var p in proof)
        {
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = MerkleHasher.Node(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = MerkleHasher.Node(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && r == root;
    }

    /// <summary>RFC 9162 §2.1.4.2: is the tree (<paramref name="second"/>, <paramref name="secondRoot"/>) an append-only extension of (<paramref name="first"/>, <paramref name="firstRoot"/>)?</summary>
    public static bool VerifyConsistency(long first, long second, Hash firstRoot, Hash secondRoot, IReadOnlyList<Hash> proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (first < 0 || first > second)
        {
            return false;
        }

        if (first == second)
        {
            return proof.Count == 0 && firstRoot == secondRoot;
        }

        if (first == 0)
        {
            return proof.Count == 0;
        }

        var path = new List<Hash>(proof.Count + 1);
        if (MerkleHasher.IsPowerOfTwo(first))
        {
            path.Add(firstRoot);
        }

        path.AddRange(proof);
        if (path.Count == 0)
        {
            return false;
        }

        var fn = first - 1;
        var sn = second - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        var fr = path[0];
        var sr = path[0];
        for (var i = 1; i < path.Count; i++)
        {
            var c = path[i];
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                fr = MerkleHasher.Node(c, fr);
                sr = MerkleHasher.Node(c, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                sr = MerkleHasher.Node(sr, c);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return fr == firstRoot && sr == secondRoot && sn == 0;
    }

    /// <summary>The RFC 9162 root of a whole list of leaf hashes.</summary>
    public static Hash Root(IEnumerable<Hash> leafHashes)
    {
        var accumulator = new MerkleAccumulator();
        foreach (var leaf in leafHashes)
        {
            accumulator.Append(leaf);
        }

        return accumulator.Root();
    }
}
