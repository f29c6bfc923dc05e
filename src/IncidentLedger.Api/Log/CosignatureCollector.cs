using System.Text;
using IncidentLedger.Api.Hosting;
using IncidentLedger.EventStore.Sealing;
using IncidentLedger.Integrity.Checkpoints;

namespace IncidentLedger.Api.Log;

/// <summary>The witnesses whose cosignatures the ledger collects (Ledger:Witnesses, verifier keys of type 0x04).</summary>
public sealed record LedgerWitnesses(IReadOnlyList<CosignatureKey> Keys)
{
    /// <summary>Parses the configured keys; a malformed one stops start-up with the setting that holds it.</summary>
    public static LedgerWitnesses From(LedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var keys = new List<CosignatureKey>();
        for (var i = 0; i < options.Witnesses.Length; i++)
        {
            try
            {
                keys.Add(CosignatureKey.FromVerifierKey(options.Witnesses[i]));
            }
            catch (FormatException e)
            {
                throw new InvalidOperationException($"Ledger:Witnesses:{i} is not a witness verifier key (name+keyid+base64 of 0x04 ‖ Ed25519 key): {e.Message}", e);
            }
        }

        return new LedgerWitnesses(keys);
    }
}

/// <summary>One cosignature of a push, and whether the ledger stored it now (false: it held it already).</summary>
public sealed record CollectedLine(string Witness, uint KeyId, long CosignedAt, bool Added);

/// <summary>What a push came to: the checkpoint it cosigned and each cosignature in it.</summary>
public sealed record CosignaturePush(Checkpoint Checkpoint, IReadOnlyList<CollectedLine> Cosignatures);

/// <summary>
/// Takes a witness's cosigned checkpoint (the note text with its signature lines, as `ledger witness` prints it) and
/// stores its cosignatures, all or none: the text must be exactly a checkpoint this log signed, and every line not by
/// the log's own key must be a tlog-cosignature/v1 by a configured witness that verifies over that text. Pushing the
/// same cosignature again stores nothing and answers the same.
/// </summary>
public sealed class CosignatureCollector(LedgerOptions options, INoteSigner logKey, LedgerWitnesses witnesses, LedgerLog log, WitnessCosignatures store, TimeProvider clock)
{
    /// <summary>The largest push accepted: a checkpoint and a hundred signature lines fit well within it.</summary>
    public const int MaxBytes = 32 * 1024;

    /// <summary>How far ahead of the ledger's clock a cosignature's timestamp may be (clock skew between the witness and the ledger).</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(10);

    /// <summary>Verifies and stores the cosignatures in <paramref name="body"/>; returns what was collected, or a one-line reason nothing was.</summary>
    public async Task<(CosignaturePush? Push, string? Problem)> CollectAsync(string body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        SignedNote note;
        Checkpoint checkpoint;
        try
        {
            note = SignedNote.Parse(body);
        }
        catch (FormatException e)
        {
            return (null, $"The body is not a signed note (the checkpoint's text, a blank line, then signature lines): {e.Message}");
        }

        try
        {
            checkpoint = Checkpoint.Parse(note.Text);
        }
        catch (FormatException e)
        {
            return (null, $"The note is not a checkpoint: {e.Message}");
        }

        if (checkpoint.Origin != options.Origin)
        {
            return (null, $"The checkpoint is for {checkpoint.Origin}; this log is {options.Origin}.");
        }

        var signed = await log.CheckpointAsync(checkpoint.Size, cancellationToken);
        if (signed is null)
        {
            var latest = (await log.LatestCheckpointAsync(cancellationToken))?.Checkpoint.Size;
            return (null, $"The log never signed a checkpoint of size {checkpoint.Size} (its latest has size {(latest is { } l ? l : "none")}): nothing was stored.");
        }

        if (SignedNote.Parse(signed.Note).Text != note.Text)
        {
            return (null, $"The log never signed this checkpoint: its checkpoint of size {checkpoint.Size} has root {signed.Checkpoint.Root}, not {checkpoint.Root}. Nothing was stored.");
        }

        var text = Encoding.UTF8.GetBytes(note.Text);
        var lines = new List<NoteSignature>();
        foreach (var line in note.Signatures.DistinctBy(s => (s.KeyName, s.KeyId, Convert.ToBase64String(s.Signature))))
        {
            if (line.KeyName == logKey.KeyName)
            {
                continue; // the log's own signature (by this key or one it rotated from): the ledger serves the one it made
            }

            var witness = witnesses.Keys.FirstOrDefault(w => w.KeyName == line.KeyName && w.KeyId == line.KeyId);
            if (witness is null)
            {
                var known = witnesses.Keys.Count == 0 ? "none are configured" : "it knows " + string.Join(", ", witnesses.Keys.Select(w => $"{w.KeyName} ({w.KeyId:x8})"));
                return (null, $"{line.KeyName} (key ID {line.KeyId:x8}) is not a witness this ledger knows ({known}); add its verifier key to Ledger:Witnesses. Nothing was stored.");
            }

            if (witness.VerifiedTimestamp(text, line.Signature) is not { } cosignedAt)
            {
                return (null, $"The cosignature of {line.KeyName} (key ID {line.KeyId:x8}) does not verify over this checkpoint (tlog-cosignature/v1, Ed25519). Nothing was stored.");
            }

            if (cosignedAt > clock.GetUtcNow().Add(FutureTolerance).ToUnixTimeSeconds())
            {
                return (null, $"The cosignature of {line.KeyName} is dated {cosignedAt} (POSIX seconds), more than {FutureTolerance.TotalMinutes:0} minutes ahead of the ledger's clock; check the witness's clock. Nothing was stored.");
            }

            lines.Add(line);
        }

        if (lines.Count == 0)
        {
            return (null, "The note carries no witness cosignature: push the checkpoint with the witness's signature line appended.");
        }

        var added = await store.AddAsync(checkpoint, lines, clock.GetUtcNow(), cancellationToken);
        return (new CosignaturePush(checkpoint, [.. lines.Select((l, i) => new CollectedLine(l.KeyName, l.KeyId, WitnessCosignatures.CosignedAtOf(l.Signature), added[i]))]), null);
    }
}
