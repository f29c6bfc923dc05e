using IncidentLedger.Domain;
using IncidentLedger.Domain.Demo;
using IncidentLedger.EventStore;
using IncidentLedger.EventStore.Commands;
using IncidentLedger.EventStore.Streams;
using Npgsql;

namespace IncidentLedger.Api.Domain;

/// <summary>What loading the demo did.</summary>
public sealed record DemoLoadResult(int Commands, int EventsWritten, int CommandsAlreadyApplied);

/// <summary>
/// Loads the demo data set (nine incidents modelled on the source reports' cases, with their organisations, systems,
/// policies, notifications, disputes and losses) by running each of its commands through the command executor, so
/// every event is decided against what the database holds. A step whose events a stream already holds is skipped, so
/// loading again writes nothing and an interrupted load resumes where it stopped; each command also carries a
/// command key.
/// </summary>
public sealed class DemoLoader(LedgerEventStore store, CommandExecutor executor, NpgsqlDataSource dataSource, ILogger<DemoLoader> logger)
{
    /// <summary>A fixed origin, so the demo's ids, payloads and event hashes are the same on every machine.</summary>
    public static DateTimeOffset Origin { get; } = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    public async Task<DemoLoadResult> LoadAsync(CancellationToken cancellationToken = default)
    {
        // Nodes started with --demo at the same time load one after the other; the later ones find everything there.
        await using var guard = await dataSource.OpenConnectionAsync(cancellationToken);
        await LockAsync(guard, "pg_advisory_lock", cancellationToken);
        try
        {
            return await LoadLockedAsync(cancellationToken);
        }
        finally
        {
            await LockAsync(guard, "pg_advisory_unlock", CancellationToken.None);
        }
    }

    private static async Task LockAsync(NpgsqlConnection connection, string function, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {function}(hashtextextended('incident-ledger/demo', 0))", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<DemoLoadResult> LoadLockedAsync(CancellationToken cancellationToken)
    {
        var data = DemoDataSet.Build(Origin);
        var (written, already) = (0, 0);
        var stored = new Dictionary<Guid, long>();
        var reached = new Dictionary<Guid, long>();
        foreach (var step in data.Steps)
        {
            if (!stored.TryGetValue(step.StreamId, out var version))
            {
                version = stored[step.StreamId] = (await store.GetStreamAsync(step.StreamId, cancellationToken))?.Version ?? 0;
            }

            var target = reached[step.StreamId] = reached.GetValueOrDefault(step.StreamId) + step.Events.Count;
            if (version >= target)
            {
                already++;
                continue;
            }

            var result = await executor.ExecuteAsync(
                new StreamKey(step.StreamType, step.StreamId),
                step.Command,
                DomainLedger.Decider(DomainStreams.For(step.StreamType)),
                new CommandOptions<object> { Metadata = DomainLedger.Metadata(step.Actor), CommandKey = $"demo/{Origin:yyyy-MM-dd}/{step.Sequence}" },
                cancellationToken);
            if (result.Events.Count != step.Events.Count || !result.Events.Zip(step.Events).All(pair => DomainJson.Same(pair.First, pair.Second)))
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
