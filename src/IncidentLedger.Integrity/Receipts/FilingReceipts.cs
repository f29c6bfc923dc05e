using System.Globalization;
using IncidentLedger.Integrity.Bundles;
using IncidentLedger.Integrity.Checkpoints;
using IncidentLedger.Integrity.Envelopes;

namespace IncidentLedger.Integrity.Receipts;

/// <summary>
/// What the log promised when it accepted a write: this event, with this hash, at this stream version, was
/// recorded at this time and will be in a signed checkpoint by <see cref="IncludeBy"/> (like a CT SCT or a
/// Rekor signed entry timestamp). Signed by the log's checkpoint key as a C2SP signed note.
/// </summary>
public sealed record FilingReceipt(string Origin, Guid EventId, Guid StreamId, long Version, Hash EventHash, DateTimeOffset RecordedAt, DateTimeOffset IncludeBy)
{
    public const string Header = "incident-ledger/receipt/v1";

    /// <summary>The note text: eight lines, each ending in a newline (docs/verification.md, "Filing receipts").</summary>
    public string ToNoteText() => string.Create(CultureInfo.InvariantCulture,
        $"{Header}\n{Origin}\nevent {EventId:D}\nstream {StreamId:D}\nversion {Version}\nhash {EventHash}\nrecorded {EnvelopeHasher.FormatTimestamp(RecordedAt)}\ninclude-by {EnvelopeHasher.FormatTimestamp(IncludeBy)}\n");

    /// <summary>Parses the note text strictly: exactly the eight lines, in order, in their documented forms.</summary>
    public static FilingReceipt Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.EndsWith('\n'))
        {
            throw new FormatException("A receipt's text ends with a newline.");
        }

        var lines = text[..^1].Split('\n');
        if (lines.Length != 8 || lines[0] != Header)
        {
            throw new FormatException($"A receipt is eight lines, the first \"{Header}\".");
        }

        VerifierKeys.ValidateName(lines[1]);
        string Field(int line, string label) => lines[line].StartsWith(label + " ", StringComparison.Ordinal)
            ? lines[line][(label.Length + 1)..]
            : throw new FormatException($"Line {line + 1} of a receipt reads \"{label} …\".");

        Guid Uuid(int line, string label)
        {
            var value = Field(line, label);
            return value.Length == 36 && !value.Any(char.IsAsciiLetterUpper) && Guid.TryParseExact(value, "D", out var id)
                ? id
                : throw new FormatException($"The receipt's {label} \"{value}\" is not a lower-case hyphenated UUID.");
        }

        var version = Field(4, "version");
        if (!long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v < 1 || version != v.ToString(CultureInfo.InvariantCulture))
        {
            throw new FormatException($"The receipt's version \"{version}\" is not a decimal number from 1 without leading zeros.");
        }

        var hash = Field(5, "hash");
        if (hash.Length != 64 || !hash.All(char.IsAsciiHexDigitLower))
        {
            throw new FormatException("The receipt's hash is not 64 lower-case hex digits.");
        }

        var receipt = new FilingReceipt(lines[1], Uuid(2, "event"), Uuid(3, "stream"), v, Hash.FromHex(hash),
            BundleFormat.ParseTimestamp(Field(6, "recorded")), BundleFormat.ParseTimestamp(Field(7, "include-by")));
        if (receipt.IncludeBy < receipt.RecordedAt)
        {
            throw new FormatException("The receipt promises inclusion before the event was recorded.");
        }

        return receipt;
    }
}

