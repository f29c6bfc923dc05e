namespace IncidentLedger.Integrity.Merkle;

/// <summary>A complete, aligned subtree: the 2^Level leaves starting at Index × 2^Level.</summary>
public readonly record struct TreeNode(int Level, long Index, Hash Hash)
{
    public long FirstLeaf => Index << Level;

    public long LeafCount => 1L << Level;
}

/// <summary>
/// Appends leaves one at a time, keeping only the right edge of the tree (one complete subtree
/// per set bit of the size), so the root at any size costs O(log n) and memory stays O(log n).
/// Reports each complete subtree as it forms, which is what the log stores.
/// </summary>
public sealed class MerkleAccumulator
{
    private readonly List<TreeNode> edge = [];

    public MerkleAccumulator()
    {
    }

    /// <summary>Resumes from a stored right edge: the complete subtrees of a tree of <paramref name="size"/> leaves, left to right.</summary>
    public MerkleAccumulator(long size, IReadOnlyList<TreeNode> rightEdge)
    {
        ArgumentNullException.ThrowIfNull(rightEdge);
        var expected = EdgeOf(size);
        if (rightEdge.Count != expected.Count || !rightEdge.Select(n => (n.Level, n.Index)).SequenceEqual(expected))
        {
            throw new ArgumentException($"The right edge of a tree of {size} leaves is subtrees {string.Join(", ", expected)}; got {string.Join(", ", rightEdge.Select(n => (n.Level, n.Index)))}.", nameof(rightEdge));
        }

        Size = size;
        edge.AddRange(rightEdge);
    }

    public long Size { get; private set; }

    public IReadOnlyList<TreeNode> RightEdge => edge;

    /// <summary>Adds a leaf (already hashed with <see cref="MerkleHasher.Leaf"/>) and returns every subtree it completes, the leaf first.</summary>
    public IReadOnlyList<TreeNode> Append(Hash leafHash)
    {
        var formed = new List<TreeNode>(2) { new(0, Size, leafHash) };
        edge.Add(formed[0]);
        while (edge.Count >= 2 && edge[^1].Level == edge[^2].Level)
        {
            var right = edge[^1];
            var left = edge[^2];
            edge.RemoveRange(edge.Count - 2, 2);
            var parent = new TreeNode(left.Level + 1, left.Index >> 1, MerkleHasher.Node(left.Hash, right.Hash));
            edge.Add(parent);
            formed.Add(parent);
        }

        Size++;
        return formed;
    }

    /// <summary>The RFC 9162 root of the leaves appended so far.</summary>
    public Hash Root()
    {
        if (edge.Count == 0)
        {
            return MerkleHasher.Empty;
        }

        var root = edge[^1].Hash;
        for (var i = edge.Count - 2; i >= 0; i--)
        {
            root = MerkleHasher.Node(edge[i].Hash, root);
        }

        return root;
    }

    /// <summary>The (level, index) of the complete subtrees that make up a tree of <paramref name="size"/> leaves, left to right.</summary>
    public static IReadOnlyList<(int Level, long Index)> EdgeOf(long size)
    {
        var nodes = new List<(int, long)>();
        long start = 0;
        for (var level = 62; level >= 0; level--)
        {
            var width = 1L << level;
            if ((size & width) != 0)
            {
                nodes.Add((level, start >> level));
                start += width;
            }
        }

        return nodes;
    }
}
