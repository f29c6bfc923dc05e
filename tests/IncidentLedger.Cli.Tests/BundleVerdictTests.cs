using System.Text.Json.Nodes;
using IncidentLedger.Integrity.Checkpoints;
using IncidentLedger.Integrity.Tests.Support;

namespace IncidentLedger.Cli.Tests;

/// <summary>`ledger verify` and `ledger receipt verify` on genuine bundles built in memory: exit codes, one-line reasons, no stack traces.</summary>
public sealed class BundleVerdictTests : IDisposable
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("ledger-cli-");
    private readonly BundleBuilder genuine = BundleBuilder.Genuine();

    public void Dispose() => work.Delete(recursive: true);

    private string Key => genuine.LogKey.VerifierKey;

    private string Write(string name, string text)
    {
        var path = Path.Combine(work.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    public static async Task<(int Code, string Output)> LedgerAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await LedgerCli.RunAsync(args, output, error);
        return (code, output + error.ToString());
    }

    private static void AssertOneLineReason(string output, string expected)
    {
        Assert.Contains(expected, output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("TAMPERED", output, StringComparison.Ordinal);
        Assert.DoesNotContain("intact", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fully_signed_ed25519_bundle_is_intact()
    {
        var (code, output) = await LedgerAsync("verify", Write("b.jsonl", genuine.Text()), "--key", Key);
        Assert.True(code == 0, output);
        Assert.Contains("intact: 24 events, 3 checkpoints, signed size 24", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bundle_without_checkpoints_exits_3_and_is_never_intact()
    {
        var (code, output) = await LedgerAsync("verify", Write("b.jsonl", BundleBuilder.Genuine(checkpointEvery: 0).Text()), "--key", Key);
        Assert.Equal(3, code);
        Assert.Contains("UNSIGNED", output, StringComparison.Ordinal);
        Assert.DoesNotContain("intact:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rewritten_tail_without_its_checkpoints_exits_3_with_count_and_position()
    {
        var (code, output) = await LedgerAsync("verify", Write("b.jsonl", BundleBuilder.Genuine(rewriteFrom: 16, signUpTo: 16).Text()), "--key", Key);
        Assert.Equal(3, code);
        Assert.Contains("8 entries from position 16", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_file_exits_2_with_a_message()
    {
        var (code, output) = await LedgerAsync("verify", Write("empty.jsonl", ""), "--key", Key);
        Assert.Equal(2, code);
        AssertOneLineReason(output, "the file is empty");
    }

    [Fact]
    public async Task A_trusted_file_that_is_not_a_signed_note_exits_2()
    {
        var (code, output) = await LedgerAsync("verify", Write("b.jsonl", genuine.Text()), "--key", Key, "--trusted", Write("t.txt", "hello\n"));
        Assert.Equal(2, code);
        AssertOneLineReason(output, "is not a signed checkpoint note");
    }

    [Theory]
    [InlineData("ledger.example.org/incidents+abcdef01+AgAAAA==")]
    [InlineData("ledger.example.org/incidents")]
    [InlineData("ledger.example.org/incidents+zz+AQ==")]
    public async Task A_malformed_verifier_key_in_the_header_exits_2(string key)
    {
        var lines = genuine.Lines();
        lines[0] = BundleBuilder.Line(genuine.HeaderNode([key]));
        var (code, output) = await LedgerAsync("verify", Write("b.jsonl", BundleBuilder.Join(lines)));
        Assert.Equal(2, code);
        AssertOneLineReason(output, "verifier key");
    }

    [Fact]
    public async Task Invalid_utf8_in_an_entry_exits_2_with_its_line()
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(genuine.Text());
        var at = Array.IndexOf(bytes, (byte)'\n') + 40;
        bytes[at] = 0xFF;
        var path = Path.Combine(work.FullName, "bad.jsonl");
        await File.WriteAllBytesAsync(path, bytes);
        var (code, output) = await LedgerAsync("verify", path, "--key", Key);
        Assert.Equal(2, code);
        AssertOneLineReason(output, "line 2 (position 0): the entry is malformed: the entry line is not valid UTF-8");
    }

    [Fact]
    public async Task A_malformed_key_on_the_command_line_exits_2()
    {
        var (code, output) = await LedgerAsync("verify", Write("b.jsonl", genuine.Text()), "--key", "not-a-key");
        Assert.Equal(2, code);
        AssertOneLineReason(output, "Bad --key");
    }

    [Fact]
    public async Task A_header_without_checkpoints_exits_2()
    {
        var lines = genuine.Lines();
        var header = genuine.HeaderNode();
        header.Remove("checkpoints");
        lines[0] = BundleBuilder.Line(header);
        var (code, output) = await LedgerAsync("verify", Write("b.jsonl", BundleBuilder.Join(lines)), "--key", Key);
        Assert.Equal(2, code);
        AssertOneLineReason(output, "lacks \"checkpoints\"");
    }

    [Fact]
    public async Task A_case_variant_duplicate_header_member_exits_2()
    {
        var lines = genuine.Lines();
        lines[0] = lines[0].Replace("{\"checkpoints\":", "{\"Checkpoints\":[],\"checkpoints\":", StringComparison.Ordinal);
        var (code, output) = await LedgerAsync("verify", Write("b.jsonl", BundleBuilder.Join(lines)), "--key", Key);
        Assert.Equal(2, code);
        AssertOneLineReason(output, "has undefined \"Checkpoints\"");
    }

    [Fact]
    public async Task A_changed_covered_entry_exits_1_at_its_position()
    {
        var lines = genuine.Lines();
        var node = JsonNode.Parse(lines[1 + 9])!;
        node["event"]!["data"]!["severity"] = 3;
        lines[1 + 9] = BundleBuilder.Line(node);
        var (code, output) = await LedgerAsync("verify", Write("b.jsonl", BundleBuilder.Join(lines)), "--key", Key);
        Assert.Equal(1, code);
        Assert.Contains("TAMPERED: position 9: HashMismatch", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_quorum_of_witnesses_is_required_when_asked_for()
    {
        var (w1, w2) = (TestEd25519.Witness("w1.example"), TestEd25519.Witness("w2.example"));
        var bundle = BundleBuilder.Genuine();
        var file = Write("b.jsonl", bundle.Text());
        var (code, output) = await LedgerAsync("verify", file, "--key", Key, "--witness", w1.VerifierKey, "--witness", w2.VerifierKey, "--quorum", "2");
        Assert.Equal(3, code);
        Assert.Contains("no entry is covered by a checkpoint cosigned by 2 known witnesses", output, StringComparison.Ordinal);

        bundle.Checkpoints[^1] = CosignedNotes.Merge(w1.Cosign(bundle.Checkpoints[^1], 1), w2.Cosign(bundle.Checkpoints[^1], 2));
        (code, output) = await LedgerAsync("verify", Write("c.jsonl", bundle.Text()), "--key", Key, "--witness", w1.VerifierKey, "--witness", w2.VerifierKey, "--quorum", "2");
        Assert.True(code == 0, output);

        (code, output) = await LedgerAsync("verify", file, "--key", Key, "--witness", w1.VerifierKey, "--quorum", "2");
        Assert.Equal(2, code);
        (code, output) = await LedgerAsync("verify", file, "--key", Key, "--witness", Key, "--quorum", "1");
        Assert.Equal(2, code);
    }

    [Fact]
    public async Task Receipt_verify_has_an_exit_code_for_each_answer()
    {
        var bundle = Write("b.jsonl", genuine.Text());
        var (code, output) = await LedgerAsync("receipt", "verify", Write("r.txt", genuine.Receipt(7, TimeSpan.FromMinutes(1))), bundle, "--key", Key);
        Assert.True(code == 0, output);
        Assert.Contains("kept: event 01935f2a-7c00-7000-8000-000000000007 is at position 7", output, StringComparison.Ordinal);

        var rewritten = BundleBuilder.Genuine(rewriteFrom: 16, signUpTo: 16);
        rewritten.Sign();
        (code, output) = await LedgerAsync("receipt", "verify", Write("r2.txt", genuine.Receipt(17, TimeSpan.FromMinutes(1))), Write("rw.jsonl", rewritten.Text()), "--key", Key);
        Assert.Equal(4, code);
        Assert.Contains("EVIDENCE AGAINST THE LOG (changed)", output, StringComparison.Ordinal);

        (code, output) = await LedgerAsync("receipt", "verify", Write("r3.txt", genuine.Receipt(20, TimeSpan.FromMinutes(1))), Write("u.jsonl", BundleBuilder.Genuine(signUpTo: 16).Text()), "--key", Key);
        Assert.Equal(3, code);

        (code, output) = await LedgerAsync("receipt", "verify", Write("r4.txt", "garbage"), bundle, "--key", Key);
        Assert.Equal(2, code);
        AssertOneLineReason(output, "the receipt is malformed");
    }

    [Fact]
    public async Task Key_generate_writes_an_ed25519_key_and_prints_its_verifier_key_and_never_overwrites()
    {
        var file = Path.Combine(work.FullName, "log.pem");
        var (code, output) = await LedgerAsync("key", "generate", "--name", "ledger.example.org/incidents", "--out", file);
        Assert.True(code == 0, output);
        var verifier = VerifierKeys.Parse(output.Trim());
        Assert.IsType<Ed25519NoteKey>(verifier);
        Assert.Contains("BEGIN PRIVATE KEY", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        var signer = EventStore.Sealing.CheckpointKeys.LoadFile("ledger.example.org/incidents", file, createIfMissing: false);
        Assert.True(SignedNote.Parse(SignedNote.Sign("x\n", signer).ToString()).IsVerifiedBy(verifier));

        (code, _) = await LedgerAsync("key", "generate", "--name", "ledger.example.org/incidents", "--out", file);
        Assert.Equal(2, code);

        (code, output) = await LedgerAsync("key", "generate", "--name", "w1.example", "--out", Path.Combine(work.FullName, "w.pem"), "--witness");
        Assert.True(code == 0, output);
        Assert.IsType<CosignatureKey>(VerifierKeys.Parse(output.Trim()));
    }
}
