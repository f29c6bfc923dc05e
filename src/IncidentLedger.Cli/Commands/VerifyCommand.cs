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
        var trust = new TrustOptions();
        var command = new Command("verify", "Verify a bundle or a proof offline. Exit code 0: intact; 1: tampered (the first bad position and why); 2: usage or malformed input; 3: intact as far as signed, some entries unvouched.") { file };
        trust.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                await error.WriteLineAsync($"{path.FullName} does not exist.");
                return ExitCodes.Usage;
            }

            var (options, problem) = await trust.ReadAsync(parse, ct);
            if (options is null)
            {
                await error.WriteLineAsync(problem);
                return ExitCodes.Usage;
            }

            try
            {
                if (IsProof(path))
                {
                    return await VerifyProofAsync(await File.ReadAllTextAsync(path.FullName, ct), options.TrustedKeys, output);
                }

                var clock = Stopwatch.StartNew();
                await using var stream = new FileStream(path.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                var report = BundleVerifier.Verify(stream, options);
                return await ReportAsync(report, clock.Elapsed, output);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"Cannot read {path.FullName}: {e.Message}");
                return ExitCodes.Usage;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A defect of the verifier, not a verdict on the log: say so in one line, conclude nothing.
                await error.WriteLineAsync($"Verification could not be completed ({e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}); nothing is concluded about the log.");
                return ExitCodes.Usage;
            }
        });
        return command;
    }

    /// <summary>Prints the verdict and returns its exit code.</summary>
    public static async Task<int> ReportAsync(BundleReport report, TimeSpan elapsed, TextWriter output)
    {
        foreach (var note in report.Notes)
        {
            await output.WriteLineAsync($"note: {note}");
        }

        switch (report.Verdict)
        {
            case BundleVerdict.Intact:
                await output.WriteLineAsync($"intact: {report.EventsChecked} events, {report.CheckpointsChecked} checkpoints, signed size {report.SignedSize}, root {report.Root} ({report.EventsChecked / Math.Max(elapsed.TotalSeconds, 1e-9):0} events/s)");
                return ExitCodes.Ok;
            case BundleVerdict.Unvouched:
                await output.WriteLineAsync(report.VouchedSize == 0 && report.CheckpointsChecked == 0 && report.SignedSize == 0
                    ? $"UNSIGNED: {report.EventsChecked} events verify by hash and chain, but no checkpoint vouches for any of them"
                    : $"UNSIGNED: intact as far as vouched (size {report.VouchedSize}); {report.Unvouched} entries from position {report.VouchedSize} are vouched for by no {(report.VouchedSize < report.SignedSize ? "witnessed" : "signed")} checkpoint");
                return ExitCodes.Unvouched;
            case BundleVerdict.Malformed:
                await output.WriteLineAsync($"MALFORMED: {(report.Finding?.Position is { } p ? $"line {p + 2} (position {p}): " : "")}{report.Finding?.Message}");
                return ExitCodes.Usage;
            default:
                await output.WriteLineAsync($"TAMPERED: {report.Finding}");
                return ExitCodes.Tampered;
        }
    }

    private static bool IsProof(FileInfo path)
    {
        using var stream = path.OpenRead();
        var head = new byte[256];
        var n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return System.Text.Encoding.UTF8.GetString(head, 0, n).Contains($"\"{BundleFormat.ProofFormat}\"", StringComparison.Ordinal)
            && !System.Text.Encoding.UTF8.GetString(head, 0, n).Contains($"\"{BundleFormat.Format}\"", StringComparison.Ordinal);
    }

    private static async Task<int> VerifyProofAsync(string json, IReadOnlyList<INoteVerifier> keys, TextWriter output)
    {
        ProofDocument? proof;
        try
        {
            proof = JsonSerializer.Deserialize<ProofDocument>(json, BundleFormat.Json);
        }
        catch (Exception e) when (e is JsonException or FormatException or NotSupportedException)
        {
            await output.WriteLineAsync($"MALFORMED: the proof is not a proof document: {e.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.Usage;
        }

        if (proof is null || proof.Event is null || proof.Path is null || proof.Checkpoint is null || proof.VerifierKeys is null || proof.Origin is null)
        {
            await output.WriteLineAsync("MALFORMED: the proof lacks members (format, origin, position, treeSize, path, checkpoint, verifierKeys, event)");
            return ExitCodes.Usage;
        }

        var finding = BundleVerifier.VerifyProof(proof, keys);
        if (finding is null)
        {
            await output.WriteLineAsync($"intact: event {proof.Event.EventId} is at position {proof.Position} of the log signed at size {proof.TreeSize}");
            return ExitCodes.Ok;
        }

        if (finding.Kind == TamperKind.Malformed)
        {
            await output.WriteLineAsync($"MALFORMED: {finding.Message}");
            return ExitCodes.Usage;
        }

        await output.WriteLineAsync($"TAMPERED: {finding}");
        return ExitCodes.Tampered;
    }
}