/// <summary>Issuing and checking filing receipts.</summary>
public static class FilingReceipts
{
    /// <summary>
    /// The receipt for an accepted event, as signed-note text: what the write path returns to the filer.
    /// <paramref name="includeWithin"/> is the log's maximum merge delay: how soon a signed checkpoint will cover the event.
    /// </summary>
    public static string Issue(string origin, EventEnvelope envelope, Hash eventHash, TimeSpan includeWithin, INoteSigner logKey)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return Issue(origin, envelope.EventId, envelope.StreamId, envelope.Version, eventHash, envelope.RecordedAt, includeWithin, logKey);
    }

    /// <summary>The receipt for an accepted event from what the write path returns (its id, stream, version, hash and recorded-at), as signed-note text.</summary>
    public static string Issue(string origin, Guid eventId, Guid streamId, long version, Hash eventHash, DateTimeOffset recordedAt, TimeSpan includeWithin, INoteSigner logKey)
    {
        ArgumentNullException.ThrowIfNull(logKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(includeWithin, TimeSpan.Zero);
        var recorded = EnvelopeHasher.TruncateToMicroseconds(recordedAt);
        var receipt = new FilingReceipt(origin, eventId, streamId, version, eventHash, recorded, EnvelopeHasher.TruncateToMicroseconds(recorded + includeWithin));
        return SignedNote.Sign(receipt.ToNoteText(), logKey).ToString();
    }

    /// <summary>Parses a signed receipt and checks it is signed by one of <paramref name="logKeys"/>.</summary>
    public static FilingReceipt Open(string signedReceipt, IReadOnlyList<INoteVerifier> logKeys)
    {
        ArgumentNullException.ThrowIfNull(logKeys);
        var note = SignedNote.Parse(signedReceipt);
        var receipt = FilingReceipt.Parse(note.Text);
        if (!note.IsVerifiedBy([.. logKeys]))
        {
            throw new FormatException("The receipt is not signed by a trusted log key, so it proves nothing about the log.");
        }

        return receipt;
    }

    /// <summary>
    /// Checks a receipt against a bundle: the bundle must verify, and the promised event must be in it,
    /// unchanged, at a position a vouching checkpoint covers, with nothing recorded after the promised
    /// time sealed before it. docs/verification.md, "Checking a receipt", gives the rules.
    /// </summary>
    public static ReceiptReport Check(string signedReceipt, Stream bundle, BundleVerificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(bundle);
        FilingReceipt receipt;
        try
        {
            var note = SignedNote.Parse(signedReceipt);
            receipt = FilingReceipt.Parse(note.Text);
            if (options.TrustedKeys.Count == 0)
            {
                return new ReceiptReport(ReceiptVerdict.Malformed, receipt, null, "a receipt is checked against a log key you trust: pass --key");
            }

            if (!note.IsVerifiedBy([.. options.TrustedKeys]))
            {
                return new ReceiptReport(ReceiptVerdict.Malformed, receipt, null, "the receipt is not signed by a trusted log key, so it proves nothing about the log");
            }
        }
        catch (FormatException e)
        {
            return new ReceiptReport(ReceiptVerdict.Malformed, null, null, $"the receipt is malformed: {e.Message}");
        }

        BundleEntry? found = null;
        long foundAt = -1;
        BundleEntry? atSlot = null;
        long slotAt = -1;
        long firstAfterDeadline = -1;
        var report = BundleVerifier.Verify(bundle, options with
        {
            OnEntry = entry =>
            {
                var e = entry.Event;
                if (e.EventId == receipt.EventId && found is null)
                {
                    (found, foundAt) = (entry, entry.Position);
                }

                if (e.StreamId == receipt.StreamId && e.Version == receipt.Version)
                {
                    (atSlot, slotAt) = (entry, entry.Position);
                }

                if (firstAfterDeadline < 0 && BundleFormat.ParseTimestamp(e.RecordedAt) > receipt.IncludeBy)
                {
                    firstAfterDeadline = entry.Position;
                }
            },
        });

        if (report.Verdict is BundleVerdict.Tampered or BundleVerdict.Malformed)
        {
            return new ReceiptReport(report.Verdict == BundleVerdict.Tampered ? ReceiptVerdict.BundleTampered : ReceiptVerdict.Malformed, receipt, report, $"the bundle does not verify: {report.Finding}");
        }

        var vouched = report.VouchedSize;
        var deadline = EnvelopeHasher.FormatTimestamp(receipt.IncludeBy);
        var lateWitness = firstAfterDeadline >= 0 && firstAfterDeadline < vouched ? firstAfterDeadline : -1;
        if (found is not null)
        {
            var e = found.Event;
            if (e.Hash != receipt.EventHash.ToString() || e.StreamId != receipt.StreamId || e.Version != receipt.Version || BundleFormat.ParseTimestamp(e.RecordedAt) != receipt.RecordedAt)
            {
                return Evidence(ReceiptVerdict.Changed, foundAt,
                    $"event {receipt.EventId} is at position {foundAt}, but as hash {e.Hash} (stream {e.StreamId} version {e.Version}, recorded {e.RecordedAt}); the log's receipt promised hash {receipt.EventHash} (stream {receipt.StreamId} version {receipt.Version}, recorded {EnvelopeHasher.FormatTimestamp(receipt.RecordedAt)})");
            }

            if (lateWitness >= 0 && lateWitness < foundAt)
            {
                return Evidence(ReceiptVerdict.Late, foundAt,
                    $"event {receipt.EventId} is at position {foundAt}, after position {lateWitness}, which was recorded after {deadline}: it was sealed later than the log promised");
            }

            return foundAt < vouched
                ? new ReceiptReport(ReceiptVerdict.Kept, receipt, report, $"event {receipt.EventId} is at position {foundAt}, unchanged, covered by a signed checkpoint of size {vouched}; the promise to include it by {deadline} was kept")
                : new ReceiptReport(ReceiptVerdict.Inconclusive, receipt, report, $"event {receipt.EventId} is at position {foundAt}, unchanged, but no vouching checkpoint covers that position yet (vouched size {vouched})");
        }

        if (atSlot is not null && slotAt < vouched)
        {
            return Evidence(ReceiptVerdict.Changed, slotAt,
                $"the log holds event {atSlot.Event.EventId} (hash {atSlot.Event.Hash}) as version {receipt.Version} of stream {receipt.StreamId}, where its receipt promised event {receipt.EventId} with hash {receipt.EventHash}: the stream was rewritten");
        }

        if (lateWitness >= 0)
        {
            return Evidence(ReceiptVerdict.Missing, null,
                $"event {receipt.EventId} is not in the log, yet position {lateWitness}, recorded after the promised {deadline}, is covered by a signed checkpoint: the log broke its promise");
        }

        return new ReceiptReport(ReceiptVerdict.Inconclusive, receipt, report, $"event {receipt.EventId} is not in the bundle, but nothing signed in it was recorded after the promised {deadline}: check a later bundle");

        ReceiptReport Evidence(ReceiptVerdict verdict, long? position, string message) => new(verdict, receipt, report, message, position);
    }
}

