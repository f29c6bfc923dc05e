using IncidentLedger.Integrity.Bundles;
using IncidentLedger.Integrity.Checkpoints;
using IncidentLedger.Integrity.Tests.Support;

namespace IncidentLedger.Integrity.Tests;

/// <summary>How far signatures vouch for a bundle is part of the verdict; witnesses and a trusted checkpoint catch a rewritten log.</summary>
public sealed class CoverageTests
{
    private static readonly Ed25519NoteKey LogKey = TestEd25519.LogKey(BundleBuilder.Origin, "test log key");
    private static readonly CosignatureKey W1 = TestEd25519.Witness("w1.example");
    private static readonly CosignatureKey W2 = TestEd25519.Witness("w2.example");
    private static readonly CosignatureKey W3 = TestEd25519.Witness("w3.example");

    private static BundleReport Verify(BundleBuilder bundle, BundleVerificationOptions? options = null) =>
        BundleVerifier.Verify(bundle.Text(), (options ?? new BundleVerificationOptions()) with { TrustedKeys = [LogKey] });

    [Fact]
    public void A_bundle_without_any_checkpoint_is_never_intact()
    {
        var report = Verify(BundleBuilder.Genuine(checkpointEvery: 0));
        Assert.Equal(BundleVerdict.Unvouched, report.Verdict);
        Assert.Equal(0, report.VouchedSize);
        Assert.Equal(24, report.Unvouched);
        Assert.Contains("no entry is covered by a signed checkpoint", report.Notes[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Removed_trailing_checkpoints_and_a_rewritten_re_chained_tail_are_reported_as_unsigned_with_count_and_position()
    {
        var rewritten = BundleBuilder.Genuine(rewriteFrom: 16, signUpTo: 16);
        var report = Verify(rewritten);
        Assert.Equal(BundleVerdict.Unvouched, report.Verdict);
        Assert.Equal(16, report.VouchedSize);
        Assert.Equal(8, report.Unvouched);
        Assert.Contains("8 entries, positions 16…23, are not covered by a signed checkpoint", report.Notes[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_checkpoint_the_verifier_trusted_before_shows_the_rewrite_as_a_fork()
    {
        var genuine = BundleBuilder.Genuine();
        var rewritten = BundleBuilder.Genuine(rewriteFrom: 16, signUpTo: 16);
        var report = Verify(rewritten, new BundleVerificationOptions { TrustedCheckpoint = genuine.Checkpoints[^1].ToString() });
        Assert.Equal(BundleVerdict.Tampered, report.Verdict);
        Assert.Equal(TamperKind.RolledBack, report.Finding!.Kind);

        // Re-signed by the operator (who holds the log key) at the same size: the trusted root differs.
        rewritten.Sign();
        report = Verify(rewritten, new BundleVerificationOptions { TrustedCheckpoint = genuine.Checkpoints[^1].ToString() });
        Assert.Equal(TamperKind.Fork, report.Finding!.Kind);
        Assert.Equal(24, report.Finding.Position);
    }

    [Fact]
    public void With_a_quorum_only_checkpoints_cosigned_by_enough_known_witnesses_vouch()
    {
        var bundle = BundleBuilder.Genuine();
        bundle.Checkpoints[1] = CosignedNotes.Merge(W1.Cosign(bundle.Checkpoints[1], 100), W2.Cosign(bundle.Checkpoints[1], 101));
        bundle.Checkpoints[2] = W1.Cosign(bundle.Checkpoints[2], 102);
        var options = new BundleVerificationOptions { Witnesses = [W1, W2, W3], Quorum = 2 };

        var report = Verify(bundle, options);
        Assert.Equal(BundleVerdict.Unvouched, report.Verdict);
        Assert.Equal(24, report.SignedSize);
        Assert.Equal(16, report.VouchedSize);

        Assert.Equal(BundleVerdict.Intact, Verify(bundle, options with { Quorum = 1 }).Verdict);
        Assert.Equal(BundleVerdict.Unvouched, Verify(bundle, options with { Witnesses = [W3], Quorum = 1 }).Verdict);
        Assert.Equal(BundleVerdict.Malformed, Verify(bundle, options with { Witnesses = [W1], Quorum = 2 }).Verdict);
    }

    [Fact]
    public void A_witnessed_checkpoint_held_by_the_verifier_counts_towards_the_quorum()
    {
        var bundle = BundleBuilder.Genuine();
        var witnessed = CosignedNotes.Merge(W1.Cosign(bundle.Checkpoints[2], 5), W2.Cosign(bundle.Checkpoints[2], 6));
        var report = Verify(bundle, new BundleVerificationOptions { Witnesses = [W1, W2], Quorum = 2, TrustedCheckpoint = witnessed.ToString() });
        Assert.Equal(BundleVerdict.Intact, report.Verdict);
    }

    [Fact]
    public void Ecdsa_p256_checkpoints_from_before_the_switch_still_verify()
    {
        using var ecdsa = EcdsaNoteKey.Generate(BundleBuilder.Origin);
        var bundle = BundleBuilder.Genuine(logKey: ecdsa);
        var report = BundleVerifier.Verify(bundle.Text(), new BundleVerificationOptions { TrustedKeys = [EcdsaNoteKey.FromVerifierKey(ecdsa.VerifierKey)] });
        Assert.True(report.IsIntact, report.Finding?.ToString());
    }

    [Fact]
    public void Rotated_keys_verify_side_by_side()
    {
        // Checkpoints 8 and 16 by the old key, 24 by the new one; both keys are listed.
        var oldKey = TestEd25519.LogKey(BundleBuilder.Origin, "old");
        var newKey = TestEd25519.LogKey(BundleBuilder.Origin, "new");
        var bundle = BundleBuilder.Genuine(logKey: oldKey);
        bundle.Checkpoints[2] = SignedNote.Sign(bundle.Checkpoints[2].Text, newKey);
        var both = new BundleVerificationOptions { TrustedKeys = [oldKey, newKey] };
        Assert.True(BundleVerifier.Verify(bundle.Text(), both).IsIntact);
        Assert.Equal(TamperKind.BadSignature, BundleVerifier.Verify(bundle.Text(), both with { TrustedKeys = [oldKey] }).Finding!.Kind);
    }

    [Fact]
    public void A_stream_whose_type_changes_is_a_broken_chain()
    {
        var bundle = BundleBuilder.Genuine(checkpointEvery: 0);
        bundle.Append(bundle.Events[0].Envelope.StreamId, "policy", """{"x":1}""", changeType: true);
        bundle.Sign();
        var report = Verify(bundle);
        Assert.Equal(TamperKind.BrokenChain, report.Finding!.Kind);
        Assert.Equal(24, report.Finding.Position);
        Assert.Contains("the type policy", report.Finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_event_id_that_appears_twice_is_tampering()
    {
        var bundle = BundleBuilder.Genuine(checkpointEvery: 0);
        bundle.Append(Guid.NewGuid(), "incident", """{"x":1}""", eventId: bundle.Events[3].Envelope.EventId);
        bundle.Sign();
        var report = Verify(bundle);
        Assert.Equal(TamperKind.DuplicateEvent, report.Finding!.Kind);
        Assert.Equal(24, report.Finding.Position);
    }
}
