using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentLedger.Integrity;
using IncidentLedger.Integrity.Bundles;
using IncidentLedger.Integrity.Checkpoints;
using IncidentLedger.Integrity.Merkle;
using IncidentLedger.Integrity.Tests.Support;

namespace IncidentLedger.Cli.Tests;

/// <summary>`ledger verify` on bundles: intact, and each way a log can be tampered with, detected and located.</summary>
public sealed class VerifyTests : IAsyncLifetime
{
    private readonly SealedLedger ledger = new();

    public ValueTask InitializeAsync() => ledger.InitializeAsync();

    public ValueTask DisposeAsync() => ledger.DisposeAsync();

    private string Key => ledger.CheckpointKey.VerifierKey;

    private async Task<(int Code, string Output)> VerifyAsync(string file, params string[] extra) =>
        await ledger.LedgerAsync(["verify", file, "--key", Key, .. extra]);

    private static void Rewrite(string file, Func<List<string>, List<string>> change) =>
        File.WriteAllLines(file, change([.. File.ReadAllLines(file)]));

    [Fact]
    public async Task An_untouched_log_verifies()
    {
        var (code, output) = await VerifyAsync(await ledger.ExportAsync());
        Assert.True(code == 0, output);
        Assert.Contains("intact: 60 events, 6 checkpoints, signed size 60", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_trusted_key_the_report_says_whose_keys_it_used()
    {
        var (code, output) = await ledger.LedgerAsync("verify", await ledger.ExportAsync());
        Assert.Equal(0, code);
        Assert.Contains("keys the bundle names", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_payload_in_the_database_is_located_at_its_position()
    {
        var target = ledger.EventIds[23];
        await ledger.TamperAsync($@"UPDATE mt_events SET data = jsonb_set(data, '{{name}}', '""Evil Ltd""') WHERE id = '{target}'");
        var (code, output) = await VerifyAsync(await ledger.ExportAsync());
        Assert.Equal(1, code);
        Assert.Contains("position 23: HashMismatch", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_event_in_the_database_is_located_at_its_position()
    {
        await ledger.TamperAsync($"DELETE FROM mt_events WHERE id = '{ledger.EventIds[41]}'");
        var (code, output) = await VerifyAsync(await ledger.ExportAsync());
        Assert.Equal(1, code);
        Assert.Contains("position 41: PositionOutOfOrder", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_inserted_event_is_located_where_it_was_slipped_in()
    {
        var file = await ledger.ExportAsync();
        Rewrite(file, lines =>
        {
            // A forged entry at position 15, the rest renumbered to make room.
            var forged = JsonNode.Parse(lines[16])!;
            forged["event"]!["eventId"] = Guid.NewGuid().ToString();
            lines.Insert(16, BundleBuilder.Line(forged));
            for (var i = 16; i < lines.Count; i++)
            {
                var node = JsonNode.Parse(lines[i])!;
                node["position"] = i - 1;
                lines[i] = BundleBuilder.Line(node);
            }

            return lines;
        });
        var (code, output) = await VerifyAsync(file);
        Assert.Equal(1, code);
        Assert.Contains("position 15:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_swapped_events_are_located_at_the_first_of_them()
    {
        var file = await ledger.ExportAsync();
        Rewrite(file, lines =>
        {
            var a = JsonNode.Parse(lines[1 + 30])!;
            var b = JsonNode.Parse(lines[1 + 44])!;
            (a["position"], b["position"]) = (44, 30);
            (lines[1 + 30], lines[1 + 44]) = (BundleBuilder.Line(b), BundleBuilder.Line(a));
            return lines;
        });
        var (code, output) = await VerifyAsync(file);
        Assert.Equal(1, code);
        Assert.Contains("position 30:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reordering_that_also_rewrites_the_stored_leaves_is_caught_by_the_signed_checkpoint()
    {
        var file = await ledger.ExportAsync();
        Rewrite(file, lines =>
        {
            // Positions 39 and 40 hold the last event of one stream and the first of the next, so every
            // stream chain still reads in order; the forger also recomputes the stored leaves.
            var a = JsonNode.Parse(lines[1 + 39])!;
            var b = JsonNode.Parse(lines[1 + 40])!;
            (a["position"], b["position"]) = (40, 39);
            foreach (var node in new[] { a, b })
            {
                node["leaf"] = MerkleHasher.Leaf(Hash.FromHex(node["event"]!["hash"]!.GetValue<string>()).Bytes).ToString();
            }

            (lines[1 + 39], lines[1 + 40]) = (BundleBuilder.Line(b), BundleBuilder.Line(a));
            return lines;
        });
        var (code, output) = await VerifyAsync(file);
        Assert.Equal(1, code);
        Assert.Contains("CheckpointMismatch", output, StringComparison.Ordinal);
        Assert.Contains("between positions 30 and 39", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_log_rolled_back_to_an_older_checkpoint_is_detected()
    {
        var file = await ledger.ExportAsync();
        var header = JsonSerializer.Deserialize<BundleHeader>(File.ReadLines(file).First(), BundleFormat.Json)!;
        var trusted = Path.GetTempFileName();
        await File.WriteAllTextAsync(trusted, header.Checkpoints[^1]);

        // The operator serves an older state: the last 20 entries and the checkpoints that covered them are gone.
        Rewrite(file, lines =>
        {
            var old = header with { Size = 40, Checkpoints = [.. header.Checkpoints.Take(4)] };
            return [JsonSerializer.Serialize(old, BundleFormat.Json), .. lines.Skip(1).Take(40)];
        });
        var (code, output) = await VerifyAsync(file, "--trusted", trusted);
        Assert.Equal(1, code);
        Assert.Contains("RolledBack", output, StringComparison.Ordinal);
        Assert.Contains("rolled back", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_signed_checkpoints_of_one_size_with_different_roots_are_a_fork()
    {
        var file = await ledger.ExportAsync();
        var header = JsonSerializer.Deserialize<BundleHeader>(File.ReadLines(file).First(), BundleFormat.Json)!;
        var forked = SignedNote.Sign(new Checkpoint(SealedLedger.Origin, 30, Hash.Sha256("another history"u8)).ToNoteText(), ledger.CheckpointKey).ToString();
        Rewrite(file, lines => [JsonSerializer.Serialize(header with { Checkpoints = [.. header.Checkpoints, forked] }, BundleFormat.Json), .. lines.Skip(1)]);

        var (code, output) = await VerifyAsync(file);
        Assert.Equal(1, code);
        Assert.Contains("Fork", output, StringComparison.Ordinal);
        Assert.Contains("size 30", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trusted_checkpoint_the_log_contradicts_is_a_fork()
    {
        var file = await ledger.ExportAsync();
        var other = Path.GetTempFileName();
        await File.WriteAllTextAsync(other, SignedNote.Sign(new Checkpoint(SealedLedger.Origin, 25, Hash.Sha256("what we saw"u8)).ToNoteText(), ledger.CheckpointKey).ToString());
        var (code, output) = await VerifyAsync(file, "--trusted", other);
        Assert.Equal(1, code);
        Assert.Contains("position 25: Fork", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checkpoints_signed_by_another_key_are_refused()
    {
        using var stranger = EcdsaNoteKey.Generate(SealedLedger.Origin);
        var (code, output) = await ledger.LedgerAsync("verify", await ledger.ExportAsync(), "--key", stranger.VerifierKey);
        Assert.Equal(1, code);
        Assert.Contains("BadSignature", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proof_verifies_offline_and_a_doctored_one_does_not()
    {
        var file = Path.GetTempFileName();
        var (code, output) = await ledger.LedgerAsync("proof", ledger.EventIds[17].ToString(), "--connection", ledger.ConnectionString, "--schema", ledger.Schema, "--out", file);
        Assert.True(code == 0, output);
        (code, output) = await VerifyAsync(file);
        Assert.True(code == 0, output);
        Assert.Contains("position 17", output, StringComparison.Ordinal);

        var proof = JsonNode.Parse(await File.ReadAllTextAsync(file))!;
        proof["event"]!["data"]!["name"] = "Evil Ltd";
        await File.WriteAllTextAsync(file, proof.ToJsonString());
        (code, output) = await VerifyAsync(file);
        Assert.Equal(1, code);
        Assert.Contains("HashMismatch", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("verify")]
    [InlineData("verify", "/no/such/bundle.jsonl")]
    [InlineData("frobnicate")]
    [InlineData("proof", "not-a-guid")]
    public async Task Usage_errors_exit_with_code_2(params string[] args)
    {
        var (code, _) = await ledger.LedgerAsync(args);
        Assert.Equal(2, code);
    }
}