/// <summary>The answer of checking a receipt against a bundle.</summary>
public enum ReceiptVerdict
{
    /// <summary>The event is in the log, unchanged, covered in time: the promise was kept.</summary>
    Kept,

    /// <summary>Evidence against the log: the event is missing although later entries are signed.</summary>
    Missing,

    /// <summary>Evidence against the log: a different event stands where the receipt's was promised.</summary>
    Changed,

    /// <summary>Evidence against the log: the event was sealed after entries recorded after its deadline.</summary>
    Late,

    /// <summary>Nothing signed settles it yet (not yet covered, or the bundle ends before the deadline).</summary>
    Inconclusive,

    /// <summary>The bundle itself shows tampering.</summary>
    BundleTampered,

    /// <summary>The receipt or the bundle is not in the documented format, or the receipt is not signed by a trusted key.</summary>
    Malformed,
}

/// <summary>The verdict on a receipt, the receipt and bundle report it rests on, a one-line reason and the position concerned.</summary>
public sealed record ReceiptReport(ReceiptVerdict Verdict, FilingReceipt? Receipt, BundleReport? Bundle, string Message, long? Position = null)
{
    public bool IsEvidenceAgainstTheLog => Verdict is ReceiptVerdict.Missing or ReceiptVerdict.Changed or ReceiptVerdict.Late;
}
