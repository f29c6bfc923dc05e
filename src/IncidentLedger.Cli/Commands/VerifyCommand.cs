using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using IncidentLedger.Integrity.Bundles;
using IncidentLedger.Integrity.Checkpoints;

namespace IncidentLedger.Cli.Commands;

/// <summary>`ledger verify FILE`: checks a bundle or a proof offline.</summary>
internal static class VerifyCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<FileInfo>("file") { Description = "A bundle from `ledger export` or a proof from `ledger proof`." };
        var keys = new Option<string[]>("--key") { Description = "A checkpoint verifier key you trust (name+id+key); repeatable. Without one, the keys the file names are used, and the report says so.", AllowMultipleArgumentsPerToken = false };
        var trusted = new Option<FileInfo?>("--trusted") { Description = "A signed checkpoint you trusted before: the log must extend it (no rollback, no fork)." };
        var command = new Command("verify", "Verify a bundle or a proof offline. Exit code 0: intact; 1: tampered (the first bad position and why); 2: usage.") { file, keys, trusted };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                await error.WriteLineAsync($"{path.FullName} does not exist.");
                return ExitCodes.Usage;
            }

            IReadOnlyList<INoteVerifier> trustedKeys;
            string? trustedCheckpoint;
            try
            {
                trustedKeys = [.. (parse.GetValue(keys) ?? []).Select(EcdsaNoteKey.FromVerifierKey)];
                trustedCheckpoint = parse.GetValue(trusted) is { } t ? await File.ReadAllTextAsync(t.FullName, ct) : null;
            }
            catch (Exception e) when (e is FormatException or IOException)
            {
                await error.WriteLineAsync($"Bad --key or --trusted: {e.Message}");
                return ExitCodes.Usage;
            }

            using var reader = new StreamReader(path.FullName);
            var first = await reader.ReadLineAsync(ct) ?? "";
            if (first.Contains(BundleFormat.ProofFormat, StringComparison.Ordinal))
            {
                return await VerifyProofAsync(first + await reader.ReadToEndAsync(ct), trustedKeys, output);
            }

            var clock = Stopwatch.StartNew();
            using var rest = new StringReader(first + "\n" + await reader.ReadToEndAsync(ct));
            var report = BundleVerifier.Verify(rest, trustedKeys, trustedCheckpoint);
            foreach (var note in report.Notes)
            {
                await output.WriteLineAsync($"note: {note}");
            }

            if (report.IsIntact)
            {
                await output.WriteLineAsync($"intact: {report.EventsChecked} events, {report.CheckpointsChecked} checkpoints, signed size {report.SignedSize}, root {report.Root} ({report.EventsChecked / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):0} events/s)");
                return ExitCodes.Ok;
            }

            await output.WriteLineAsync($"TAMPERED: {report.Finding}");
            return ExitCodes.Tampered;
        });
        return command;
    }

    private static async Task<int> VerifyProofAsync(string json, IReadOnlyList<INoteVerifier> keys, TextWriter output)
    {
        var proof = JsonSerializer.Deserialize<ProofDocument>(json, BundleFormat.Json)!;
        var finding = BundleVerifier.VerifyProof(proof, keys);
        if (finding is null)
        {
            await output.WriteLineAsync($"intact: event {proof.Event.EventId} is at position {proof.Position} of the log signed at size {proof.TreeSize}");
            return ExitCodes.Ok;
        }

        await output.WriteLineAsync($"TAMPERED: {finding}");
        return ExitCodes.Tampered;
    }
}
