using IncidentLedger.EventStore.Events;
using IncidentLedger.EventStore.Outbox;
using IncidentLedger.EventStore.Streams;

namespace IncidentLedger.EventStore.Commands;

/// <summary>A stream's decision logic as three pure functions: where a stream starts, how an event changes it, what a command decides.</summary>
public sealed record Decider<TState, TCommand, TEvent>(
    TState Initial,
    Func<TState, TEvent, TState> Evolve,
    Func<TCommand, TState, IReadOnlyList<TEvent>> Decide)
    where TEvent : notnull;

/// <summary>How a command is run: who runs it, its idempotency key, whether a concurrency conflict may be retried, what to announce.</summary>
public sealed record CommandOptions<TEvent>
{
    public required EventMetadata Metadata { get; init; }

    /// <summary>Identifies this command; running it again with the same key returns the first result and writes nothing.</summary>
    public string? CommandKey { get; init; }

    /// <summary>
    /// Whether to reload and decide again when another writer moved the stream meanwhile. Only for
    /// commands whose decision depends on nothing but the stream (true for every decider here); a
    /// command that was decided against a state the caller saw should surface the conflict instead.
    /// </summary>
    public bool RetryOnConflict { get; init; } = true;

    /// <summary>Messages to deliver after commit, derived from the events the command decided.</summary>
    public Func<IReadOnlyList<TEvent>, IReadOnlyList<OutboxMessage>>? Outbox { get; init; }
}

/// <summary>What a command did: the state after it, the events it recorded (none for a repeated or idle command), and the stream version.</summary>
public sealed record CommandResult<TState, TEvent>(TState State, IReadOnlyList<TEvent> Events, long Version, AppendResult? Append);

/// <summary>
/// Runs a command against a stream: load and fold its events, decide (pure), append with the
/// version the decision was made at. A concurrency conflict is retried (reload, decide again) only
/// when the command allows it; a rule the decider enforces surfaces as the decider's own exception.
/// </summary>
public sealed class CommandExecutor(LedgerEventStore store)
{
    /// <summary>Attempts for a command that may be retried; between them a jittered, growing pause spreads contenders out.</summary>
    public const int MaxAttempts = 10;

    public async Task<CommandResult<TState, TEvent>> ExecuteAsync<TState, TCommand, TEvent>(
        StreamKey stream,
        TCommand command,
        Decider<TState, TCommand, TEvent> decider,
        CommandOptions<TEvent> options,
        CancellationToken cancellationToken = default)
        where TEvent : notnull
    {
        ArgumentNullException.ThrowIfNull(decider);
        ArgumentNullException.ThrowIfNull(options);
        for (var attempt = 1; ; attempt++)
        {
            var (state, version) = await LoadAsync(stream.Id, decider, cancellationToken);
            var events = decider.Decide(command, state);
            if (events.Count == 0)
            {
                return new CommandResult<TState, TEvent>(state, events, version, null);
            }

            try
            {
                var append = await store.AppendAsync(
                    stream,
                    ExpectedVersion.Exactly(version),
                    [.. events.Select(e => new NewEvent(e))],
                    options.Metadata,
                    options.CommandKey,
                    options.Outbox?.Invoke(events),
                    cancellationToken);
                if (append.AlreadyApplied)
                {
                    // The same command ran before: answer with the stream as it now stands.
                    var (current, currentVersion) = await LoadAsync(stream.Id, decider, cancellationToken);
                    return new CommandResult<TState, TEvent>(current, [], currentVersion, append);
                }

                var after = events.Aggregate(state, decider.Evolve);
                return new CommandResult<TState, TEvent>(after, events, append.LastVersion, append);
            }
            catch (ConcurrencyException) when (options.RetryOnConflict && attempt < MaxAttempts)
            {
                // Someone else appended meanwhile: decide again against what is there now, after a random pause of
                // up to 4·2^attempt ms (at most 128) so that many writers racing for one stream spread out.
                await Task.Delay(Random.Shared.Next(1, 4 << Math.Min(attempt, 5)), cancellationToken);
            }
        }
    }

    /// <summary>Folds a stream's events (upcast to their current types) into its state; version 0 for a stream that does not exist.</summary>
    public async Task<(TState State, long Version)> LoadAsync<TState, TCommand, TEvent>(Guid streamId, Decider<TState, TCommand, TEvent> decider, CancellationToken cancellationToken = default)
        where TEvent : notnull
    {
        ArgumentNullException.ThrowIfNull(decider);
        var state = decider.Initial;
        long version = 0;
        await foreach (var recorded in store.ReadStreamAsync(streamId, 1, cancellationToken))
        {
            state = decider.Evolve(state, (TEvent)store.Deserialize(recorded));
            version = recorded.Version;
        }

        return (state, version);
    }
}
