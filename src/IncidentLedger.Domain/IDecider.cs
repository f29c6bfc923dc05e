namespace IncidentLedger.Domain;

/// <summary>
/// The shape of every stream's decider: pure functions over a closed set of states.
/// The command executor folds the stream with <see cref="Evolve"/> from <see cref="Initial"/>,
/// calls <see cref="Decide"/>, and appends the events it returns (none for a repeated command).
/// </summary>
public interface IDecider<TState, in TCommand, TEvent>
{
    static abstract TState Initial { get; }

    /// <summary>The events a command produces in a state, or a <see cref="RuleViolation"/>.</summary>
    static abstract IReadOnlyList<TEvent> Decide(TCommand command, TState state);

    static abstract TState Evolve(TState state, TEvent @event);
}

/// <summary>What every command carries: who acts and when (time is passed in, never read).</summary>
public interface IDomainCommand
{
    Actor Actor { get; }

    DateTimeOffset Now { get; }
}

/// <summary>Generic helpers over any decider.</summary>
public static class Decider
{
    /// <summary>Folds events into state, from the decider's initial state.</summary>
    public static TState Fold<TDecider, TState, TCommand, TEvent>(IEnumerable<TEvent> events)
        where TDecider : IDecider<TState, TCommand, TEvent>
    {
        var state = TDecider.Initial;
        foreach (var @event in events)
        {
            state = TDecider.Evolve(state, @event);
        }

        return state;
    }

    /// <summary>Runs a command against a stream's history: folds it, then decides.</summary>
    public static IReadOnlyList<TEvent> Run<TDecider, TState, TCommand, TEvent>(IEnumerable<TEvent> history, TCommand command)
        where TDecider : IDecider<TState, TCommand, TEvent> =>
        TDecider.Decide(command, Fold<TDecider, TState, TCommand, TEvent>(history));
}
