using System.Text;
using IncidentLedger.Integrity.Checkpoints;
using IncidentLedger.Integrity.Tests.Support;
using NSec.Cryptography;

namespace IncidentLedger.Integrity.Tests;

/// <summary>C2SP tlog-cosignature/v1: key IDs, the timestamped signed message, merging and counting.</summary>
public sealed class CosignatureTests
{
    private static readonly Ed25519NoteKey Log = TestEd25519.LogKey("example.com/log", "log");
    private static readonly SignedNote Note = SignedNote.Sign(new Checkpoint("example.com/log", 20852163, Hash.Sha256("root"u8)).ToNoteText(), Log);

    [Fact]
    public void A_cosignature_is_a_timestamp_and_an_ed25519_signature_of_the_cosignature_v1_message()
    {
        var signer = TestEd25519.FromLabel("w1");
        var witness = CosignatureKey.ForSigner("witness.example.com/w1", signer);
        var cosigned = witness.Cosign(Note, 1679315147);
        var line = cosigned.Signatures.Single(s => s.KeyName == "witness.example.com/w1");

        var expectedId = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(
            System.Security.Cryptography.SHA256.HashData([.. "witness.example.com/w1\n"u8, 0x04, .. signer.PublicKey]).AsSpan(0, 4));
        Assert.Equal(expectedId, line.KeyId);
        Assert.Equal(72, line.Signature.Length);
        Assert.Equal(1679315147UL, System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(line.Signature));
        var message = Encoding.UTF8.GetBytes("cosignature/v1\ntime 1679315147\n" + Note.Text);
        Assert.True(SignatureAlgorithm.Ed25519.Verify(PublicKey.Import(SignatureAlgorithm.Ed25519, signer.PublicKey, KeyBlobFormat.RawPublicKey), message, line.Signature.AsSpan(8)));

        var verifier = CosignatureKey.FromVerifierKey(witness.VerifierKey);
        Assert.Equal(1679315147, verifier.VerifiedTimestamp(Encoding.UTF8.GetBytes(Note.Text), line.Signature));
        var parsed = SignedNote.Parse(cosigned.ToString());
        Assert.True(parsed.IsVerifiedBy(Log, verifier));
        Assert.Single(CosignedNotes.VerifiedWitnesses(parsed, [verifier]));
    }

    [Fact]
    public void A_changed_timestamp_or_checkpoint_breaks_the_cosignature()
    {
        var witness = TestEd25519.Witness("witness.example.com/w1");
        var line = witness.Cosign(Note, 1000).Signatures[^1];
        var later = (byte[])line.Signature.Clone();
        later[7] ^= 1;
        Assert.False(witness.Verify(Encoding.UTF8.GetBytes(Note.Text), later));
        Assert.False(witness.Verify(Encoding.UTF8.GetBytes(Note.Text.Replace("20852163", "20852164", StringComparison.Ordinal)), line.Signature));
    }

    [Fact]
    public void Merging_collects_each_cosignature_once_and_the_quorum_counts_distinct_known_witnesses()
    {
        var (w1, w2, w3) = (TestEd25519.Witness("w1.example"), TestEd25519.Witness("w2.example"), TestEd25519.Witness("w3.example"));
        var merged = CosignedNotes.Merge(w1.Cosign(Note, 1), w2.Cosign(Note, 2), w1.Cosign(Note, 1));
        Assert.Equal(3, merged.Signatures.Count);
        Assert.Equal(2, CosignedNotes.VerifiedWitnesses(merged, [w1, w2, w3]).Count);
        Assert.Single(CosignedNotes.VerifiedWitnesses(merged, [w1, w1]));
        var other = SignedNote.Sign(new Checkpoint("example.com/log", 1, Hash.Sha256("x"u8)).ToNoteText(), Log);
        Assert.Throws<ArgumentException>(() => CosignedNotes.Merge(Note, other));
    }
}
