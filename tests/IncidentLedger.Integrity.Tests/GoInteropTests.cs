using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using IncidentLedger.Integrity.Checkpoints;
using IncidentLedger.Integrity.Merkle;
using IncidentLedger.Integrity.Tests.Support;

namespace IncidentLedger.Integrity.Tests;

/// <summary>
/// Code we did not write agrees with ours: Go's golang.org/x/mod/sumdb/note and sumdb/tlog (Debian's
/// golang-golang-x-mod-dev, GOPATH mode, nothing downloaded) verify our Ed25519 checkpoints and our
/// RFC 9162 inclusion and consistency proofs over a log of more than 10,000 events, genuine and altered,
/// and crypto/ed25519 our tlog-cosignatures. Fails (does not skip) when Go is missing: .ci/run installs it.
/// </summary>
public sealed class GoInteropTests(ITestOutputHelper output)
{
    private const int Events = 10_007;

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "IncidentLedger.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Run the tests from inside the repository.");
    }

    private static (int Code, string Out, string Err) Run(string file, string arguments, string? stdin, IDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null, UseShellExecute = false };
        foreach (var (k, v) in environment)
        {
            start.Environment[k] = v;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string? FindGo() =>
        new[] { Environment.GetEnvironmentVariable("GO"), "/usr/bin/go", "/usr/lib/go/bin/go", "/usr/local/go/bin/go" }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "go")))
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    [Fact]
    public void Go_sumdb_note_and_tlog_agree_with_our_checkpoints_and_proofs_for_a_log_of_over_10000_events()
    {
        var go = FindGo();
        Assert.True(go is not null, "Go is not installed: apt-get install golang-go golang-golang-x-mod-dev (.ci/run installs them when missing).");
        const string gopath = "/usr/share/gocode";
        Assert.True(Directory.Exists(Path.Combine(gopath, "src/golang.org/x/mod/sumdb/note")), "golang.org/x/mod is not in /usr/share/gocode: apt-get install golang-golang-x-mod-dev.");

        var work = Directory.CreateTempSubdirectory("ledger-go-");
        var environment = new Dictionary<string, string>
        {
            ["GO111MODULE"] = "off",
            ["GOPATH"] = gopath,
            ["GOPROXY"] = "off",
            ["GOFLAGS"] = "",
            ["GOCACHE"] = Path.Combine(work.FullName, "cache"),
            ["HOME"] = work.FullName,
        };
        var binary = Path.Combine(work.FullName, "ledgerverify");
        var build = Run(go!, $"build -o {binary} {Path.Combine(RepositoryRoot(), "tests/go/ledgerverify/main.go")}", null, environment);
        Assert.True(build.Code == 0, $"go build failed: {build.Err}");

        // The log, built in memory: genuine events, every complete subtree kept for proofs.
        var log = BundleBuilder.Genuine(streams: 97, events: Events, checkpointEvery: 1000);
        log.Sign();
        var nodes = new Dictionary<(int, long), Hash>();
        var tree = new MerkleAccumulator();
        var roots = new List<Hash> { MerkleHasher.Empty };
        foreach (var (_, hash) in log.Events)
        {
            foreach (var node in tree.Append(MerkleHasher.Leaf(hash.Bytes)))
            {
                nodes[(node.Level, node.Index)] = node.Hash;
            }

            roots.Add(tree.Root());
        }

        Hash Subtree(LeafRange r) => MerkleProofs.HashOf(r, (level, index) => nodes[(level, index)]);
        var random = new Random(13);
        var key = (INoteVerifier)log.LogKey;

        // Checkpoints: every genuine one, and altered copies (another size, another root, a re-signed body by a stranger).
        var stranger = TestEd25519.LogKey(BundleBuilder.Origin, "stranger");
        var checkpoints = log.Checkpoints.Select(c => c.ToString()).ToList();
        checkpoints.Add(checkpoints[3].Replace("\n4000\n", "\n4001\n", StringComparison.Ordinal));
        checkpoints.Add(SignedNote.Sign(new Checkpoint(BundleBuilder.Origin, 5000, roots[4999]).ToNoteText(), stranger).ToString());
        var genuineText = log.Checkpoints[^1].Text;
        checkpoints.Add(log.Checkpoints[^1].ToString().Replace(genuineText.Split('\n')[2], Convert.ToBase64String(roots[Events - 1].Bytes), StringComparison.Ordinal));

        // Inclusion proofs at chosen and random positions, genuine and altered.
        var inclusion = new List<(long Index, long Size, Hash Leaf, Hash Root, List<Hash> Path)>();
        var sizes = new long[] { 1, 2, 3, 1000, 1024, 4096, 4097, 9999, Events };
        var indexes = new long[] { 0, 1, 2, 511, 512, 1023, 4095, 4096, 9998, Events - 1 }.Concat(Enumerable.Range(0, 40).Select(_ => (long)random.Next(Events)));
        foreach (var size in sizes)
        {
            foreach (var index in indexes.Where(i => i < size).Distinct())
            {
                var path = MerkleProofs.InclusionRanges(index, size).Select(Subtree).ToList();
                var leaf = MerkleHasher.Leaf(log.Events[(int)index].Hash.Bytes);
                inclusion.Add((index, size, leaf, roots[(int)size], path));
                if (random.Next(3) == 0 && path.Count > 0)
                {
                    var bad = path.ToList();
                    var at = random.Next(bad.Count);
                    bad[at] = Hash.Sha256(bad[at].Bytes);
                    inclusion.Add((index, size, leaf, roots[(int)size], bad));
                    inclusion.Add(((index + 1) % size, size, leaf, roots[(int)size], path));
                }
            }
        }

        // Consistency proofs between chosen and random sizes, genuine and altered.
        var consistency = new List<(long First, long Second, Hash FirstRoot, Hash SecondRoot, List<Hash> Path)>();
        var pairs = new List<(long, long)> { (1, 2), (1, Events), (7, 8), (1000, 2000), (1023, 4096), (1024, 4096), (4096, Events), (9999, Events), (Events, Events) };
        pairs.AddRange(Enumerable.Range(0, 60).Select(_ => { var a = random.Next(1, Events + 1); var b = random.Next(a, Events + 1); return ((long)a, (long)b); }));
        foreach (var (first, second) in pairs)
        {
            var path = MerkleProofs.ConsistencyRanges(first, second).Select(Subtree).ToList();
            consistency.Add((first, second, roots[(int)first], roots[(int)second], path));
            if (path.Count > 0)
            {
                var bad = path.ToList();
                bad[^1] = Hash.Sha256(bad[^1].Bytes);
                consistency.Add((first, second, roots[(int)first], roots[(int)second], bad));
            }

            if (first < second)
            {
                consistency.Add((first, second, roots[(int)first - 1], roots[(int)second], path));
            }
        }

        // Cosignatures by two witnesses on the latest checkpoint; one altered.
        var (w1, w2) = (TestEd25519.Witness("w1.example"), TestEd25519.Witness("w2.example"));
        var cosigned = CosignedNotes.Merge(w1.Cosign(log.Checkpoints[^1], 1_764_579_600), w2.Cosign(log.Checkpoints[^1], 1_764_579_601));
        var cosignatures = new List<(CosignatureKey Witness, string Note)>
        {
            (w1, cosigned.ToString()), (w2, cosigned.ToString()), (TestEd25519.Witness("w3.example"), cosigned.ToString()),
            (w1, cosigned.ToString().Replace($"\n{Events}\n", $"\n{Events + 1}\n", StringComparison.Ordinal)),
        };

        string Hex(IEnumerable<Hash> hashes) => string.Join(",", hashes.Select(h => $"\"{h}\""));
        var json = new StringBuilder();
        json.Append(CultureInfo.InvariantCulture, $"{{\"verifierKey\":{JsonSerializer.Serialize(log.LogKey.VerifierKey)},\"checkpoints\":[{string.Join(",", checkpoints.Select(c => JsonSerializer.Serialize(c)))}],");
        json.Append(CultureInfo.InvariantCulture, $"\"inclusion\":[{string.Join(",", inclusion.Select(p => $"{{\"index\":{p.Index},\"size\":{p.Size},\"leaf\":\"{p.Leaf}\",\"root\":\"{p.Root}\",\"path\":[{Hex(p.Path)}]}}"))}],");
        json.Append(CultureInfo.InvariantCulture, $"\"consistency\":[{string.Join(",", consistency.Select(p => $"{{\"first\":{p.First},\"second\":{p.Second},\"firstRoot\":\"{p.FirstRoot}\",\"secondRoot\":\"{p.SecondRoot}\",\"path\":[{Hex(p.Path)}]}}"))}],");
        json.Append(CultureInfo.InvariantCulture, $"\"cosignatures\":[{string.Join(",", cosignatures.Select(c => $"{{\"witnessKey\":{JsonSerializer.Serialize(c.Witness.VerifierKey)},\"note\":{JsonSerializer.Serialize(c.Note)}}}"))}]}}");

        // Our verdicts, in the Go program's output format.
        var ours = new List<string>();
        for (var i = 0; i < checkpoints.Count; i++)
        {
            var note = SignedNote.Parse(checkpoints[i]);
            var c = Checkpoint.Parse(note.Text);
            ours.Add(note.IsVerifiedBy(key) ? $"checkpoint {i} ok {c.Origin} {c.Size} {c.Root}" : $"checkpoint {i} fail");
        }

        ours.AddRange(inclusion.Select((p, i) => $"inclusion {i} {(MerkleProofs.VerifyInclusion(p.Index, p.Size, p.Leaf, p.Path, p.Root) ? "ok" : "fail")}"));
        ours.AddRange(consistency.Select((p, i) => $"consistency {i} {(MerkleProofs.VerifyConsistency(p.First, p.Second, p.FirstRoot, p.SecondRoot, p.Path) ? "ok" : "fail")}"));
        ours.AddRange(cosignatures.Select((c, i) =>
        {
            var note = SignedNote.Parse(c.Note);
            var line = note.Signatures.FirstOrDefault(s => s.KeyName == c.Witness.KeyName && s.KeyId == c.Witness.KeyId);
            var timestamp = line is null ? null : c.Witness.VerifiedTimestamp(Encoding.UTF8.GetBytes(note.Text), line.Signature);
            return timestamp is { } t ? $"cosignature {i} ok {t}" : $"cosignature {i} fail";
        }));

        var run = Run(binary, "", json.ToString(), environment);
        Assert.True(run.Code == 0, $"the Go verifier failed: {run.Err}");
        var theirs = run.Out.TrimEnd('\n').Split('\n');
        Assert.Equal(ours.Count, theirs.Length);
        var disagreements = ours.Zip(theirs).Where(p => p.First != p.Second).Select(p => $"ours: {p.First} | Go: {p.Second}").ToList();
        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements.Take(20)));

        int Count(string kind, string verdict) => ours.Count(l => l.StartsWith(kind, StringComparison.Ordinal) && l.Split(' ')[2] == verdict);
        output.WriteLine($"Go ({Run(go!, "version", null, environment).Out.Trim()}, golang.org/x/mod from {gopath}) agrees on all {ours.Count} verdicts for a log of {Events} events:");
        foreach (var kind in new[] { "checkpoint", "inclusion", "consistency", "cosignature" })
        {
            output.WriteLine($"  {kind}: {Count(kind, "ok")} accepted, {Count(kind, "fail")} rejected");
        }

        Assert.True(Count("inclusion", "fail") > 0 && Count("consistency", "fail") > 0 && Count("checkpoint", "fail") == 3 && Count("cosignature", "ok") == 2);
        work.Delete(recursive: true);
    }
}
