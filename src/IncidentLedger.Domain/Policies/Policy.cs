using System.Text.Json.Serialization;
using System.Collections.Immutable;
using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.Policies;

/// <summary>A policy's current terms.</summary>
public sealed record PolicyTerms(
    Guid PolicyId,
    string PolicyNumber,
    Guid InsurerId,
    Guid InsuredId,
    ImmutableList<Guid> CoveredSystems,
    IReadOnlyList<CoverageKind> Coverage,
    DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd,
    Money Limit,
    Money Retention,
    Money? Premium,
    IReadOnlyList<string> Exclusions,
    PolicyBound Original)
{
    public ImmutableList<PolicyEndorsed> Endorsements { get; init; } = [];

    public static PolicyTerms From(PolicyBound e) => new(
        e.PolicyId, e.PolicyNumber, e.InsurerId, e.InsuredId, [.. e.CoveredSystems], e.Coverage, e.PeriodStart, e.PeriodEnd, e.Limit, e.Retention, e.Premium, e.Exclusions, e);

    public PolicyTerms Endorse(PolicyEndorsed e) => this with
    {
        CoveredSystems = CoveredSystems.RemoveAll(e.RemoveSystems.Contains).AddRange(e.AddSystems),
        Limit = e.NewLimit ?? Limit,
        Retention = e.NewRetention ?? Retention,
        PeriodEnd = e.NewPeriodEnd ?? PeriodEnd,
        Endorsements = Endorsements.Add(e),
    };
}

/// <summary>The policy stream's state: not bound, in force, or lapsed.</summary>
// Snapshots store the state as JSON, tagged with its case.
[JsonPolymorphic(TypeDiscriminatorPropertyName = "case")]
[JsonDerivedType(typeof(None), "none")]
[JsonDerivedType(typeof(InForce), "inforce")]
[JsonDerivedType(typeof(Lapsed), "lapsed")]
public abstract record Policy
{
    private protected Policy()
    {
    }

    [JsonIgnore] // Derived from the case: a snapshot stores the case alone.
    public PolicyTerms? TermsOrDefault => this switch
    {
        InForce f => f.Terms,
        Lapsed l => l.Terms,
        _ => null,
    };

    public sealed record None : Policy
    {
        public static None Instance { get; } = new();
    }

    public sealed record InForce(PolicyTerms Terms) : Policy;

    public sealed record Lapsed(PolicyTerms Terms, PolicyLapsed Lapse) : Policy;

    public static Policy Evolve(Policy state, IPolicyEvent @event) => (state, @event) switch
    {
        (None, PolicyBound e) => new InForce(PolicyTerms.From(e)),
        (InForce f, PolicyEndorsed e) => new InForce(f.Terms.Endorse(e)),
        (InForce f, PolicyLapsed e) => new Lapsed(f.Terms, e),
        _ => state,
    };
}

/// <summary>The policy stream's decider: binding, endorsing and lapsing insurance cover.</summary>
public sealed class PolicyDecider : IDecider<Policy, IPolicyCommand, IPolicyEvent>
{
    public static Policy Initial => Policy.None.Instance;

    public static Policy Evolve(Policy state, IPolicyEvent @event) => Policy.Evolve(state, @event);

    public static IReadOnlyList<IPolicyEvent> Decide(IPolicyCommand command, Policy state)
    {
        ArgumentNullException.ThrowIfNull(command);
        Rule.Require(command.Actor is not null && !string.IsNullOrWhiteSpace(command.Actor.Subject), "command.actor_missing", $"{command.GetType().Name} names no acting subject.");
        return (command, state) switch
        {
            (BindPolicy c, _) => Bind(c, state),
            (_, Policy.None) => throw Rule.Broken("policy.unknown", $"Policy {command.PolicyId} has not been bound, so {command.GetType().Name} cannot be applied to it."),
            (LapsePolicy c, Policy.Lapsed l) => RepeatLapse(c, l),
            (_, Policy.Lapsed l) => throw Rule.Broken("policy.lapsed", $"Policy {l.Terms.PolicyNumber} lapsed on {Rule.Stamp(l.Lapse.EffectiveAt)} ({Codes.Of(l.Lapse.Reason)}); bind a new policy instead."),
            (EndorsePolicy c, Policy.InForce f) => Endorse(c, f.Terms),
            (LapsePolicy c, Policy.InForce f) => Lapse(c, f.Terms),
            _ => throw Rule.Broken("command.unknown", $"{command.GetType().Name} is not a policy command."),
        };
    }

