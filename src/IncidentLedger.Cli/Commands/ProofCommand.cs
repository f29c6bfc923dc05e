using System.CommandLine;
using System.Text.Json;
using IncidentLedger.EventStore.Sealing;
using IncidentLedger.Integrity.Bundles;

namespace IncidentLedger.Cli.Commands;

/// <summary>`ledger proof EVENT-ID`: the event, its inclusion proof and the checkpoint it is proven against.</summary>
internal static class ProofCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var eventId = new Argument<Guid>("event-id") { Description = "The event to prove." };
        var connection = LedgerConnection.Connection();
        var schema = LedgerConnection.Schema();
        var file = new Option<FileInfo?>("--out", "-o") { Description = "Write the proof here instead of to standard output." };
        var command = new Command("proof", "Print an event with its RFC 9162 inclusion proof and the signed checkpoint; check it with `ledger verify`.") { eventId, connection, schema, file };
        command.SetAction(async (parse, ct) =>
        {
            await using var dataSource = LedgerConnection.Open(parse.GetValue(connection), parse.GetValue(schema)!);
            var proof = await new LedgerExport(dataSource).ProofAsync(parse.GetValue(eventId), ct);
            if (proof is null)
            {
                await error.WriteLineAsync($"Event {parse.GetValue(eventId)} is not in the log yet, or not yet covered by a signed checkpoint.");
                return ExitCodes.Tampered;
            }

            var json = JsonSerializer.Serialize(proof, BundleFormat.Json);
            if (parse.GetValue(file) is { } path)
            {
                await File.WriteAllTextAsync(path.FullName, json, ct);
                await output.WriteLineAsync($"proof of position {proof.Position} in the tree of size {proof.TreeSize} written to {path.FullName}");
            }
            else
            {
                await output.WriteLineAsync(json);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
