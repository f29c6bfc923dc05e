using System.Text.Json.Nodes;
using IncidentLedger.Integrity.Checkpoints;
using IncidentLedger.Integrity.Receipts;
using IncidentLedger.Integrity.Tests.Support;
using IncidentLedger.Testing;

namespace IncidentLedger.Cli.Tests;

/// <summary>
/// The issue's end-to-end story on a PostgreSQL ledger: two witnesses cosign its checkpoint; the operator,
/// with superuser rights and the log key, deletes the recent checkpoints, rewrites and re-chains the tail and
/// has the sealer seal and sign it again; the witnesses refuse to cosign the rewritten log; `ledger verify
/// --quorum` fails; the receipts the operator issued for the rewritten events prove the rewrite.
/// </summary>
public sealed class TamperEvidenceEndToEndTests : IAsyncLifetime
{
    private const int RewriteFrom = 40;
    private readonly SealedLedger ledger = new();
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("ledger-e2e-");
    private LogServer server = null!;

    public async ValueTask InitializeAsync()
    {
        await ledger.InitializeAsync();
        server = new LogServer(ledger.Log);
    }

    public async ValueTask DisposeAsync()
    {
        server.Dispose();
        work.Delete(recursive: true);
        await ledger.DisposeAsync();
    }

    private string PathOf(string name) => Path.Combine(work.FullName, name);

    private string Write(string name, string text)
    {
        File.WriteAllText(PathOf(name), text);
        return PathOf(name);
    }

    /// <summary>The receipt the ledger signs for an accepted write (here issued from the stored event).</summary>
    private async Task<string> ReceiptAsync(Guid eventId)
    {
        var stored = (await ledger.Export.EventAsync(eventId))!;
        return Write($"receipt-{eventId:N}.txt", FilingReceipts.Issue(SealedLedger.Origin, stored.EnvelopeIn(SealedLedger.Origin), stored.Hash, TimeSpan.FromMinutes(1), ledger.CheckpointKey));
    }

