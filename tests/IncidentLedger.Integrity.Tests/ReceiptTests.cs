using IncidentLedger.Integrity.Bundles;
using IncidentLedger.Integrity.Checkpoints;
using IncidentLedger.Integrity.Receipts;
using IncidentLedger.Integrity.Tests.Support;

namespace IncidentLedger.Integrity.Tests;

/// <summary>Signed filing receipts: issued for an accepted event, checked against a bundle; a broken promise is evidence against the log.</summary>
public sealed class ReceiptTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static ReceiptReport Check(string receipt, BundleBuilder bundle, INoteVerifier? key = null) =>
        FilingReceipts.Check(receipt, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(bundle.Text())), new BundleVerificationOptions { TrustedKeys = [key ?? (INoteVerifier)bundle.LogKey] });

    [Fact]
    public void A_receipt_is_a_signed_note_of_eight_lines_that_parses_back()
    {
        var bundle = BundleBuilder.Genuine();
        var note = SignedNote.Parse(bundle.Receipt(5, Minute));
        Assert.True(note.IsVerifiedBy((INoteVerifier)bundle.LogKey));
        var receipt = FilingReceipt.Parse(note.Text);
        Assert.Equal(bundle.Events[5].Envelope.EventId, receipt.EventId);
        Assert.Equal(bundle.Events[5].Hash, receipt.EventHash);
        Assert.Equal(receipt.RecordedAt + Minute, receipt.IncludeBy);
        Assert.Equal(note.Text, receipt.ToNoteText());
        Assert.Throws<FormatException>(() => Checkpoint.Parse(note.Text));
    }

    [Fact]
    public void A_kept_promise_verifies()
    {
        var bundle = BundleBuilder.Genuine();
        var report = Check(bundle.Receipt(5, Minute), bundle);
        Assert.Equal(ReceiptVerdict.Kept, report.Verdict);
        Assert.Contains("position 5", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rewritten_event_is_evidence_against_the_log()
    {
        var genuine = BundleBuilder.Genuine();
        var receipt = genuine.Receipt(20, Minute);
        var rewritten = BundleBuilder.Genuine(rewriteFrom: 16, signUpTo: 16);
        rewritten.Sign();
        var report = Check(receipt, rewritten);
        Assert.Equal(ReceiptVerdict.Changed, report.Verdict);
        Assert.True(report.IsEvidenceAgainstTheLog);
        Assert.Equal(20, report.Position);
    }

    [Fact]
    public void A_missing_event_is_evidence_once_later_entries_are_signed()
    {
        var genuine = BundleBuilder.Genuine(events: 10, checkpointEvery: 0);
        var receipt = genuine.Receipt(9, TimeSpan.FromSeconds(2));

        // The log dropped event 9 and went on: later events (recorded well after the deadline) are signed.
        var dropped = BundleBuilder.Genuine(events: 9, checkpointEvery: 0);
        var report = Check(receipt, dropped);
        Assert.True(report.Verdict == ReceiptVerdict.Inconclusive, $"{report.Verdict}: {report.Message}");
        for (var i = 0; i < 5; i++)
        {
            dropped.Append(Guid.NewGuid(), "incident", """{"later":true}""", genuine.Events[9].Envelope.RecordedAt.AddMinutes(5 + i), eventId: Guid.NewGuid());
        }

        dropped.Sign();
        report = Check(receipt, dropped);
        Assert.Equal(ReceiptVerdict.Missing, report.Verdict);
    }

    [Fact]
    public void An_event_sealed_after_entries_recorded_past_its_deadline_is_late()
    {
        var bundle = BundleBuilder.Genuine(events: 4, checkpointEvery: 0);
        var recorded = bundle.Events[3].Envelope.RecordedAt;
        bundle.Append(Guid.NewGuid(), "incident", """{"filed":"after the deadline"}""", recorded.AddMinutes(10));
        var promised = bundle.Append(Guid.NewGuid(), "incident", """{"filed":"on time"}""", recorded.AddSeconds(1));
        bundle.Sign();
        var receipt = FilingReceipts.Issue(BundleBuilder.Origin, promised.Envelope, promised.Hash, Minute, bundle.LogKey);
        var report = Check(receipt, bundle);
        Assert.Equal(ReceiptVerdict.Late, report.Verdict);
        Assert.Contains("after position 4", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_event_beyond_the_signed_checkpoints_is_not_settled_yet()
    {
        var bundle = BundleBuilder.Genuine(signUpTo: 16);
        Assert.Equal(ReceiptVerdict.Inconclusive, Check(bundle.Receipt(20, Minute), bundle).Verdict);
    }

    [Fact]
    public void A_receipt_not_signed_by_the_trusted_key_or_malformed_proves_nothing()
    {
        var bundle = BundleBuilder.Genuine();
        var stranger = TestEd25519.LogKey(BundleBuilder.Origin, "stranger");
        var forged = FilingReceipts.Issue(BundleBuilder.Origin, bundle.Events[3].Envelope, Hash.Sha256("x"u8), Minute, stranger);
        Assert.Equal(ReceiptVerdict.Malformed, Check(forged, bundle).Verdict);
        Assert.Equal(ReceiptVerdict.Malformed, Check("not a receipt", bundle).Verdict);
        var receipt = bundle.Receipt(3, Minute);
        Assert.Equal(ReceiptVerdict.Malformed, Check(receipt.Replace("version 2", "version 02", StringComparison.Ordinal), bundle).Verdict);
    }

    [Fact]
    public void A_tampered_bundle_is_reported_as_such()
    {
        var bundle = BundleBuilder.Genuine();
        var receipt = bundle.Receipt(3, Minute);
        var lines = bundle.Lines();
        lines[5] = lines[5].Replace("report 4", "report 5", StringComparison.Ordinal);
        var report = FilingReceipts.Check(receipt, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(BundleBuilder.Join(lines))), new BundleVerificationOptions { TrustedKeys = [(INoteVerifier)bundle.LogKey] });
        Assert.Equal(ReceiptVerdict.BundleTampered, report.Verdict);
    }
}
