using System.Security.Cryptography;

namespace IncidentLedger.Integrity.Merkle;

/// <summary>RFC 9162 §2.1.1 hashing: leaves are SHA-256(0x00 ‖ data), interior nodes SHA-256(0x01 ‖ left ‖ right).</summary>
public static class MerkleHasher
{
    /// <summary>The hash of the empty tree: SHA-256 of the empty string.</summary>
    public static Hash Empty { get; } = Hash.Sha256([]);

    public static Hash Leaf(ReadOnlySpan<byte> data)
    {
        Span<byte> input = stackalloc byte[1 + data.Length];
        input[0] = 0x00;
        data.CopyTo(input[1..]);
        return Hash.Sha256(input);
    }

    public static Hash Node(Hash left, Hash right)
    {
        Span<byte> input = stackalloc byte[1 + (2 * Hash.Size)];
        input[0] = 0x01;
        left.Bytes.CopyTo(input[1..]);
        right.Bytes.CopyTo(input[(1 + Hash.Size)..]);
        Span<byte> output = stackalloc byte[Hash.Size];
        SHA256.HashData(input, output);
        return Hash.FromBytes(output);
    }

    /// <summary>The largest power of two strictly less than <paramref name="n"/> (n ≥ 2): where RFC 9162 splits a tree.</summary>
    public static long SplitPoint(long n)
    {
        if (n < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(n), "Only a tree of two or more leaves splits.");
        }

        return 1L << (63 - (int)long.LeadingZeroCount(n - 1));
    }

    public static bool IsPowerOfTwo(long n) => n > 0 && (n & (n - 1)) == 0;
}
