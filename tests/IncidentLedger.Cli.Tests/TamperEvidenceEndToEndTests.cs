using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using IncidentLedger.Integrity;
using IncidentLedger.Integrity.Checkpoints;
using IncidentLedger.Integrity.Merkle;
using IncidentLedger.Integrity.Tests.Support;
using IncidentLedger.Testing;

namespace IncidentLedger.Cli.Tests;

/// <summary>A log served from memory (/log/checkpoint, /log/consistency), which the test can swap for a rewritten one.</summary>
public sealed class InMemoryLogServer : IDisposable
{
    private readonly LoopbackHttpServer server;

    public InMemoryLogServer(BundleBuilder log)
    {
        Log = log;
        server = new LoopbackHttpServer("/", AnswerAsync);
    }

    public BundleBuilder Log { get; set; }

    public Uri Url => server.Url;

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var log = Log;
        string body;
        if (context.Request.Url!.AbsolutePath == "/log/checkpoint")
        {
            body = log.Checkpoints[^1].ToString();
        }
        else
        {
            var first = long.Parse(context.Request.QueryString["first"]!, CultureInfo.InvariantCulture);
            var second = long.Parse(context.Request.QueryString["second"]!, CultureInfo.InvariantCulture);
            var nodes = new Dictionary<(int, long), Hash>();
            var tree = new MerkleAccumulator();
            foreach (var (_, hash) in log.Events.Take((int)second))
            {
                foreach (var node in tree.Append(MerkleHasher.Leaf(hash.Bytes)))
                {
                    nodes[(node.Level, node.Index)] = node.Hash;
                }
            }

            var path = MerkleProofs.ConsistencyRanges(first, second).Select(r => MerkleProofs.HashOf(r, (l, i) => nodes[(l, i)]).ToString());
            body = JsonSerializer.Serialize(new { first, second, path });
        }

        await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(body));
    }

    public void Dispose() => server.Dispose();
}

