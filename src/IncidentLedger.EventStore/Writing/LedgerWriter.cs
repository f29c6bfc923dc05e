using IncidentLedger.Domain;
using IncidentLedger.EventStore.Streams;
using JasperFx.Events;
using Marten;

namespace IncidentLedger.EventStore.Writing;

/// <summary>How a command is run: the version its sender saw, its idempotency key, and the causal context.</summary>
public sealed record CommandContext
{
    /// <summary>The stream version the sender decided against; a different current version is a conflict.</summary>
    public long? ExpectedVersion { get; init; }

    /// <summary>Names this command; sending it again returns the first result and writes nothing.</summary>
    public string? IdempotencyKey { get; init; }

    public Guid? CorrelationId { get; init; }

    public Guid? CausationId { get; init; }

    /// <summary>
    /// Whether the reporting clocks the command starts or moves get a scheduled check at their due
    /// time. Off only when replaying a recorded history (the demo) whose own commands say when
    /// clocks were checked.
    /// </summary>
    public bool ScheduleDeadlineChecks { get; init; } = true;
}

/// <summary>
/// The ledger's write path for one command in one Marten session: load the stream's snapshot for
/// writing (state, version and head hash in one query), honour the idempotency key and the expected
/// version, let the domain decide, and append the decided events as hash-chained links. Saving the
/// session (the caller's, so it commits with the outbox) checks the version again: a writer that
/// raced this one makes the save fail with Marten's concurrency error and nothing is written.
/// </summary>
public static class LedgerWriter
{
    public const int MaxIdempotencyKeyLength = 200;

    /// <summary>Runs any domain command against its stream (the decider and snapshot type follow from the command).</summary>
    public static Task<WriteOutcome> DecideAsync(IDocumentSession session, object command, EventMetadata metadata, CommandContext context, string origin, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var decider = DomainStreams.ForCommand(command);
        return decider.StreamType switch
        {
            StreamTypes.Organisation => DecideAsync<OrganisationStream, Domain.Organisations.Organisation>(session, decider, command, metadata, context, origin, now, cancellationToken),
            StreamTypes.AiSystem => DecideAsync<AiSystemStream, Domain.AiSystems.AiSystem>(session, decider, command, metadata, context, origin, now, cancellationToken),
            StreamTypes.Incident => DecideAsync<IncidentStream, Domain.Incidents.Incident>(session, decider, command, metadata, context, origin, now, cancellationToken),
            StreamTypes.Policy => DecideAsync<PolicyStream, Domain.Policies.Policy>(session, decider, command, metadata, context, origin, now, cancellationToken),
            _ => throw new ArgumentException($"There is no snapshot for stream type {decider.StreamType}.", nameof(command)),
        };
    }

    /// <summary>Who caused an event, as the domain's actor says.</summary>
    public static EventMetadata MetadataOf(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return new EventMetadata(actor.Subject) { Organisation = actor.OrganisationId.ToString("D"), Role = actor.Role.ToString().ToLowerInvariant() };
    }

    public static async Task<WriteOutcome> DecideAsync<TDoc, TState>(
        IDocumentSession session,
        StreamDecider decider,
        object command,
        EventMetadata metadata,
        CommandContext context,
        string origin,
        DateTimeOffset now,
        CancellationToken cancellationToken = default)
        where TDoc : LedgerStream<TState>, new()
        where TState : class
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(decider);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(context);
        var streamId = decider.StreamIdOf(command);
        var key = StreamKeys.Of(streamId);

        if (context.IdempotencyKey is { } idempotencyKey)
        {
            if (idempotencyKey.Length is 0 or > MaxIdempotencyKeyLength)
            {
                throw new InvalidEventException($"An idempotency key has 1 to {MaxIdempotencyKeyLength} characters; this one has {idempotencyKey.Length}.");
            }

            if (await session.LoadAsync<CommandRecord>(idempotencyKey, cancellationToken) is { } done)
            {
                if (done.StreamKey != key || done.CommandType != command.GetType().Name)
                {
                    throw new IdempotencyConflictException(
                        $"Idempotency key \"{idempotencyKey}\" was used for {done.CommandType} on stream {done.StreamKey}; it cannot name {command.GetType().Name} on {key}. Use a new key for a new command.");
                }

                return new WriteOutcome(key, done.StreamType, done.Version, done.Events, AlreadyApplied: true);
            }
        }

        var stream = await session.Events.FetchForWriting<TDoc>(key, cancellationToken);
        var current = stream.CurrentVersion ?? 0;
        if (context.ExpectedVersion is { } expected && expected != current)
        {
            throw new StreamConflictException(key, expected, current);
        }

        var state = stream.Aggregate?.State ?? (TState)decider.Initial;
        var decided = decider.Decide(command, state);
        if (decided.Count == 0)
        {
            return new WriteOutcome(key, decider.StreamType, current, [], AlreadyApplied: false);
        }

        var withContext = metadata with { CorrelationId = context.CorrelationId ?? metadata.CorrelationId, CausationId = context.CausationId ?? metadata.CausationId };
        var events = ChainedEvents.Build(session.Events.BuildEvent, origin, streamId, decider.StreamType, current, stream.Aggregate?.Head, decided, withContext, now);
        foreach (var e in events)
        {
            stream.AppendOne(e);
        }

        var written = events.Select(e => new WrittenEvent(e.Id, e.Version, e.EventTypeName, ChainedEvents.HeaderText(e, LedgerStore.Headers.Hash)!, e.Timestamp)).ToArray();
        var outcome = new WriteOutcome(key, decider.StreamType, current + events.Count, written, AlreadyApplied: false);
        if (context.IdempotencyKey is { } newKey)
        {
            // Insert, not store: two senders of one key race to this row, and the loser's save fails.
            session.Insert(new CommandRecord
            {
                Id = newKey,
                CommandType = command.GetType().Name,
                StreamKey = key,
                StreamType = decider.StreamType,
                Version = outcome.Version,
                Events = [.. written],
                RecordedAt = events[0].Timestamp,
            });
        }

        return outcome;
    }
}

/// <summary>Stream keys: a stream's UUID in its canonical lower-case form.</summary>
public static class StreamKeys
{
    public static string Of(Guid streamId) => streamId.ToString("D");
}
