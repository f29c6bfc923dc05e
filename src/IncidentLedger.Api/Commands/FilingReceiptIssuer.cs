using IncidentLedger.Api.Hosting;
using IncidentLedger.EventStore.Writing;
using IncidentLedger.Integrity;
using IncidentLedger.Integrity.Checkpoints;
using IncidentLedger.Integrity.Receipts;

namespace IncidentLedger.Api.Commands;

/// <summary>
/// Signs a filing receipt with the log key for every event an accepted command wrote: the log's promise that the
/// event, with its hash, at its stream version, recorded then, will be covered by a signed checkpoint within
/// <see cref="LedgerOptions.MaximumMergeDelay"/>. A repeated command (same idempotency key) gets the receipts of the
/// events its first run wrote, byte for byte, since Ed25519 signatures are deterministic.
/// </summary>
public sealed class FilingReceiptIssuer(LedgerOptions options, INoteSigner logKey)
{
    /// <summary>The outcome with one receipt per written event. Issued inside the handler: if the commit then fails, the outcome, receipts and all, never reaches the sender.</summary>
    public WriteOutcome Sign(WriteOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome with
        {
            Receipts = [.. outcome.Events.Select(e => FilingReceipts.Issue(
                options.Origin, e.EventId, outcome.StreamId, e.Version, Hash.FromHex(e.Hash), e.RecordedAt, options.MaximumMergeDelay, logKey))],
        };
    }
}
