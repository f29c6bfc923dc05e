using System.CommandLine;
using IncidentLedger.Cli.Commands;

namespace IncidentLedger.Cli;

/// <summary>Exit codes: 0 intact (or done), 1 tampered (or failed), 2 usage.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Tampered = 1;
    public const int Usage = 2;
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
            RebuildCommand.Create(output, error),
            WitnessCommand.Create(output, error),
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

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }
}
