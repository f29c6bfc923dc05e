using System.CommandLine;
using IncidentLedger.Integrity.Receipts;

namespace IncidentLedger.Cli.Commands;

/// <summary>`ledger receipt verify RECEIPT BUNDLE`: did the log keep the promise its filing receipt made?</summary>
internal static class ReceiptCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var receiptFile = new Argument<FileInfo>("receipt") { Description = "A filing receipt (signed note) the ledger returned for a write." };
        var bundleFile = new Argument<FileInfo>("bundle") { Description = "A bundle from `ledger export`." };
        var trust = new TrustOptions();
        var verify = new Command("verify", "Show that the receipt's event is in the bundle, unchanged, at a position covered by a signed checkpoint, included in time. Exit 0: kept; 4: evidence against the log (missing, changed, late); 3: not settled yet; 1: the bundle is tampered; 2: usage or malformed.")
        {
            receiptFile, bundleFile,
        };
        trust.AddTo(verify);
        verify.SetAction(async (parse, ct) =>
        {
            var (options, problem) = await trust.ReadAsync(parse, ct);
            if (options is null)
            {
                await error.WriteLineAsync(problem);
                return ExitCodes.Usage;
            }

            var receiptPath = parse.GetValue(receiptFile)!;
            var bundlePath = parse.GetValue(bundleFile)!;
            foreach (var f in new[] { receiptPath, bundlePath })
            {
                if (!f.Exists)
                {
                    await error.WriteLineAsync($"{f.FullName} does not exist.");
                    return ExitCodes.Usage;
                }
            }

            ReceiptReport report;
            try
            {
                var receipt = await File.ReadAllTextAsync(receiptPath.FullName, new System.Text.UTF8Encoding(false, true), ct);
                await using var bundle = new FileStream(bundlePath.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                report = FilingReceipts.Check(receipt, bundle, options);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.DecoderFallbackException)
            {
                await error.WriteLineAsync($"Cannot read the receipt or the bundle: {e.Message}");
                return ExitCodes.Usage;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await error.WriteLineAsync($"The receipt could not be checked ({e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}); nothing is concluded about the log.");
                return ExitCodes.Usage;
            }

            switch (report.Verdict)
            {
                case ReceiptVerdict.Kept:
                    await output.WriteLineAsync($"kept: {report.Message}");
                    return ExitCodes.Ok;
                case ReceiptVerdict.Missing or ReceiptVerdict.Changed or ReceiptVerdict.Late:
                    await output.WriteLineAsync($"EVIDENCE AGAINST THE LOG ({report.Verdict.ToString().ToLowerInvariant()}): {report.Message}. The receipt is signed by the log's key.");
                    return ExitCodes.EvidenceAgainstLog;
                case ReceiptVerdict.Inconclusive:
                    await output.WriteLineAsync($"NOT SETTLED: {report.Message}");
                    return ExitCodes.Unvouched;
                case ReceiptVerdict.BundleTampered:
                    await output.WriteLineAsync($"TAMPERED: {report.Message}");
                    return ExitCodes.Tampered;
                default:
                    await output.WriteLineAsync($"MALFORMED: {report.Message}");
                    return ExitCodes.Usage;
            }
        });
        return new Command("receipt", "Check filing receipts against the log.") { verify };
    }
}
