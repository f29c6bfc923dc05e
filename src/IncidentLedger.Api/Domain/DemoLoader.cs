using IncidentLedger.Api.Commands;
using IncidentLedger.Domain;
using IncidentLedger.Domain.Demo;
using IncidentLedger.EventStore;
using IncidentLedger.EventStore.Writing;
using Marten;
using Npgsql;
using Wolverine;

namespace IncidentLedger.Api.Domain;

/// <summary>What loading the demo did.</summary>
public sealed record DemoLoadResult(int Commands, int EventsWritten, int CommandsAlreadyApplied);

/// <summary>
/// Loads the demo data set (nine incidents modelled on the source reports' cases, with their organisations, systems,
/// policies, notifications, disputes and losses) by running each of its commands through the command executor, so
/// every event is decided against what the database holds; each goes through Wolverine like any other command. A step whose events a stream already holds is skipped, so
/// loading again writes nothing and an interrupted load resumes where it stopped; each command also carries a
/// command key.
/// </summary>
public sealed class DemoLoader(IServiceScopeFactory scopes, IDocumentStore store, NpgsqlDataSource dataSource, ILogger<DemoLoader> logger)
{
    /// <summary>A fixed origin, so the demo's ids, payloads and event hashes are the same on every machine.</summary>
    public static DateTimeOffset Origin { get; } = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The advisory lock nodes loading the demo take turns on.</summary>
    private const string LockKey = "hashtextextended('incident-ledger/demo', 0)";

    public async Task<DemoLoadResult> LoadAsync(CancellationToken cancellationToken = default)
    {
        // Nodes started with --demo at the same time load one after the other; the later ones find everything there.
        await using var guard = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand($"SELECT pg_advisory_lock({LockKey})", guard))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            return await LoadLockedAsync(cancellationToken);
        }
        finally
        {
            await PooledSessions.UndoAsync(guard, $"SELECT pg_advisory_unlock({LockKey})");
        }
    }

    private async Task<DemoLoadResult> LoadLockedAsync(CancellationToken cancellationToken)
    {
        var data = DemoDataSet.Build(Origin);
        await using var scope = scopes.CreateAsyncScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        var (written, already) = (0, 0);
        var stored = new Dictionary<Guid, long>();
        var reached = new Dictionary<Guid, long>();
        foreach (var step in data.Steps)
        {
            if (!stored.TryGetValue(step.StreamId, out var version))
            {
                await using var query = store.QuerySession();
                version = stored[step.StreamId] = (await query.Events.FetchStreamStateAsync(StreamKeys.Of(step.StreamId), cancellationToken))?.Version ?? 0;
            }

            var target = reached[step.StreamId] = reached.GetValueOrDefault(step.StreamId) + step.Events.Count;
            if (version >= target)
            {
                already++;
                continue;
            }

            var result = await bus.InvokeAsync<WriteOutcome>(
                LedgerCommand.For(step.Command, new CommandContext { IdempotencyKey = $"demo/{Origin:yyyy-MM-dd}/{step.Sequence}", ScheduleDeadlineChecks = false }),
                cancellationToken);
            await using var read = store.QuerySession();
            var decided = result.Events.Count == 0 ? [] : await read.Events.FetchStreamAsync(result.StreamKey, result.Version, fromVersion: result.Events[0].Version, token: cancellationToken);
            if (decided.Count != step.Events.Count || !decided.Zip(step.Events).All(pair => DomainJson.Same(pair.First.Data, pair.Second)))
            {
                throw new InvalidOperationException(
                    $"Demo step {step.Sequence} ({step.Command.GetType().Name} on {step.StreamType} {step.StreamId}) decided other events against the database than when the data set was built.");
            }

            written += result.Events.Count;
        }

        logger.LogInformation("Demo data set: {Commands} commands, {Written} events written, {Already} commands already applied.", data.Steps.Count, written, already);
        return new DemoLoadResult(data.Steps.Count, written, already);
    }
}
