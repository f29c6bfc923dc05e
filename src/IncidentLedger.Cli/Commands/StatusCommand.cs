using System.CommandLine;
using IncidentLedger.EventStore.Outbox;
using IncidentLedger.EventStore.Projections;
using IncidentLedger.EventStore.Sealing;

namespace IncidentLedger.Cli.Commands;

/// <summary>`ledger status`: sealing, projections and outbox at a glance.</summary>
internal static class StatusCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var connection = LedgerConnection.Connection();
        var schema = LedgerConnection.Schema();
        var command = new Command("status", "Show the sealed log's size and lag, every projection's position, lag and state, and the outbox depth.") { connection, schema };
        command.SetAction(async (parse, ct) =>
        {
            await using var dataSource = LedgerConnection.Open(parse.GetValue(connection), parse.GetValue(schema)!);
            var seal = await new LedgerLog(dataSource).StatusAsync(ct);
            await output.WriteLineAsync($"log: {seal.Size} sealed, {seal.Unsealed} waiting (oldest {seal.OldestUnsealedSeconds:0.0} s), oldest open writer {seal.OldestWriterSeconds:0.0} s, latest checkpoint {seal.LatestCheckpoint?.Checkpoint.Size.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}");
            foreach (var p in await new ProjectionAdmin(dataSource).StatusAsync(ct))
            {
                var problem = p.Error is null ? "" : $" — stopped at position {p.ErrorPosition}: {p.Error}";
                await output.WriteLineAsync($"projection {p.Name}: {p.State}, position {p.Position}, {p.LagEvents} events / {p.LagSeconds:0.0} s behind{problem}");
            }

            var (pending, dead) = await OutboxDispatcher.DepthAsync(dataSource, ct);
            await output.WriteLineAsync($"outbox: {pending} pending, {dead} dead-lettered");
            return ExitCodes.Ok;
        });
        return command;
    }
}
