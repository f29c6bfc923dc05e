using System.Buffers;
using System.Text;
using System.Text.Json;
using IncidentLedger.Integrity.Checkpoints;
using IncidentLedger.Integrity.Envelopes;
using IncidentLedger.Integrity.Merkle;

namespace IncidentLedger.Integrity.Tests;

/// <summary>The worked example in docs/verification.md is reproduced byte for byte, and its signature verifies.</summary>
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

    private static readonly EventEnvelope First = new(
        Origin, Guid.Parse("0f8e6a52-9a3c-4b1e-8d2f-5c7a1b3e9d40"), "incident", 1, Guid.Parse("01935f2a-7c00-7000-8000-000000000001"), "IncidentReported", 1,
        DateTimeOffset.Parse("2026-11-22T09:30:00.123456Z", System.Globalization.CultureInfo.InvariantCulture),
        JsonDocument.Parse("""{"title":"Surgical robot arm moved unexpectedly","becameAwareAt":"2026-11-21T16:05:00Z","peopleAffected":1,"classification":"serious_incident"}""").RootElement,
        JsonDocument.Parse("""{"actor":"alice@hospital.example","organisation":"2b9c6f8e-1d4a-4c3b-9e7f-0a1b2c3d4e5f","role":"operator"}""").RootElement,
        null);

    private static string Canonical(EventEnvelope envelope)
    {
        var buffer = new ArrayBufferWriter<byte>();
        EnvelopeHasher.WriteCanonical(envelope, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void The_documented_envelopes_hashes_and_root_are_what_the_implementation_produces()
    {
        var h1 = EnvelopeHasher.Hash(First);
        var second = First with
        {
            Version = 2,
            EventId = Guid.Parse("01935f2a-7c00-7000-8000-000000000002"),
            EventType = "RegulatorNotified",
            RecordedAt = DateTimeOffset.Parse("2026-11-22T10:00:00.000001Z", System.Globalization.CultureInfo.InvariantCulture),
            Data = JsonDocument.Parse("""{"authority":"Market surveillance authority","jurisdiction":"EU-DE","reportType":"initial"}""").RootElement,
            Prev = h1,
        };
        var h2 = EnvelopeHasher.Hash(second);
        var (l1, l2) = (MerkleHasher.Leaf(h1.Bytes), MerkleHasher.Leaf(h2.Bytes));
        var root = MerkleHasher.Node(l1, l2);

        foreach (var expected in new[] { Canonical(First), Canonical(second), h1.ToString(), h2.ToString(), l1.ToString(), l2.ToString(), root.ToString(), Convert.ToBase64String(root.Bytes) })
        {
            Assert.Contains(expected, Document, StringComparison.Ordinal);
        }

        Assert.Contains($"{Encoding.UTF8.GetByteCount(Canonical(First))} bytes", Document, StringComparison.Ordinal);
    }

    [Fact]
    public void The_documented_checkpoint_verifies_with_the_documented_key()
    {
        var noteStart = Document.IndexOf("ledger.example.org/incidents\n2\n", StringComparison.Ordinal);
        var noteEnd = Document.IndexOf("\n```", noteStart, StringComparison.Ordinal);
        var note = SignedNote.Parse(Document[noteStart..noteEnd] + "\n");
        var keyLine = Document.Split('\n').Single(l => l.StartsWith("ledger.example.org/incidents+", StringComparison.Ordinal));

        Assert.True(note.IsVerifiedBy(EcdsaNoteKey.FromVerifierKey(keyLine)));
        Assert.Equal(2, Checkpoint.Parse(note.Text).Size);
        Assert.Contains($"{Encoding.UTF8.GetByteCount(note.Text)} bytes", Document, StringComparison.Ordinal);
    }
}
