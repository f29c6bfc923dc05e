using System.CommandLine;
using IncidentLedger.Integrity.Bundles;
using IncidentLedger.Integrity.Checkpoints;

namespace IncidentLedger.Cli.Commands;

/// <summary>The options that say what a verifier trusts: --key, --trusted, --witness, --quorum.</summary>
internal sealed class TrustOptions
{
    public Option<string[]> Keys { get; } = new("--key")
    {
        Description = "A log verifier key you trust (name+keyid+base64key, type 0x01 Ed25519 or 0x02 ECDSA P-256); repeat it to accept rotated keys. Without one, the keys the file names are used, and the report says so.",
    };

    public Option<FileInfo?> Trusted { get; } = new("--trusted") { Description = "A signed (or cosigned) checkpoint note you obtained before: the log must extend it (no rollback, no fork)." };

    public Option<string[]> Witnesses { get; } = new("--witness") { Description = "A witness verifier key (type 0x04, tlog-cosignature); repeatable." };

    public Option<int> Quorum { get; } = new("--quorum") { Description = "How many of the --witness keys must have cosigned a checkpoint for it to vouch for entries." };

    public void AddTo(Command command)
    {
        command.Add(Keys);
        command.Add(Trusted);
        command.Add(Witnesses);
        command.Add(Quorum);
    }

    /// <summary>The verification options, or a one-line reason they are unusable.</summary>
    public async Task<(BundleVerificationOptions? Options, string? Problem)> ReadAsync(ParseResult parse, CancellationToken ct)
    {
        IReadOnlyList<INoteVerifier> keys;
        try
        {
            keys = [.. (parse.GetValue(Keys) ?? []).Select(ParseLogKey)];
        }
        catch (FormatException e)
        {
            return (null, $"Bad --key: {e.Message}");
        }

        IReadOnlyList<CosignatureKey> witnesses;
        try
        {
            witnesses = [.. (parse.GetValue(Witnesses) ?? []).Select(CosignatureKey.FromVerifierKey)];
        }
        catch (FormatException e)
        {
            return (null, $"Bad --witness: {e.Message}");
        }

        var quorum = parse.GetValue(Quorum);
        if (quorum < 0 || quorum > witnesses.Count || (witnesses.Count > 0 && quorum == 0))
        {
            return (null, $"--quorum must be between 1 and the number of --witness keys ({witnesses.Count}); it is {quorum}.");
        }

        string? trusted = null;
        if (parse.GetValue(Trusted) is { } file)
        {
            if (!file.Exists)
            {
                return (null, $"--trusted: {file.FullName} does not exist.");
            }

            try
            {
                trusted = await File.ReadAllTextAsync(file.FullName, new System.Text.UTF8Encoding(false, true), ct);
                Checkpoint.Parse(SignedNote.Parse(trusted).Text);
            }
            catch (Exception e) when (e is FormatException or IOException or System.Text.DecoderFallbackException)
            {
                return (null, $"--trusted: {file.FullName} is not a signed checkpoint note: {e.Message}");
            }
        }

        return (new BundleVerificationOptions { TrustedKeys = keys, TrustedCheckpoint = trusted, Witnesses = witnesses, Quorum = quorum }, null);
    }

    public static INoteVerifier ParseLogKey(string key) =>
        VerifierKeys.Split(key).Type == CosignatureKey.SignatureType
            ? throw new FormatException("that is a witness (cosignature) key; pass it with --witness")
            : VerifierKeys.Parse(key);
}
