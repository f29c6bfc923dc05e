using System.Diagnostics;
using System.Text;
using IncidentLedger.Integrity.Merkle;

namespace IncidentLedger.Integrity.Tests;

public sealed class MerkleTests
{
    /// <summary>MTH exactly as RFC 9162 §2.1.1 defines it, recursively: the reference the fast paths are held to.</summary>
    private static Hash ReferenceRoot(IReadOnlyList<byte[]> leaves, int start, int end)
    {
        var n = end - start;
        if (n == 0)
        {
            return Hash.Sha256([]);
        }

        if (n == 1)
        {
            return Hash.Sha256([0x00, .. leaves[start]]);
        }

        var k = (int)MerkleHasher.SplitPoint(n);
        return Hash.Sha256([0x01, .. ReferenceRoot(leaves, start, start + k).Bytes, .. ReferenceRoot(leaves, start + k, end).Bytes]);
    }

    private static readonly string[] CertificateTransparencyLeaves = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];

    // The roots the Certificate Transparency reference tests give for the first 1…8 of those leaves.
    [Theory]
    [InlineData(1, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")]
    [InlineData(2, "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")]
    [InlineData(3, "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77")]
    [InlineData(4, "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]
    [InlineData(5, "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4")]
    [InlineData(6, "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef")]
    [InlineData(7, "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c")]
    [InlineData(8, "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")]
    public void Roots_match_the_certificate_transparency_test_vectors(int size, string root)
    {
        var leaves = CertificateTransparencyLeaves.Take(size).Select(Convert.FromHexString).ToList();
        Assert.Equal(root, MerkleProofs.Root(leaves.Select(l => MerkleHasher.Leaf(l))).ToString());
        Assert.Equal(root, ReferenceRoot(leaves, 0, size).ToString());
    }

    [Fact]
    public void The_empty_tree_hashes_to_sha256_of_nothing()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", new MerkleAccumulator().Root().ToString());
    }

    private sealed class StoredTree
    {
        public readonly Dictionary<(int, long), Hash> Nodes = [];
        public readonly List<Hash> Roots = [MerkleHasher.Empty];
        public readonly List<Hash> LeafHashes = [];

        public StoredTree(int size, Func<int, byte[]> leaf)
        {
            var accumulator = new MerkleAccumulator();
            for (var i = 0; i < size; i++)
            {
                var h = MerkleHasher.Leaf(leaf(i));
                LeafHashes.Add(h);
                foreach (var node in accumulator.Append(h))
                {
                    Nodes[(node.Level, node.Index)] = node.Hash;
                }

                Roots.Add(accumulator.Root());
            }
        }

        public Hash Node(int level, long index) => Nodes[(level, index)];

        public List<Hash> Inclusion(long index, long size) => [.. MerkleProofs.InclusionRanges(index, size).Select(r => MerkleProofs.HashOf(r, Node))];

        public List<Hash> Consistency(long first, long second) => [.. MerkleProofs.ConsistencyRanges(first, second).Select(r => MerkleProofs.HashOf(r, Node))];
    }

    private static byte[] LeafData(int i) => Encoding.UTF8.GetBytes($"event-{i}");

    [Fact]
    public void Stored_subtrees_give_the_reference_root_at_every_size_up_to_300()
    {
        var tree = new StoredTree(300, LeafData);
        var leaves = Enumerable.Range(0, 300).Select(LeafData).ToList();
        for (var size = 0; size <= 300; size++)
        {
            Assert.Equal(ReferenceRoot(leaves, 0, size), tree.Roots[size]);
            Assert.Equal(tree.Roots[size], MerkleProofs.HashOf(new LeafRange(0, size), tree.Node));
        }
    }

    [Fact]
    public void Every_inclusion_proof_up_to_300_leaves_verifies_and_no_wrong_one_does()
    {
        var tree = new StoredTree(300, LeafData);
        for (var size = 1; size <= 300; size++)
        {
            for (var index = 0; index < size; index++)
            {
                var proof = tree.Inclusion(index, size);
                var leaf = tree.LeafHashes[index];
                Assert.True(MerkleProofs.VerifyInclusion(index, size, leaf, proof, tree.Roots[size]), $"leaf {index} of {size}");
                Assert.False(MerkleProofs.VerifyInclusion(index, size, tree.LeafHashes[(index + 1) % 300], proof, tree.Roots[size]));
                if (size > 1)
                {
                    Assert.False(MerkleProofs.VerifyInclusion((index + 1) % size, size, leaf, proof, tree.Roots[size]));
                    Assert.False(MerkleProofs.VerifyInclusion(index, size, leaf, proof, tree.Roots[size - 1]));
                    Assert.False(MerkleProofs.VerifyInclusion(index, size, leaf, proof[..^1], tree.Roots[size]));
                }
            }
        }
    }

    [Fact]
    public void Every_consistency_proof_up_to_300_leaves_verifies_and_forks_do_not()
    {
        var tree = new StoredTree(300, LeafData);
        var fork = new StoredTree(300, i => i == 150 ? Encoding.UTF8.GetBytes("rewritten") : LeafData(i));
        for (var second = 1; second <= 300; second++)
        {
            for (var first = 1; first <= second; first++)
            {
                var proof = tree.Consistency(first, second);
                Assert.True(MerkleProofs.VerifyConsistency(first, second, tree.Roots[first], tree.Roots[second], proof), $"{first} → {second}");
                if (first < second)
                {
                    Assert.False(MerkleProofs.VerifyConsistency(first, second, tree.Roots[first], tree.Roots[second - 1], proof));
                    if (first > 150)
                    {
                        // A log that rewrote leaf 150 cannot prove its new tree extends the old one.
                        Assert.False(MerkleProofs.VerifyConsistency(first, second, tree.Roots[first], fork.Roots[second], fork.Consistency(first, second)));
                    }
                }
            }
        }
    }

    [Fact]
    public void Random_proofs_in_a_tree_of_100000_leaves_verify()
    {
        const int size = 100_000;
        var tree = new StoredTree(size, LeafData);
        var random = new Random(9162);
        for (var i = 0; i < 2_000; i++)
        {
            var n = random.Next(1, size + 1);
            var index = random.Next(0, n);
            Assert.True(MerkleProofs.VerifyInclusion(index, n, tree.LeafHashes[index], tree.Inclusion(index, n), tree.Roots[n]), $"leaf {index} of {n}");
            var m = random.Next(1, n + 1);
            Assert.True(MerkleProofs.VerifyConsistency(m, n, tree.Roots[m], tree.Roots[n], tree.Consistency(m, n)), $"{m} → {n}");
        }
    }

    [Fact]
    public void Proof_sizes_are_logarithmic()
    {
        foreach (var (index, size) in new[] { (0L, 1_000_000L), (999_999L, 1_000_000L), (123_456L, 1_000_000L) })
        {
            Assert.InRange(MerkleProofs.InclusionRanges(index, size).Count, 1, 20);
            Assert.InRange(MerkleProofs.InclusionRanges(index, size).Sum(r => MerkleProofs.NodesOf(r).Count()), 1, 60);
        }
    }

    [Fact]
    public void An_accumulator_resumed_from_its_right_edge_continues_the_same_tree()
    {
        var whole = new MerkleAccumulator();
        var first = new MerkleAccumulator();
        for (var i = 0; i < 77; i++)
        {
            whole.Append(MerkleHasher.Leaf(LeafData(i)));
            first.Append(MerkleHasher.Leaf(LeafData(i)));
        }

        var resumed = new MerkleAccumulator(first.Size, first.RightEdge);
        for (var i = 77; i < 200; i++)
        {
            whole.Append(MerkleHasher.Leaf(LeafData(i)));
            resumed.Append(MerkleHasher.Leaf(LeafData(i)));
        }

        Assert.Equal(whole.Root(), resumed.Root());
        Assert.Throws<ArgumentException>(() => new MerkleAccumulator(78, first.RightEdge));
    }

    /// <summary>An independent implementation (Node, its crypto module only) computes the same roots byte for byte.</summary>
    [Fact]
    public void Roots_agree_with_an_independent_node_implementation()
    {
        var leaves = Enumerable.Range(0, 130).Select(i => Convert.ToHexStringLower(LeafData(i))).ToList();
        const string script = """
            const crypto = require('crypto');
            const sha = (...parts) => crypto.createHash('sha256').update(Buffer.concat(parts)).digest();
            const mth = (d) => {
              if (d.length === 0) return sha(Buffer.alloc(0));
              if (d.length === 1) return sha(Buffer.from([0]), d[0]);
              let k = 1; while (k * 2 < d.length) k *= 2;
              return sha(Buffer.from([1]), mth(d.slice(0, k)), mth(d.slice(k)));
            };
            let input = ''; process.stdin.on('data', c => input += c); process.stdin.on('end', () => {
              const leaves = input.trim().split('\n').map(h => Buffer.from(h, 'hex'));
              const out = [];
              for (let n = 1; n <= leaves.length; n++) out.push(mth(leaves.slice(0, n)).toString('hex'));
              process.stdout.write(out.join('\n'));
            });
            """;
        var start = new ProcessStartInfo("node", ["-e", script]) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        using var node = Process.Start(start) ?? throw new InvalidOperationException("node is required for this test: install Node.js 20.");
        node.StandardInput.Write(string.Join('\n', leaves));
        node.StandardInput.Close();
        var theirs = node.StandardOutput.ReadToEnd().Split('\n');
        node.WaitForExit();

        var tree = new StoredTree(130, LeafData);
        Assert.Equal(tree.Roots.Skip(1).Select(r => r.ToString()), theirs);
    }
}
