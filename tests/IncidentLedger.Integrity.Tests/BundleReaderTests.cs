using System.Text.Json.Nodes;
using IncidentLedger.Integrity.Bundles;
using IncidentLedger.Integrity.Checkpoints;
using IncidentLedger.Integrity.Tests.Support;

namespace IncidentLedger.Integrity.Tests;

/// <summary>The strict bundle format: each leniency the outside audit found is now refused as malformed, never judged.</summary>
public sealed class BundleReaderTests
{
    private static readonly BundleBuilder Genuine = BundleBuilder.Genuine();

    private static BundleReport Verify(string text) => BundleVerifier.Verify(text, new BundleVerificationOptions { TrustedKeys = [Genuine.LogKey as INoteVerifier ?? throw new InvalidOperationException()] });

    private static string WithLine(int index, string line)
    {
        var lines = Genuine.Lines();
        lines[index] = line;
        return BundleBuilder.Join(lines);
    }

    private static void AssertMalformed(string text, string reason)
    {
        var report = Verify(text);
        Assert.True(report.Verdict == BundleVerdict.Malformed, $"{report.Verdict}: {report.Finding}");
        Assert.Contains(reason, report.Finding!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', report.Finding.Message);
    }

    [Fact]
    public void A_genuine_bundle_is_intact_and_the_library_writes_exactly_the_lines_the_builder_writes()
    {
        var report = Verify(Genuine.Text());
        Assert.True(report.IsIntact, report.Finding?.ToString());
        Assert.Equal(24, report.VouchedSize);
        var header = BundleReader.ReadHeader(System.Text.Encoding.UTF8.GetBytes(Genuine.Lines()[0]));
        Assert.Equal(Genuine.Lines()[0], System.Text.Json.JsonSerializer.Serialize(header, BundleFormat.Json));
        for (var i = 0; i < Genuine.Events.Count; i++)
        {
            var entry = BundleReader.ReadEntry(System.Text.Encoding.UTF8.GetBytes(Genuine.Lines()[i + 1]));
            Assert.Equal(Genuine.Lines()[i + 1], System.Text.Json.JsonSerializer.Serialize(entry, BundleFormat.Json));
        }
    }

    [Fact]
    public void A_case_variant_header_member_cannot_hide_the_real_checkpoints()
    {
        // The finding: {"checkpoints": [...contradicting...], "Checkpoints": [...]} was read case-insensitively, last one winning.
        var header = Genuine.Lines()[0];
        AssertMalformed(WithLine(0, header.Replace("{\"checkpoints\":", "{\"Checkpoints\":[],\"checkpoints\":", StringComparison.Ordinal)), "has undefined \"Checkpoints\"");
        AssertMalformed(WithLine(0, header.Replace("{\"checkpoints\":", "{\"checkpoints\":[],\"checkpoints\":", StringComparison.Ordinal)), "Duplicate member name \"checkpoints\"");
    }

    [Fact]
    public void A_duplicate_member_in_an_entry_is_refused()
    {
        var line = Genuine.Lines()[5];
        var index = line.IndexOf("\"title\":", StringComparison.Ordinal);
        AssertMalformed(WithLine(5, line.Insert(index, "\"title\":\"what is shown\",")), "Duplicate member name");
        var hashAt = line.IndexOf("\"hash\":", StringComparison.Ordinal);
        AssertMalformed(WithLine(5, line.Insert(hashAt, $"\"hash\":\"{new string('0', 64)}\",")), "Duplicate member name");
    }

    [Theory]
    [InlineData("event", "comment")]
    [InlineData("entry", "comment")]
    public void Undefined_members_are_refused(string where, string name)
    {
        var node = Genuine.EntryNode(4);
        (where == "event" ? node["event"]!.AsObject() : node)[name] = "unhashed";
        AssertMalformed(WithLine(5, BundleBuilder.Line(node)), $"has undefined \"{name}\"");
    }

    [Fact]
    public void Prev_is_present_if_and_only_if_the_version_is_above_one()
    {
        var second = Genuine.EntryNode(3);
        Assert.Equal(2, second["event"]!["version"]!.GetValue<long>());
        second["event"]!["prev"] = 7;
        AssertMalformed(WithLine(4, BundleBuilder.Line(second)), "is a number, not a string");
        second["event"]!.AsObject().Remove("prev");
        AssertMalformed(WithLine(4, BundleBuilder.Line(second)), "lacks \"prev\"");

        var first = Genuine.EntryNode(0);
        first["event"]!["prev"] = null;
        AssertMalformed(WithLine(1, BundleBuilder.Line(first)), "has undefined \"prev\"");
    }

    [Theory]
    [InlineData("eventId")]
    [InlineData("streamId")]
    public void Upper_case_uuids_are_refused(string member)
    {
        var node = Genuine.EntryNode(2);
        node["event"]![member] = node["event"]![member]!.GetValue<string>().ToUpperInvariant();
        AssertMalformed(WithLine(3, BundleBuilder.Line(node)), "is not a lower-case hyphenated UUID");
    }

    [Fact]
    public void Upper_case_hashes_are_refused()
    {
        var node = Genuine.EntryNode(2);
        node["leaf"] = node["leaf"]!.GetValue<string>().ToUpperInvariant();
        AssertMalformed(WithLine(3, BundleBuilder.Line(node)), "is not 64 lower-case hex digits");
    }

    [Theory]
    [InlineData("2026-11-22T09:30:00.123Z")]
    [InlineData("2026-11-22T09:30:00.123456+00:00")]
    [InlineData("2026-11-22 09:30:00.123456Z")]
    [InlineData("2026-02-30T09:30:00.123456Z")]
    public void Other_timestamp_forms_are_refused(string timestamp)
    {
        var node = Genuine.EntryNode(2);
        node["event"]!["recordedAt"] = timestamp;
        AssertMalformed(WithLine(3, BundleBuilder.Line(node)), "is not a timestamp of the form");
    }

    [Fact]
    public void An_empty_file_is_malformed()
    {
        AssertMalformed("", "the file is empty");
    }

    [Fact]
    public void A_header_without_checkpoints_is_malformed()
    {
        var node = Genuine.HeaderNode();
        node.Remove("checkpoints");
        AssertMalformed(WithLine(0, BundleBuilder.Line(node)), "lacks \"checkpoints\"");
    }

    [Fact]
    public void A_malformed_verifier_key_in_the_header_is_malformed_even_without_a_trusted_key()
    {
        var node = Genuine.HeaderNode(["ledger.example.org/incidents+abcdef01+AgAAAA=="]);
        var report = BundleVerifier.Verify(WithLine(0, BundleBuilder.Line(node)));
        Assert.Equal(BundleVerdict.Malformed, report.Verdict);
        Assert.Contains("verifier key", report.Finding!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_trusted_checkpoint_that_is_not_a_signed_note_is_malformed()
    {
        var report = BundleVerifier.Verify(Genuine.Text(), new BundleVerificationOptions { TrustedKeys = [(INoteVerifier)Genuine.LogKey], TrustedCheckpoint = "just some text\n" });
        Assert.Equal(BundleVerdict.Malformed, report.Verdict);
        Assert.Contains("not a signed checkpoint note", report.Finding!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Whitespace_escapes_and_number_forms_that_json_allows_are_not_canonical_and_are_refused()
    {
        var line = Genuine.Lines()[2];
        AssertMalformed(WithLine(2, line.Replace("\"severity\":1", "\"severity\":1.0", StringComparison.Ordinal)), "canonical form");
        AssertMalformed(WithLine(2, line.Replace("\"severity\":1", "\"severity\": 1", StringComparison.Ordinal)), "canonical form");
        AssertMalformed(WithLine(2, line.Replace("\"title\"", "\"\\u0074itle\"", StringComparison.Ordinal)), "canonical form");
        AssertMalformed(WithLine(2, line + "\r"), "canonical form");
        AssertMalformed(Genuine.Text()[..^1], "truncated");
    }
}
