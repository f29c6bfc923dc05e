using System.Security.Cryptography;
using System.Text;
using IncidentLedger.Domain.ReadModels;

namespace IncidentLedger.Domain.Demo;

/// <summary>One command of the demo and the events its decider produced.</summary>
public sealed record DemoStep(int Sequence, string StreamType, Guid StreamId, object Command, IReadOnlyList<object> Events)
{
    public Actor Actor => ((IDomainCommand)Command).Actor;

    public DateTimeOffset At => ((IDomainCommand)Command).Now;
}

/// <summary>The demo data set: every command in order, with the events the deciders produced for it.</summary>
public sealed class DemoData
{
    internal DemoData(DateTimeOffset origin, IReadOnlyList<DemoStep> steps, IReadOnlyDictionary<string, Guid> ids)
    {
        Origin = origin;
        Steps = steps;
        Ids = ids;
    }

    public DateTimeOffset Origin { get; }

    /// <summary>The commands in the order they were decided (chronological).</summary>
    public IReadOnlyList<DemoStep> Steps { get; }

    /// <summary>The ids of the demo's organisations, systems, incidents and policies, by a readable key (e.g. "incident:surgery").</summary>
    public IReadOnlyDictionary<string, Guid> Ids { get; }

    /// <summary>The time of the last command.</summary>
    public DateTimeOffset End => Steps[^1].At;

    /// <summary>Each stream's events in order, keyed by (stream type, stream id).</summary>
    public IReadOnlyDictionary<(string StreamType, Guid StreamId), IReadOnlyList<object>> Streams =>
        Steps.GroupBy(s => (s.StreamType, s.StreamId)).ToDictionary(g => g.Key, g => (IReadOnlyList<object>)g.SelectMany(s => s.Events).ToArray());

    /// <summary>
    /// The events as a log would record them, for running read-model folds without a database:
    /// gap-free positions, per-stream versions, the command's actor and time. The hash is empty;
    /// only the event store computes integrity hashes.
    /// </summary>
    public IReadOnlyList<Recorded> Recorded()
    {
        var versions = new Dictionary<(string, Guid), long>();
        var position = 0L;
        var result = new List<Recorded>();
        foreach (var step in Steps)
        {
            foreach (var @event in step.Events)
            {
                var key = (step.StreamType, step.StreamId);
                var version = versions[key] = versions.GetValueOrDefault(key) + 1;
                result.Add(new Recorded(
                    position++, step.StreamId, step.StreamType, version, @event, step.At,
                    step.Actor.Subject, step.Actor.OrganisationId, Taxonomies.Codes.Of(step.Actor.Role), ""));
            }
        }

        return result;
    }
}

/// <summary>Stable ids for demo entities, derived from readable keys (so every build has the same ids).</summary>
public static class DemoIds
{
    public static Guid Of(string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("incident-ledger-demo:" + key));
        hash[7] = (byte)((hash[7] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16));
    }
}

/// <summary>Runs planned commands through the deciders in time order, keeping each stream's state.</summary>
internal sealed class DemoBuilder(DateTimeOffset origin, int copy)
{
    private readonly List<(DateTimeOffset At, int Order, Func<DemoBuilder, DateTimeOffset, object> Make)> plan = [];
    private readonly Dictionary<(string, Guid), object> states = [];
    private readonly Dictionary<string, Guid> ids = new(StringComparer.Ordinal);

    public DateTimeOffset Origin { get; } = origin;

    public Guid Id(string key)
    {
        if (!ids.TryGetValue(key, out var id))
        {
            ids[key] = id = DemoIds.Of(copy == 0 ? key : $"copy{copy}/{key}");
        }

        return id;
    }

    /// <summary>The time <paramref name="days"/> days after the origin, at a time of day.</summary>
    public DateTimeOffset At(int days, int hour = 9, int minute = 0) => Origin.AddDays(days).AddHours(hour).AddMinutes(minute);

    public void Plan(DateTimeOffset at, Func<DateTimeOffset, object> make) => plan.Add((at, plan.Count, (_, t) => make(t)));

    public void Plan(DateTimeOffset at, Func<DemoBuilder, DateTimeOffset, object> make) => plan.Add((at, plan.Count, make));

    public T State<T>(string streamType, Guid id) where T : class =>
        (states.TryGetValue((streamType, id), out var state) ? state : DomainStreams.For(streamType).Initial) as T
        ?? throw new InvalidOperationException($"The {streamType} stream {id} is not a {typeof(T).Name}.");

    public DemoData Build()
    {
        var steps = new List<DemoStep>();
        foreach (var (at, _, make) in plan.OrderBy(p => p.At).ThenBy(p => p.Order))
        {
            var command = make(this, at);
            var decider = DomainStreams.ForCommand(command);
            var key = (decider.StreamType, decider.StreamIdOf(command));
            var state = states.TryGetValue(key, out var existing) ? existing : decider.Initial;
            IReadOnlyList<object> events;
            try
            {
                events = decider.Decide(command, state);
            }
            catch (RuleViolation violation)
            {
                throw new InvalidOperationException($"Demo step {steps.Count} ({command.GetType().Name} at {at:O}) was rejected: [{violation.Code}] {violation.Message}", violation);
            }

            if (events.Count == 0)
            {
                throw new InvalidOperationException($"Demo step {steps.Count} ({command.GetType().Name} at {at:O}) produced no events; every demo command should record something.");
            }

            states[key] = events.Aggregate(state, decider.Evolve);
            steps.Add(new DemoStep(steps.Count, key.StreamType, key.Item2, command, events));
        }

        return new DemoData(Origin, steps, ids);
    }
}
