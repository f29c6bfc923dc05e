using System.CommandLine;
using IncidentLedger.EventStore.Sealing;
using Spectre.Console;

namespace IncidentLedger.Cli.Commands;

/// <summary>`ledger export`: the sealed log as a bundle.</summary>
internal static class ExportCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var connection = LedgerConnection.Connection();
        var schema = LedgerConnection.Schema();
        var file = new Option<FileInfo>("--out", "-o") { Description = "Where to write the bundle (JSON Lines).", Required = true };
        var command = new Command("export", "Export the sealed log (events, positions, checkpoints) as a bundle for `ledger verify`.") { connection, schema, file };
        command.SetAction(async (parse, ct) =>
        {
            await using var dataSource = LedgerConnection.Open(parse.GetValue(connection), parse.GetValue(schema)!);
            var path = parse.GetValue(file)!;
            await using var writer = new StreamWriter(path.FullName);
            var export = new LedgerExport(dataSource);
            long written = 0;
            if (Console.IsOutputRedirected || output != Console.Out)
            {
                written = await export.WriteBundleAsync(writer, cancellationToken: ct);
            }
            else
            {
                await AnsiConsole.Progress().StartAsync(async progress =>
                {
                    var task = progress.AddTask("exporting");
                    written = await export.WriteBundleAsync(writer, (done, total) =>
                    {
                        task.MaxValue = Math.Max(total, 1);
                        task.Value = done;
                    }, ct);
                });
            }

            await output.WriteLineAsync($"exported {written} entries to {path.FullName}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