    private static void RequireInsurer(Actor actor, Guid insurerId, string verb) =>
        Rule.Require(
            actor.Role == ActorRole.Admin || (actor.Role == ActorRole.Insurer && actor.OrganisationId == insurerId),
            "policy.not_insurer",
            $"Only the insurer (organisation {insurerId}) or an admin may {verb}; {actor.Subject} acts for {actor.OrganisationId} as {Codes.Of(actor.Role)}.");

    private static IReadOnlyList<IPolicyEvent> Bind(BindPolicy c, Policy state)
    {
        Rule.Require(c.Limit is not null && c.Retention is not null, "policy.limit_missing", "A policy states its limit and retention.");
        var bound = new PolicyBound(
            c.PolicyId,
            Rule.Text(c.PolicyNumber, "policy.number_missing", "The policy number", 100),
            c.InsurerId,
            c.InsuredId,
            (c.CoveredSystems ?? []).Distinct().ToArray(),
            (c.Coverage ?? []).Distinct().Order().ToArray(),
            c.PeriodStart,
            c.PeriodEnd,
            c.Limit!,
            c.Retention!,
            c.Premium,
            (c.Exclusions ?? []).Select(e => Rule.Text(e, "policy.exclusion_empty", "An exclusion", 1000)).ToArray(),
            c.Now,
            c.Actor.Subject);
        if (state.TermsOrDefault is { } existing)
        {
            return DomainJson.Same(existing.Original, bound)
                ? []
                : throw Rule.Broken("policy.already_bound", $"Policy {c.PolicyId} is already bound as {existing.PolicyNumber}; endorse it to change its terms.");
        }

        RequireInsurer(c.Actor, c.InsurerId, "bind its policies");
        Rule.Require(c.PolicyId != Guid.Empty && c.InsurerId != Guid.Empty && c.InsuredId != Guid.Empty, "policy.id_missing", "A policy needs its own id, the insurer's and the insured's organisation ids.");
        Rule.Require(c.InsurerId != c.InsuredId, "policy.self_insured", "An organisation does not insure itself through the ledger.");
        Rule.Require(c.PeriodEnd > c.PeriodStart, "policy.period_invalid", $"The policy period must end after it starts ({Rule.Stamp(c.PeriodStart)} – {Rule.Stamp(c.PeriodEnd)}).");
        Rule.Require(bound.CoveredSystems.Count > 0, "policy.no_covered_system", "Name the AI systems the policy covers.");
        Rule.Require(bound.Coverage.Count > 0, "policy.coverage_missing", "Say what the policy covers (third-party liability, product liability …).");
        RequireLimits(bound.Limit, bound.Retention);
        return [bound];
    }

    private static void RequireLimits(Money limit, Money retention)
    {
        Rule.Require(!limit.IsZero, "policy.limit_not_positive", "A policy's limit is a positive amount.");
        Rule.Require(retention.Currency == limit.Currency, "policy.currency_mismatch", $"The retention is in {retention.Currency} but the limit is in {limit.Currency}; use one currency.");
        Rule.Require(retention.Amount < limit.Amount, "policy.retention_exceeds_limit", $"A retention of {retention} leaves nothing of the limit of {limit}.");
    }

