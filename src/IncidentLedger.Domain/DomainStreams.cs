using IncidentLedger.Domain.AiSystems;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Organisations;
using IncidentLedger.Domain.Policies;

namespace IncidentLedger.Domain;

/// <summary>
/// A stream type's decider behind an untyped face, for hosts that route commands by type
/// (the command executor, the API, the demo loader).
/// </summary>
public sealed class StreamDecider
{
    private readonly Func<object, object, IReadOnlyList<object>> decide;
    private readonly Func<object, object, object> evolve;
    private readonly Func<object, Guid> streamIdOf;

    internal StreamDecider(string streamType, Type commandType, Type eventType, object initial, Func<object, object, IReadOnlyList<object>> decide, Func<object, object, object> evolve, Func<object, Guid> streamIdOf)
    {
        StreamType = streamType;
        CommandType = commandType;
        EventType = eventType;
        Initial = initial;
        this.decide = decide;
        this.evolve = evolve;
        this.streamIdOf = streamIdOf;
    }

    public string StreamType { get; }

    /// <summary>The interface every command of this stream implements.</summary>
    public Type CommandType { get; }

    /// <summary>The interface every event of this stream implements.</summary>
    public Type EventType { get; }

    public object Initial { get; }

    public IReadOnlyList<object> Decide(object command, object state) => decide(command, state);

    public object Evolve(object state, object @event) => evolve(state, @event);

    public object Fold(IEnumerable<object> events) => events.Aggregate(Initial, Evolve);

    public Guid StreamIdOf(object command) => streamIdOf(command);
}

/// <summary>The four stream types and their deciders.</summary>
public static class DomainStreams
{
    public static StreamDecider Organisation { get; } = Make<OrganisationDecider, Organisation, IOrganisationCommand, IOrganisationEvent>(StreamTypes.Organisation, c => c.OrganisationId);

    public static StreamDecider AiSystem { get; } = Make<AiSystemDecider, AiSystem, IAiSystemCommand, IAiSystemEvent>(StreamTypes.AiSystem, c => c.SystemId);

    public static StreamDecider Incident { get; } = Make<IncidentDecider, Incident, IIncidentCommand, IIncidentEvent>(StreamTypes.Incident, c => c.IncidentId);

    public static StreamDecider Policy { get; } = Make<PolicyDecider, Policy, IPolicyCommand, IPolicyEvent>(StreamTypes.Policy, c => c.PolicyId);

    public static IReadOnlyList<StreamDecider> All { get; } = [Organisation, AiSystem, Incident, Policy];

    public static StreamDecider For(string streamType) =>
        All.FirstOrDefault(d => d.StreamType == streamType) ?? throw new ArgumentException($"There is no stream type \"{streamType}\"; known: {string.Join(", ", StreamTypes.All)}.", nameof(streamType));

    /// <summary>The decider that handles a command, by the command's interface.</summary>
    public static StreamDecider ForCommand(object command) =>
        All.FirstOrDefault(d => d.CommandType.IsInstanceOfType(command)) ?? throw new ArgumentException($"{command?.GetType().Name} is not a domain command.", nameof(command));

    /// <summary>The stream a command goes to.</summary>
    public static (string StreamType, Guid StreamId) Target(object command)
    {
        var decider = ForCommand(command);
        return (decider.StreamType, decider.StreamIdOf(command));
    }

    /// <summary>Folds a stream's history and decides a command against it.</summary>
    public static IReadOnlyList<object> Execute(object command, IEnumerable<object> history)
    {
        var decider = ForCommand(command);
        return decider.Decide(command, decider.Fold(history));
    }

    private static StreamDecider Make<TDecider, TState, TCommand, TEvent>(string streamType, Func<TCommand, Guid> streamId)
        where TDecider : IDecider<TState, TCommand, TEvent>
        where TState : notnull
        where TEvent : notnull =>
        new(
            streamType,
            typeof(TCommand),
            typeof(TEvent),
            TDecider.Initial,
            (command, state) => TDecider.Decide((TCommand)command, (TState)state).Cast<object>().ToArray(),
            (state, @event) => TDecider.Evolve((TState)state, (TEvent)@event),
            command => streamId((TCommand)command));
}
