using System.CommandLine;
using IncidentLedger.EventStore.Sealing;
using IncidentLedger.Integrity.Checkpoints;

namespace IncidentLedger.Cli.Commands;

/// <summary>`ledger key generate`: a new Ed25519 key for a log (checkpoints and receipts) or a witness (cosignatures).</summary>
internal static class KeyCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var name = new Option<string>("--name") { Description = "The key name: the log's origin, or the witness's name (e.g. witness.example.org/w1).", Required = true };
        var file = new Option<FileInfo>("--out", "-o") { Description = "Where to write the private key (PKCS#8 PEM, owner-readable only); an existing file is never overwritten.", Required = true };
        var witness = new Option<bool>("--witness") { Description = "Make a witness key (cosignature type 0x04) instead of a log key (type 0x01)." };
        var generate = new Command("generate", "Generate an Ed25519 private key and print its verifier key.") { name, file, witness };
        generate.SetAction(async (parse, ct) =>
        {
            var keyName = parse.GetValue(name)!;
            var path = parse.GetValue(file)!;
            try
            {
                VerifierKeys.ValidateName(keyName);
            }
            catch (FormatException e)
            {
                await error.WriteLineAsync($"Bad --name: {e.Message}");
                return ExitCodes.Usage;
            }

            if (path.Exists)
            {
                await error.WriteLineAsync($"{path.FullName} exists; a key file is never overwritten (rotation keeps the old key: see docs/verification.md, \"Keys\").");
                return ExitCodes.Usage;
            }

            var verifierKey = parse.GetValue(witness)
                ? CheckpointKeys.LoadWitness(keyName, path.FullName, createIfMissing: true).VerifierKey
                : CheckpointKeys.LoadFile(keyName, path.FullName, createIfMissing: true).VerifierKey;
            await output.WriteLineAsync(verifierKey);
            return ExitCodes.Ok;
        });
        return new Command("key", "Manage signing keys.") { generate };
    }
}