    private static IReadOnlyList<IPolicyEvent> Endorse(EndorsePolicy c, PolicyTerms terms)
    {
        RequireInsurer(c.Actor, terms.InsurerId, "endorse the policy");
        var endorsed = new PolicyEndorsed(
            c.PolicyId, c.EndorsementId, (c.AddSystems ?? []).Distinct().ToArray(), (c.RemoveSystems ?? []).Distinct().ToArray(),
            c.NewLimit, c.NewRetention, c.NewPeriodEnd,
            Rule.Text(c.Reason, "policy.reason_missing", "The reason for the endorsement"), c.EffectiveAt, c.Now, c.Actor.Subject);
        if (terms.Endorsements.FirstOrDefault(e => e.EndorsementId == c.EndorsementId) is { } existing)
        {
            return DomainJson.Same(existing, endorsed)
                ? []
                : throw Rule.Broken("policy.endorsement_id_reused", $"Endorsement {c.EndorsementId} was already recorded with different terms; use a new id.");
        }

        Rule.Require(
            endorsed.AddSystems.Count + endorsed.RemoveSystems.Count > 0 || c.NewLimit is not null || c.NewRetention is not null || c.NewPeriodEnd is not null,
            "policy.endorsement_empty",
            "An endorsement changes something: covered systems, limit, retention or period end.");
        Rule.Require(
            c.EffectiveAt >= terms.PeriodStart && c.EffectiveAt < terms.PeriodEnd,
            "policy.endorsement_outside_period",
            $"An endorsement takes effect within the policy period ({Rule.Stamp(terms.PeriodStart)} – {Rule.Stamp(terms.PeriodEnd)}), not at {Rule.Stamp(c.EffectiveAt)}.");
        var notCovered = endorsed.RemoveSystems.Where(s => !terms.CoveredSystems.Contains(s)).ToArray();
        Rule.Require(notCovered.Length == 0, "policy.system_not_covered", $"System {string.Join(", ", notCovered)} is not covered, so it cannot be removed.");
        var already = endorsed.AddSystems.Where(terms.CoveredSystems.Contains).ToArray();
        Rule.Require(already.Length == 0, "policy.system_already_covered", $"System {string.Join(", ", already)} is already covered.");
        var after = terms.Endorse(endorsed);
        Rule.Require(after.CoveredSystems.Count > 0, "policy.no_covered_system", "An endorsement cannot remove every covered system; lapse the policy instead.");
        Rule.Require(after.PeriodEnd > c.EffectiveAt, "policy.period_invalid", $"The new period end ({Rule.Stamp(after.PeriodEnd)}) must come after the endorsement takes effect.");
        RequireLimits(after.Limit, after.Retention);
        return [endorsed];
    }

    private static IReadOnlyList<IPolicyEvent> Lapse(LapsePolicy c, PolicyTerms terms)
    {
        RequireInsurer(c.Actor, terms.InsurerId, "lapse the policy");
        Rule.Require(c.EffectiveAt >= terms.PeriodStart, "policy.lapse_before_start", $"Cover cannot end ({Rule.Stamp(c.EffectiveAt)}) before it started ({Rule.Stamp(terms.PeriodStart)}).");
        Rule.Require(
            c.Reason != PolicyLapseReason.Expired || c.EffectiveAt >= terms.PeriodEnd,
            "policy.not_yet_expired",
            $"Policy {terms.PolicyNumber} runs until {Rule.Stamp(terms.PeriodEnd)}; before then it is cancelled, not expired.");
        Rule.Require(
            c.Reason == PolicyLapseReason.Expired || c.EffectiveAt <= terms.PeriodEnd,
            "policy.lapse_after_end",
            $"Policy {terms.PolicyNumber} already ended on {Rule.Stamp(terms.PeriodEnd)}; it expired rather than being {Codes.Of(c.Reason)}.");
        return [new PolicyLapsed(c.PolicyId, c.Reason, c.EffectiveAt, Rule.OptionalText(c.Note, "policy.note_too_long", "The note", 2000), c.Now, c.Actor.Subject)];
    }

    private static IReadOnlyList<IPolicyEvent> RepeatLapse(LapsePolicy c, Policy.Lapsed lapsed) =>
        lapsed.Lapse.Reason == c.Reason && lapsed.Lapse.EffectiveAt == c.EffectiveAt && lapsed.Lapse.RecordedAt == c.Now
            ? []
            : throw Rule.Broken("policy.lapsed", $"Policy {lapsed.Terms.PolicyNumber} already lapsed on {Rule.Stamp(lapsed.Lapse.EffectiveAt)} ({Codes.Of(lapsed.Lapse.Reason)}).");
}
