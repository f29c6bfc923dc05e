using IncidentLedger.Domain;
using IncidentLedger.Domain.AiSystems;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Organisations;
using IncidentLedger.Domain.Policies;

namespace IncidentLedger.Domain.Tests;

/// <summary>Given(events).When(command).Then(events | rejection) over any decider.</summary>
public sealed class Spec<TDecider, TState, TCommand, TEvent>
    where TDecider : IDecider<TState, TCommand, TEvent>
    where TEvent : notnull
{
    private readonly IReadOnlyList<TEvent> history;

    private Spec(IReadOnlyList<TEvent> history) => this.history = history;

    public static Spec<TDecider, TState, TCommand, TEvent> Given(params IEnumerable<TEvent> events) => new([.. events]);

    public TState State => Decider.Fold<TDecider, TState, TCommand, TEvent>(history);

    public Outcome<TEvent> When(TCommand command)
    {
        try
        {
            return new Outcome<TEvent>(TDecider.Decide(command, State), null);
        }
        catch (RuleViolation violation)
        {
            return new Outcome<TEvent>(null, violation);
        }
    }
}

/// <summary>What a command produced: events, or the rule it broke.</summary>
public sealed class Outcome<TEvent>(IReadOnlyList<TEvent>? events, RuleViolation? violation)
    where TEvent : notnull
{
    public IReadOnlyList<TEvent> Events
    {
        get
        {
            Assert.True(violation is null, $"Expected events but the command was rejected: [{violation?.Code}] {violation?.Message}");
            return events!;
        }
    }

    /// <summary>Exactly these events, compared by type and JSON content.</summary>
    public IReadOnlyList<TEvent> Then(params IEnumerable<TEvent> expected)
    {
        var actual = Events;
        Assert.Equal(Describe(expected), Describe(actual));
        return actual;
    }

    /// <summary>The command was accepted and changed nothing (e.g. a repeated command).</summary>
    public void ThenNothing() => Then();

    /// <summary>The command was rejected with this rule code, and the message says something a person can act on.</summary>
    public RuleViolation ThenRejected(string code)
    {
        Assert.True(violation is not null, $"Expected a rejection [{code}] but the command produced: {string.Join(", ", events?.Select(e => e.GetType().Name) ?? [])}");
        Assert.Equal(code, violation!.Code);
        Assert.True(violation.Message.Length > 20, $"The message \"{violation.Message}\" is too terse to act on.");
        return violation;
    }

    public static IReadOnlyList<string> Describe(IEnumerable<TEvent> events) =>
        events.Select(e => $"{e.GetType().Name} {DomainJson.Serialize(e)}").ToArray();
}

/// <summary>Specifications of the incident stream.</summary>
public static class IncidentSpec
{
    public static Spec<IncidentDecider, Incident, IIncidentCommand, IIncidentEvent> Given(params IEnumerable<IIncidentEvent> events) =>
        Spec<IncidentDecider, Incident, IIncidentCommand, IIncidentEvent>.Given(events);

    public static Spec<IncidentDecider, Incident, IIncidentCommand, IIncidentEvent> GivenNothing() => Given();
}

/// <summary>Specifications of the organisation stream.</summary>
public static class OrganisationSpec
{
    public static Spec<OrganisationDecider, Organisation, IOrganisationCommand, IOrganisationEvent> Given(params IEnumerable<IOrganisationEvent> events) =>
        Spec<OrganisationDecider, Organisation, IOrganisationCommand, IOrganisationEvent>.Given(events);
}

/// <summary>Specifications of the AI-system stream.</summary>
public static class AiSystemSpec
{
    public static Spec<AiSystemDecider, AiSystem, IAiSystemCommand, IAiSystemEvent> Given(params IEnumerable<IAiSystemEvent> events) =>
        Spec<AiSystemDecider, AiSystem, IAiSystemCommand, IAiSystemEvent>.Given(events);
}

/// <summary>Specifications of the policy stream.</summary>
public static class PolicySpec
{
    public static Spec<PolicyDecider, Policy, IPolicyCommand, IPolicyEvent> Given(params IEnumerable<IPolicyEvent> events) =>
        Spec<PolicyDecider, Policy, IPolicyCommand, IPolicyEvent>.Given(events);
}