/// <summary>
/// The end-to-end story, on a log held in memory: two witnesses cosign; the operator (who holds the
/// log key) deletes the recent checkpoints and rewrites the tail; the witnesses refuse to cosign the rewritten
/// log; `ledger verify --quorum` fails; the operator's own receipts for the rewritten events prove the rewrite.
/// </summary>
public sealed class TamperEvidenceEndToEndTests : IDisposable
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("ledger-e2e-");

    public void Dispose() => work.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(work.FullName, name);

    private string Write(string name, string text)
    {
        File.WriteAllText(PathOf(name), text);
        return PathOf(name);
    }

    [Fact]
    public async Task Witnesses_refuse_a_rewritten_log_the_quorum_fails_and_the_receipts_prove_the_rewrite()
    {
        var genuine = BundleBuilder.Genuine(events: 40, checkpointEvery: 8);
        var logKey = genuine.LogKey.VerifierKey;
        var receipts = Enumerable.Range(24, 16).Select(i => Write($"receipt-{i}.txt", genuine.Receipt(i, TimeSpan.FromMinutes(1)))).ToList();
        using var server = new InMemoryLogServer(genuine);

        var witnessKeys = new List<string>();
        foreach (var w in new[] { "w1", "w2" })
        {
            var (code, output) = await BundleVerdictTests.LedgerAsync("key", "generate", "--name", $"{w}.witness.example", "--out", PathOf($"{w}.pem"), "--witness");
            Assert.True(code == 0, output);
            witnessKeys.Add(output.Trim());
        }

        Task<(int Code, string Output)> WitnessAsync(string w) => BundleVerdictTests.LedgerAsync(
            "witness", "--log", server.Url.ToString(), "--log-key", logKey, "--state", PathOf($"{w}.state"), "--key", PathOf($"{w}.pem"), "--name", $"{w}.witness.example");

        // 1. Both witnesses cosign the genuine log at size 40.
        foreach (var w in new[] { "w1", "w2" })
        {
            var (code, output) = await WitnessAsync(w);
            Assert.True(code == 0, output);
            Assert.Contains("cosigned ledger.example.org/incidents at size 40", output, StringComparison.Ordinal);
        }

        var cosigned = CosignedNotes.Merge(SignedNote.Parse(File.ReadAllText(PathOf("w1.state"))), SignedNote.Parse(File.ReadAllText(PathOf("w2.state"))));
        var witnessed = Write("witnessed.txt", cosigned.ToString());
        string[] quorum = ["--key", logKey, "--witness", witnessKeys[0], "--witness", witnessKeys[1], "--quorum", "2"];

        // The genuine bundle with the cosigned checkpoint verifies with the quorum.
        genuine.Checkpoints[^1] = cosigned;
        var (verified, report) = await BundleVerdictTests.LedgerAsync(["verify", Write("genuine.jsonl", genuine.Text()), .. quorum]);
        Assert.True(verified == 0, report);

        // 2. The operator deletes the checkpoints above 24, rewrites entries 24… and re-signs with the log key it holds.
        var rewritten = BundleBuilder.Genuine(events: 40, checkpointEvery: 8, rewriteFrom: 24, signUpTo: 24);
        rewritten.Sign();
        server.Log = rewritten;

        // 3. The witnesses refuse: same size, another root.
        foreach (var w in new[] { "w1", "w2" })
        {
            var (code, output) = await WitnessAsync(w);
            Assert.Equal(1, code);
            Assert.Contains("the log forked", output, StringComparison.Ordinal);
        }

        // …and when the rewritten log has grown, the consistency proof from what they saw fails.
        for (var i = 0; i < 5; i++)
        {
            rewritten.Append(Guid.NewGuid(), "incident", """{"later":true}""");
        }

        rewritten.Sign();
        foreach (var w in new[] { "w1", "w2" })
        {
            var (code, output) = await WitnessAsync(w);
            Assert.Equal(1, code);
            Assert.Contains("it was rewritten", output, StringComparison.Ordinal);
            Assert.Equal(cosigned.Text, SignedNote.Parse(File.ReadAllText(PathOf($"{w}.state"))).Text);
        }

        // 4. Verification with the quorum fails: nothing in the rewritten bundle is witnessed…
        var bundle = Write("rewritten.jsonl", rewritten.Text());
        var (exit, text) = await BundleVerdictTests.LedgerAsync(["verify", bundle, .. quorum]);
        Assert.Equal(3, exit);
        Assert.Contains("no entry is covered by a checkpoint cosigned by 2 known witnesses", text, StringComparison.Ordinal);

        // …and with the witnessed checkpoint in hand, the rewrite is a fork at size 40.
        (exit, text) = await BundleVerdictTests.LedgerAsync(["verify", bundle, .. quorum, "--trusted", witnessed]);
        Assert.Equal(1, exit);
        Assert.Contains("position 40: Fork", text, StringComparison.Ordinal);

        // Without witnesses, the log key alone vouches for the rewrite: which is why witnesses and receipts exist.
        (exit, _) = await BundleVerdictTests.LedgerAsync("verify", bundle, "--key", logKey);
        Assert.Equal(0, exit);

        // 5. Every receipt the operator issued for a rewritten event is evidence against the log.
        foreach (var receipt in receipts)
        {
            var (code, output) = await BundleVerdictTests.LedgerAsync("receipt", "verify", receipt, bundle, "--key", logKey);
            Assert.True(code == 4, output);
            Assert.Contains("EVIDENCE AGAINST THE LOG (changed)", output, StringComparison.Ordinal);
        }

        // The receipts of untouched events still verify.
        var (kept, keptOutput) = await BundleVerdictTests.LedgerAsync("receipt", "verify", Write("receipt-3.txt", genuine.Receipt(3, TimeSpan.FromMinutes(1))), bundle, "--key", logKey);
        Assert.True(kept == 0, keptOutput);
    }
}
