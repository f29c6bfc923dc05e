using System.CommandLine;
using IncidentLedger.EventStore.Projections;
using Spectre.Console;

namespace IncidentLedger.Cli.Commands;

/// <summary>`ledger rebuild NAME`: replays a projection from position 0 into shadow tables, swapped in when caught up.</summary>
internal static class RebuildCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var name = new Argument<string>("projection") { Description = "The projection to rebuild (see `ledger status`)." };
        var connection = LedgerConnection.Connection();
        var schema = LedgerConnection.Schema();
        var wait = new Option<int>("--wait") { Description = "Seconds to wait for a running node to pick the rebuild up before giving up.", DefaultValueFactory = _ => 30 };
        var command = new Command("rebuild", "Rebuild a projection from the sealed log; reads keep seeing the old rows until the new ones are complete.") { name, connection, schema, wait };
        command.SetAction(async (parse, ct) =>
        {
            await using var dataSource = LedgerConnection.Open(parse.GetValue(connection), parse.GetValue(schema)!);
            var admin = new ProjectionAdmin(dataSource);
            var projection = parse.GetValue(name)!;
            try
            {
                await admin.RequestRebuildAsync(projection, ct);
            }
            catch (ArgumentException e)
            {
                await error.WriteLineAsync(e.Message);
                return ExitCodes.Usage;
            }

            var started = DateTime.UtcNow;
            var patience = TimeSpan.FromSeconds(parse.GetValue(wait));
            ProjectionStatus status = await admin.StatusAsync(projection, ct);
            async Task<bool> StepAsync()
            {
                status = await admin.StatusAsync(projection, ct);
                return status.RebuildRequested && status.State != "stopped" && (status.RebuildPosition is not null || DateTime.UtcNow - started < patience);
            }

            if (Console.IsOutputRedirected || output != Console.Out)
            {
                while (await StepAsync())
                {
                    await Task.Delay(250, ct);
                }
            }
            else
            {
                await AnsiConsole.Progress().StartAsync(async progress =>
                {
                    var task = progress.AddTask($"rebuilding {projection}");
                    while (await StepAsync())
                    {
                        task.MaxValue = Math.Max(1, status.SealedSize);
                        task.Value = (status.RebuildPosition ?? -1) + 1;
                        await Task.Delay(250, ct);
                    }

                    task.Value = task.MaxValue;
                });
            }

            if (status.State == "stopped")
            {
                await output.WriteLineAsync($"{projection} stopped at position {status.ErrorPosition}: {status.Error}");
                return ExitCodes.Tampered;
            }

            if (status.RebuildRequested)
            {
                await output.WriteLineAsync($"No node picked the rebuild of {projection} up within {patience.TotalSeconds:0} s; it stays requested and starts when a node running it is up.");
                return ExitCodes.Tampered;
            }

            await output.WriteLineAsync($"{projection} rebuilt and swapped in at position {status.Position}.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
