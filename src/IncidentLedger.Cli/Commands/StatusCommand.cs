using System.CommandLine;
using IncidentLedger.EventStore;
using IncidentLedger.EventStore.Sealing;

namespace IncidentLedger.Cli.Commands;

/// <summary>`ledger status`: sealing, projections and outbox at a glance.</summary>
internal static class StatusCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var connection = LedgerConnection.Connection();
        var schema = LedgerConnection.Schema();
        var command = new Command("status", "Show the sealed log's size and lag, every projection's progress, and the message store's depth.") { connection, schema };
        command.SetAction(async (parse, ct) =>
        {
            await using var dataSource = LedgerConnection.Open(parse.GetValue(connection), parse.GetValue(schema)!);
            var seal = await new LedgerLog(dataSource).StatusAsync(ct);
            await output.WriteLineAsync($"log: {seal.Size} sealed, {seal.Unsealed} waiting (oldest {seal.OldestUnsealedSeconds:0.0} s), oldest open writer {seal.OldestWriterSeconds:0.0} s, latest checkpoint {seal.LatestCheckpoint?.Checkpoint.Size.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}");
            foreach (var p in await LedgerStatus.ProjectionsAsync(dataSource, ct))
            {
                await output.WriteLineAsync(p.Error is null
                    ? $"projection {p.Name}: sequence {p.Sequence}, {p.LagEvents} events behind"
                    : $"projection {p.Name}: STOPPED at event {p.StoppedAt}: {p.Error} (fix the cause, or record a skip: ledger projections skip {p.Name.Split(':')[0]} --event {p.StoppedAt} --reason ... --author ...)");
            }

            var messages = await LedgerStatus.MessagesAsync(dataSource, ct);
            await output.WriteLineAsync($"outbox: {messages.Outgoing} outgoing, {messages.Incoming} incoming or scheduled, {messages.Dead} dead-lettered");
            return ExitCodes.Ok;
        });
        return command;
    }
}