    [Fact]
    public async Task Witnesses_refuse_a_rewritten_log_the_quorum_fails_and_the_receipts_prove_the_rewrite()
    {
        var logKey = ledger.CheckpointKey.VerifierKey;
        var rewrittenIds = ledger.EventIds[RewriteFrom..];
        var receipts = new List<string>();
        foreach (var id in rewrittenIds)
        {
            receipts.Add(await ReceiptAsync(id));
        }

        var untouchedReceipt = await ReceiptAsync(ledger.EventIds[3]);

        var witnessKeys = new List<string>();
        foreach (var w in new[] { "w1", "w2" })
        {
            var (code, output) = await ledger.LedgerAsync("key", "generate", "--name", $"{w}.witness.example", "--out", PathOf($"{w}.pem"), "--witness");
            Assert.True(code == 0, output);
            witnessKeys.Add(output.Trim());
        }

        Task<(int Code, string Output)> WitnessAsync(string w) => ledger.LedgerAsync(
            "witness", "--log", server.Url.ToString(), "--log-key", logKey, "--state", PathOf($"{w}.state"), "--key", PathOf($"{w}.pem"), "--name", $"{w}.witness.example");

        // 1. Both witnesses cosign the ledger's checkpoint at size 60.
        foreach (var w in new[] { "w1", "w2" })
        {
            var (code, output) = await WitnessAsync(w);
            Assert.True(code == 0, output);
            Assert.Contains($"cosigned {SealedLedger.Origin} at size 60", output, StringComparison.Ordinal);
        }

        var cosigned = CosignedNotes.Merge(SignedNote.Parse(File.ReadAllText(PathOf("w1.state"))), SignedNote.Parse(File.ReadAllText(PathOf("w2.state"))));
        var witnessed = Write("witnessed.txt", cosigned.ToString());
        string[] quorum = ["--key", logKey, "--witness", witnessKeys[0], "--witness", witnessKeys[1], "--quorum", "2"];

        // The genuine export, its last checkpoint merged with the witnesses' cosignatures, verifies with the quorum.
        var genuine = await ledger.ExportAsync();
        WithCheckpoint(genuine, cosigned);
        var (verified, report) = await ledger.LedgerAsync(["verify", genuine, .. quorum]);
        Assert.True(verified == 0, report);

        // 2. The operator rewrites the events from position 40 and has the sealer sign the result with the log key.
        await RewriteTailAsync(rewrittenIds);
        var resigned = (await ledger.Log.LatestCheckpointAsync())!.Checkpoint;
        Assert.Equal(60, resigned.Size);
        Assert.NotEqual(Checkpoint.Parse(cosigned.Text).Root, resigned.Root);

        // 3. The witnesses refuse: same size, another root.
        foreach (var w in new[] { "w1", "w2" })
        {
            var (code, output) = await WitnessAsync(w);
            Assert.Equal(1, code);
            Assert.Contains("the log forked", output, StringComparison.Ordinal);
        }

        // …and once the rewritten log has grown, the consistency proof from what they saw fails.
        await ledger.WriteOrganisationsAsync(5, 1);
        var sealer = ledger.CreateSealer(o => o with { BatchSize = 10, CheckpointEveryEvents = 5 });
        Assert.Equal(65, (await sealer.SealOnceAsync()).Checkpoint!.Size);
        foreach (var w in new[] { "w1", "w2" })
        {
            var (code, output) = await WitnessAsync(w);
            Assert.Equal(1, code);
            Assert.Contains("it was rewritten", output, StringComparison.Ordinal);
            Assert.Equal(cosigned.Text, SignedNote.Parse(File.ReadAllText(PathOf($"{w}.state"))).Text);
        }

        // 4. Verification with the quorum fails: nothing in the rewritten export is witnessed…
        var bundle = await ledger.ExportAsync();
        var (exit, text) = await ledger.LedgerAsync(["verify", bundle, .. quorum]);
        Assert.True(exit == 3, text);
        Assert.Contains("no entry is covered by a checkpoint cosigned by 2 known witnesses", text, StringComparison.Ordinal);

        // …and with the witnessed checkpoint in hand, the rewrite is a fork at size 60.
        (exit, text) = await ledger.LedgerAsync(["verify", bundle, .. quorum, "--trusted", witnessed]);
        Assert.True(exit == 1, text);
        Assert.Contains("position 60: Fork", text, StringComparison.Ordinal);

        // Without witnesses, the log key alone vouches for the rewrite: which is why witnesses and receipts exist.
        (exit, text) = await ledger.LedgerAsync("verify", bundle, "--key", logKey);
        Assert.True(exit == 0, text);

        // 5. Every receipt the operator issued for a rewritten event is evidence against the log.
        foreach (var receipt in receipts)
        {
            var (code, output) = await ledger.LedgerAsync("receipt", "verify", receipt, bundle, "--key", logKey);
            Assert.True(code == 4, output);
            Assert.Contains("EVIDENCE AGAINST THE LOG (changed)", output, StringComparison.Ordinal);
        }

        // The receipt of an untouched event still verifies.
        var (kept, keptOutput) = await ledger.LedgerAsync("receipt", "verify", untouchedReceipt, bundle, "--key", logKey);
        Assert.True(kept == 0, keptOutput);
    }

    /// <summary>Replaces the bundle header's checkpoint of the same size with <paramref name="note"/> (as a verifier does with a witnessed one).</summary>
    private static void WithCheckpoint(string bundle, SignedNote note)
    {
        var lines = File.ReadAllLines(bundle);
        var header = JsonNode.Parse(lines[0])!;
        var checkpoints = header["checkpoints"]!.AsArray();
        var size = Checkpoint.Parse(note.Text).Size;
        var index = checkpoints.Select((c, i) => (c, i)).Single(x => Checkpoint.Parse(SignedNote.Parse(x.c!.GetValue<string>()).Text).Size == size).i;
        checkpoints[index] = note.ToString();
        lines[0] = BundleBuilder.Line(header);
        File.WriteAllLines(bundle, lines);
    }

    /// <summary>
    /// What the operator can do with superuser rights and the log key: rewrite and re-chain the events from
    /// <see cref="RewriteFrom"/> on, delete the sealed log and checkpoints above it (<see cref="OperatorRewrite"/>)
    /// and let the sealer seal and sign the result.
    /// </summary>
    private async Task RewriteTailAsync(IReadOnlyList<Guid> eventIds)
    {
        Assert.Equal(eventIds, await OperatorRewrite.RewriteTailAsync(ledger.Owner, SealedLedger.Origin, RewriteFrom));
        var sealer = ledger.CreateSealer(o => o with { BatchSize = 10, CheckpointEveryEvents = 10 });
        while ((await sealer.SealOnceAsync()).Sealed > 0)
        {
        }
    }
}
