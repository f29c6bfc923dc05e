using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IncidentLedger.Integrity.Bundles;
using IncidentLedger.Integrity.Checkpoints;
using IncidentLedger.Integrity.Envelopes;
using IncidentLedger.Integrity.Merkle;
using IncidentLedger.Integrity.Receipts;
using IncidentLedger.Integrity.Tests.Support;

namespace IncidentLedger.Integrity.Tests;

/// <summary>The worked examples in docs/verification.md are reproduced byte for byte, and each verifies.</summary>
public sealed class VerificationDocumentTests
{
    private static readonly string Document = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "verification.md"));

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "IncidentLedger.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Run the tests from inside the repository.");
    }

    private const string Origin = "ledger.example.org/incidents";
    private const string LogSeedLabel = "incident-ledger worked example: log key";
    private const string WitnessSeedLabel = "incident-ledger worked example: witness key";
    private const long CosignedAt = 1796115600;

    private static readonly EventEnvelope First = new(
        Origin, Guid.Parse("0f8e6a52-9a3c-4b1e-8d2f-5c7a1b3e9d40"), "incident", 1, Guid.Parse("01935f2a-7c00-7000-8000-000000000001"), "IncidentReported", 1,
        DateTimeOffset.Parse("2026-11-22T09:30:00.123456Z", System.Globalization.CultureInfo.InvariantCulture),
        JsonDocument.Parse("""{"title":"Surgical robot arm moved unexpectedly","becameAwareAt":"2026-11-21T16:05:00Z","peopleAffected":1,"classification":"serious_incident"}""").RootElement,
        JsonDocument.Parse("""{"actor":"alice@hospital.example","organisation":"2b9c6f8e-1d4a-4c3b-9e7f-0a1b2c3d4e5f","role":"operator"}""").RootElement,
        null);

    private static readonly EventEnvelope Second = First with
    {
        Version = 2,
        EventId = Guid.Parse("01935f2a-7c00-7000-8000-000000000002"),
        EventType = "RegulatorNotified",
        RecordedAt = DateTimeOffset.Parse("2026-11-22T10:00:00.000001Z", System.Globalization.CultureInfo.InvariantCulture),
        Data = JsonDocument.Parse("""{"authority":"Market surveillance authority","jurisdiction":"EU-DE","reportType":"initial"}""").RootElement,
        Prev = EnvelopeHasher.Hash(First),
    };

    private static Hash Root => MerkleHasher.Node(MerkleHasher.Leaf(EnvelopeHasher.Hash(First).Bytes), MerkleHasher.Leaf(EnvelopeHasher.Hash(Second).Bytes));

    private static Ed25519NoteKey LogKey => Ed25519NoteKey.ForSigner(Origin, TestEd25519.FromLabel(LogSeedLabel));

    private static SignedNote Ed25519Checkpoint => SignedNote.Sign(new Checkpoint(Origin, 2, Root).ToNoteText(), LogKey);

    private static string Canonical(EventEnvelope envelope)
    {
        var buffer = new ArrayBufferWriter<byte>();
        EnvelopeHasher.WriteCanonical(envelope, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void AssertDocumented(string text) => Assert.Contains(text, Document, StringComparison.Ordinal);

    [Fact]
    public void The_documented_envelopes_hashes_and_root_are_what_the_implementation_produces()
    {
        var (h1, h2) = (EnvelopeHasher.Hash(First), EnvelopeHasher.Hash(Second));
        var (l1, l2) = (MerkleHasher.Leaf(h1.Bytes), MerkleHasher.Leaf(h2.Bytes));
        foreach (var expected in new[] { Canonical(First), Canonical(Second), h1.ToString(), h2.ToString(), l1.ToString(), l2.ToString(), Root.ToString(), Convert.ToBase64String(Root.Bytes) })
        {
            AssertDocumented(expected);
        }

        AssertDocumented($"{Encoding.UTF8.GetByteCount(Canonical(First))} bytes");
    }

    [Fact]
    public void The_documented_ed25519_key_and_checkpoint_are_reproduced_from_the_documented_seed_and_verify()
    {
        AssertDocumented(Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(LogSeedLabel))));
        AssertDocumented($"`{LogSeedLabel}`");
        AssertDocumented(Convert.ToHexStringLower(LogKey.PublicKey));
        AssertDocumented("```\n" + LogKey.VerifierKey + "\n```");
        AssertDocumented("```\n" + Ed25519Checkpoint + "```");
        AssertDocumented(Convert.ToHexStringLower(Ed25519Checkpoint.Signatures[0].Signature));
        AssertDocumented($"key ID `{LogKey.KeyId:x8}`");
        AssertDocumented($"{Encoding.UTF8.GetByteCount(Ed25519Checkpoint.Text)} bytes of the three body lines");

        var verifier = VerifierKeys.Parse(LogKey.VerifierKey);
        Assert.IsType<Ed25519NoteKey>(verifier);
        Assert.True(SignedNote.Parse(Ed25519Checkpoint.ToString()).IsVerifiedBy(verifier));
    }

    [Fact]
    public void The_documented_cosignature_is_reproduced_and_verifies()
    {
        var witness = CosignatureKey.ForSigner("witness.example.org/w1", TestEd25519.FromLabel(WitnessSeedLabel));
        var cosigned = witness.Cosign(Ed25519Checkpoint, CosignedAt);
        AssertDocumented(Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(WitnessSeedLabel))));
        AssertDocumented("```\n" + witness.VerifierKey + "\n```");
        Assert.Contains('+', witness.VerifierKey.Split('+', 3)[2]);
        AssertDocumented("```\n" + Encoding.UTF8.GetString(CosignatureKey.SignedMessage(Ed25519Checkpoint.Text, CosignedAt)) + "```");
        AssertDocumented("```\n" + cosigned + "```");
        AssertDocumented($"key ID `{witness.KeyId:x8}`, the timestamp `{CosignedAt:x16}`");
        AssertDocumented($"{CosignedAt} ({DateTimeOffset.FromUnixTimeSeconds(CosignedAt):yyyy-MM-dd'T'HH:mm:ss'Z'})");

        var parsed = SignedNote.Parse(cosigned.ToString());
        var verifier = CosignatureKey.FromVerifierKey(witness.VerifierKey);
        Assert.True(parsed.IsVerifiedBy(LogKey, verifier));
        Assert.Single(CosignedNotes.VerifiedWitnesses(parsed, [verifier]));
    }

    [Fact]
    public void The_documented_receipt_and_bundle_are_reproduced_the_bundle_is_intact_and_keeps_the_receipt()
    {
        var receipt = FilingReceipts.Issue(Origin, Second, EnvelopeHasher.Hash(Second), TimeSpan.FromMinutes(1), LogKey);
        AssertDocumented("```\n" + receipt + "```");

        var lines = new[]
        {
            Encoding.UTF8.GetString(BundleReader.WriteHeader(new BundleHeader(BundleFormat.Format, Origin, 2, [LogKey.VerifierKey], [Ed25519Checkpoint.ToString()]))),
            Encoding.UTF8.GetString(BundleReader.WriteEntry(new BundleEntry(0, MerkleHasher.Leaf(EnvelopeHasher.Hash(First).Bytes).ToString(), BundleEvent.From(First, EnvelopeHasher.Hash(First))))),
            Encoding.UTF8.GetString(BundleReader.WriteEntry(new BundleEntry(1, MerkleHasher.Leaf(EnvelopeHasher.Hash(Second).Bytes).ToString(), BundleEvent.From(Second, EnvelopeHasher.Hash(Second))))),
        };
        var bundle = string.Concat(lines.Select(l => l + "\n"));
        AssertDocumented("```\n" + bundle + "```");

        var options = new BundleVerificationOptions { TrustedKeys = [VerifierKeys.Parse(LogKey.VerifierKey)] };
        var report = BundleVerifier.Verify(bundle, options);
        Assert.True(report.IsIntact, report.Finding?.ToString());
        Assert.Equal(ReceiptVerdict.Kept, FilingReceipts.Check(receipt, new MemoryStream(Encoding.UTF8.GetBytes(bundle)), options).Verdict);
    }

    [Fact]
    public void The_documented_legacy_ecdsa_checkpoint_verifies_with_the_documented_key()
    {
        var noteStart = Document.IndexOf("ledger.example.org/incidents\n2\n2PgcqA4KbbW8mBanXcX48G6NKh3Xzqf7c57glOOrsmk=\n\n— ledger.example.org/incidents tAAy", StringComparison.Ordinal);
        var noteEnd = Document.IndexOf("\n```", noteStart, StringComparison.Ordinal);
        var note = SignedNote.Parse(Document[noteStart..noteEnd] + "\n");
        var keyLine = Document.Split('\n').Single(l => l.StartsWith("ledger.example.org/incidents+b4003245+", StringComparison.Ordinal));

        var verifier = VerifierKeys.Parse(keyLine);
        Assert.IsType<EcdsaNoteKey>(verifier);
        Assert.True(note.IsVerifiedBy(verifier));
        Assert.Equal(Root, Checkpoint.Parse(note.Text).Root);
    }
}
