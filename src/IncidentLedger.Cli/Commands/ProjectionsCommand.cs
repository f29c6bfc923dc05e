using System.CommandLine;
using System.Globalization;
using IncidentLedger.EventStore.Projections;

namespace IncidentLedger.Cli.Commands;

/// <summary>`ledger projections skip` and `ledger rebuild`: the operator's hand on the read models.</summary>
internal static class ProjectionsCommand
{
    public static Command Projections(TextWriter output)
    {
        var connection = LedgerConnection.Connection();
        var schema = LedgerConnection.Schema();
        var projection = new Argument<string>("projection") { Description = $"The projection: {string.Join(", ", LedgerProjections.Names)}." };
        var sequence = new Option<long>("--event") { Description = "The sequence number of the event it stopped at (see `ledger status`).", Required = true };
        var reason = new Option<string>("--reason") { Description = "Why the event cannot be applied and may be passed over; recorded.", Required = true };
        var author = new Option<string>("--author") { Description = "Who decided it; recorded.", Required = true };
        var skip = new Command("skip", "Record that a stopped projection passes over one event, with the reason and author; it resumes on its next retry.")
        {
            projection, sequence, reason, author, connection, schema,
        };
        skip.SetAction(async (parse, ct) =>
        {
            using var store = LedgerConnection.OpenStore(parse.GetValue(connection), parse.GetValue(schema)!);
            var recorded = await ProjectionSkips.RecordAsync(store, parse.GetValue(projection)!, parse.GetValue(sequence), parse.GetValue(reason)!, parse.GetValue(author)!, DateTimeOffset.UtcNow, ct);
            await output.WriteLineAsync($"{recorded.Projection} will pass over event {recorded.Sequence} (recorded by {recorded.Author} at {recorded.RecordedAt:O}: {recorded.Reason}).");
            return ExitCodes.Ok;
        });

        return new Command("projections", "Work with the read-model projections.") { skip };
    }

    public static Command Rebuild(TextWriter output, TextWriter error)
    {
        var connection = LedgerConnection.Connection();
        var schema = LedgerConnection.Schema();
        var projection = new Argument<string>("projection") { Description = $"The projection: {string.Join(", ", LedgerProjections.Names)}." };
        var by = new Option<string>("--by") { Description = "Who asks for it (recorded).", DefaultValueFactory = _ => Environment.UserName };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for it to finish.", DefaultValueFactory = _ => 600 };
        var command = new Command("rebuild", "Replay a read model from the first event on the node that runs the projections; reads keep answering from the current rows meanwhile.")
        {
            projection, by, timeout, connection, schema,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var store = LedgerConnection.OpenStore(parse.GetValue(connection), parse.GetValue(schema)!);
            var request = await ProjectionRebuilds.RequestAsync(store, parse.GetValue(projection)!, parse.GetValue(by)!, DateTimeOffset.UtcNow, ct);
            var claimBy = DateTime.UtcNow.AddSeconds(30);
            var deadline = DateTime.UtcNow.AddSeconds(parse.GetValue(timeout));
            while (true)
            {
                var state = await ProjectionRebuilds.FindAsync(store, request.Id, ct);
                if (state is { Finished: true })
                {
                    if (state.Error is not null)
                    {
                        await error.WriteLineAsync($"Rebuild of {state.Projection} failed on {state.Node}: {state.Error}");
                        return ExitCodes.Tampered;
                    }

                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{state.Projection} rebuilt on {state.Node}: {state.Events} events in {state.Seconds:0.00} s ({state.EventsPerSecond:0} events/s)."));
                    return ExitCodes.Ok;
                }

                if (state?.StartedAt is null && DateTime.UtcNow > claimBy)
                {
                    await error.WriteLineAsync($"No ledger node running the projections took the request within 30 s (request {request.Id} stays queued). Start the API (dotnet run --project src/IncidentLedger.Api) against this database.");
                    return ExitCodes.Tampered;
                }

                if (DateTime.UtcNow > deadline)
                {
                    await error.WriteLineAsync($"The rebuild of {request.Projection} is still running on {state?.Node}; `ledger status` shows its progress.");
                    return ExitCodes.Unvouched;
                }

                await Task.Delay(250, ct);
            }
        });
        return command;
    }
}
