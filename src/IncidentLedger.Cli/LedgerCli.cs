using System.CommandLine;
using IncidentLedger.Cli.Commands;

namespace IncidentLedger.Cli;

/// <summary>Exit codes (docs/verification.md, "Exit codes").</summary>
public static class ExitCodes
{
    /// <summary>Intact, kept, or done.</summary>
    public const int Ok = 0;

    /// <summary>Evidence of tampering (or the command failed).</summary>
    public const int Tampered = 1;

    /// <summary>Usage error, or input that is not in the documented format: nothing is concluded.</summary>
    public const int Usage = 2;

    /// <summary>Intact as far as signed (or witnessed) checkpoints reach, with entries after that unvouched; or a receipt not yet settled.</summary>
    public const int Unvouched = 3;

    /// <summary>`ledger receipt verify`: the log broke a promise it signed (the event is missing, changed or late).</summary>
    public const int EvidenceAgainstLog = 4;
}

/// <summary>The `ledger` command line.</summary>
public static class LedgerCli
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("IncidentLedger: verify, export and prove the AI incident ledger.")
        {
            VerifyCommand.Create(output, error),
            ExportCommand.Create(output, error),
            ProofCommand.Create(output, error),
            StatusCommand.Create(output, error),
            WitnessCommand.Create(output, error),
            ReceiptCommand.Create(output, error),
            KeyCommand.Create(output, error),
            ProjectionsCommand.Projections(output),
            ProjectionsCommand.Rebuild(output, error),
            TokenCommand.Create(output, error),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var problem in parsed.Errors)
            {
                await error.WriteLineAsync(problem.Message);
            }

            await error.WriteLineAsync("Run `ledger --help` for usage.");
            return ExitCodes.Usage;
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync(e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal));
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            // One line, no stack trace: what went wrong is in the message.
            await error.WriteLineAsync(e is Npgsql.NpgsqlException ? $"The ledger database answered: {e.Message}" : e.Message);
            return ExitCodes.Tampered;
        }
    }
}
