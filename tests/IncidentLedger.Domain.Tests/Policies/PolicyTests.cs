using IncidentLedger.Domain.Policies;
using static IncidentLedger.Domain.Tests.PolicySpec;

namespace IncidentLedger.Domain.Tests.Policies;

public class PolicyTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static BindPolicy Bind(Actor? actor = null, decimal limit = 10_000_000m, decimal retention = 250_000m, string retentionCurrency = "EUR", Guid? insured = null, DateTimeOffset? end = null, Guid[]? systems = null) =>
        new(F.PolicyId, "AIL-2026-0001", F.InsurerOrg, insured ?? F.ProviderOrg, systems ?? [F.SystemId], [CoverageKind.ProductLiability, CoverageKind.ThirdPartyLiability],
            Start, end ?? Start.AddYears(1), new Money(limit, "EUR"), new Money(retention, retentionCurrency), new Money(180_000m, "EUR"),
            ["Intentional misuse by the insured"], actor ?? F.Insurer, Start.AddDays(-10));

    private static readonly IPolicyEvent[] Bound = [.. PolicyDecider.Decide(Bind(), PolicyDecider.Initial)];

    [Fact]
    public void An_insurer_binds_cover_for_an_insured_party_and_its_systems() =>
        Given().When(Bind()).Then(new PolicyBound(
            F.PolicyId, "AIL-2026-0001", F.InsurerOrg, F.ProviderOrg, [F.SystemId], [CoverageKind.ThirdPartyLiability, CoverageKind.ProductLiability],
            Start, Start.AddYears(1), new Money(10_000_000m, "EUR"), new Money(250_000m, "EUR"), new Money(180_000m, "EUR"),
            ["Intentional misuse by the insured"], Start.AddDays(-10), F.Insurer.Subject));

    [Fact]
    public void Only_the_insurer_binds_its_policies() =>
        Given().When(Bind(F.Provider)).ThenRejected("policy.not_insurer");

    [Fact]
    public void An_organisation_does_not_insure_itself() =>
        Given().When(Bind(insured: F.InsurerOrg)).ThenRejected("policy.self_insured");

    [Fact]
    public void A_period_that_ends_before_it_starts_is_rejected() =>
        Given().When(Bind(end: Start)).ThenRejected("policy.period_invalid");

    [Fact]
    public void A_zero_limit_is_rejected() =>
        Given().When(Bind(limit: 0, retention: 0)).ThenRejected("policy.limit_not_positive");

    [Fact]
    public void A_retention_in_another_currency_is_rejected() =>
        Given().When(Bind(retentionCurrency: "USD")).ThenRejected("policy.currency_mismatch");

    [Fact]
    public void A_retention_that_swallows_the_limit_is_rejected() =>
        Given().When(Bind(limit: 100, retention: 100)).ThenRejected("policy.retention_exceeds_limit");

    [Fact]
    public void A_policy_covering_no_system_is_rejected() =>
        Given().When(Bind(systems: [])).ThenRejected("policy.no_covered_system");

    [Fact]
    public void A_policy_without_a_kind_of_coverage_is_rejected() =>
        Given().When(Bind() with { Coverage = [] }).ThenRejected("policy.coverage_missing");

    [Fact]
    public void A_policy_without_its_own_id_is_rejected() =>
        Given().When(Bind() with { PolicyId = Guid.Empty }).ThenRejected("policy.id_missing");

    [Fact]
    public void A_policy_without_an_insured_party_is_rejected() =>
        Given().When(Bind(insured: Guid.Empty)).ThenRejected("policy.id_missing");

    [Fact]
    public void A_policy_without_a_limit_is_rejected() =>
        Given().When(Bind() with { Limit = null! }).ThenRejected("policy.limit_missing");

    [Fact]
    public void A_policy_without_a_retention_is_rejected() =>
        Given().When(Bind() with { Retention = null! }).ThenRejected("policy.limit_missing");

    public static TheoryData<string> BlankOrOver100Characters => ["", "   ", new string('x', 101)];

    [Theory]
    [MemberData(nameof(BlankOrOver100Characters))]
    public void A_policy_number_that_is_blank_or_too_long_is_rejected(string number) =>
        Given().When(Bind() with { PolicyNumber = number }).ThenRejected("policy.number_missing");

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_blank_exclusion_is_rejected(string exclusion) =>
        Given().When(Bind() with { Exclusions = ["Intentional misuse by the insured", exclusion] }).ThenRejected("policy.exclusion_empty");

    [Fact]
    public void Repeating_the_binding_is_a_no_op() =>
        Given(Bound).When(Bind()).ThenNothing();

    [Fact]
    public void Binding_a_bound_policy_differently_is_rejected() =>
        Given(Bound).When(Bind(limit: 5_000_000m)).ThenRejected("policy.already_bound");

    private static EndorsePolicy Endorse(Guid[]? add = null, Guid[]? remove = null, decimal? limit = null, DateTimeOffset? effective = null, Actor? actor = null) =>
        new(F.PolicyId, F.Id(1), add ?? [], remove ?? [], limit is null ? null : new Money(limit.Value, "EUR"), null, null, "Cover extended to the new model.", effective ?? Start.AddMonths(3), actor ?? F.Insurer, Start.AddMonths(3));

    [Fact]
    public void The_insurer_endorses_the_policy_to_cover_another_system()
    {
        var events = Given(Bound).When(Endorse(add: [F.FoundationModelId])).Then(new PolicyEndorsed(
            F.PolicyId, F.Id(1), [F.FoundationModelId], [], null, null, null, "Cover extended to the new model.", Start.AddMonths(3), Start.AddMonths(3), F.Insurer.Subject));
        Assert.Equal([F.SystemId, F.FoundationModelId], ((Policy.InForce)Bound.Concat(events).Aggregate(PolicyDecider.Initial, PolicyDecider.Evolve)).Terms.CoveredSystems);
    }

    [Fact]
    public void An_endorsement_that_changes_nothing_is_rejected() =>
        Given(Bound).When(Endorse()).ThenRejected("policy.endorsement_empty");

    [Fact]
    public void An_endorsement_outside_the_policy_period_is_rejected() =>
        Given(Bound).When(Endorse(add: [F.FoundationModelId], effective: Start.AddYears(2))).ThenRejected("policy.endorsement_outside_period");

    [Fact]
    public void Removing_a_system_that_is_not_covered_is_rejected() =>
        Given(Bound).When(Endorse(remove: [F.FoundationModelId])).ThenRejected("policy.system_not_covered");

    [Fact]
    public void Adding_a_system_already_covered_is_rejected() =>
        Given(Bound).When(Endorse(add: [F.SystemId])).ThenRejected("policy.system_already_covered");

    [Fact]
    public void Removing_every_covered_system_is_rejected() =>
        Given(Bound).When(Endorse(remove: [F.SystemId])).ThenRejected("policy.no_covered_system");

    [Fact]
    public void Lowering_the_limit_below_the_retention_is_rejected() =>
        Given(Bound).When(Endorse(limit: 100_000m)).ThenRejected("policy.retention_exceeds_limit");

    [Fact]
    public void Only_the_insurer_endorses() =>
        Given(Bound).When(Endorse(add: [F.FoundationModelId], actor: F.Provider)).ThenRejected("policy.not_insurer");

    [Fact]
    public void Repeating_an_endorsement_is_a_no_op() =>
        Given([.. Bound, .. Given(Bound).When(Endorse(add: [F.FoundationModelId])).Events]).When(Endorse(add: [F.FoundationModelId])).ThenNothing();

    [Fact]
    public void Endorsing_an_unbound_policy_is_rejected() =>
        Given().When(Endorse(add: [F.FoundationModelId])).ThenRejected("policy.unknown");

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_endorsement_without_a_reason_is_rejected(string reason) =>
        Given(Bound).When(Endorse(add: [F.FoundationModelId]) with { Reason = reason }).ThenRejected("policy.reason_missing");

    [Fact]
    public void Reusing_an_endorsement_id_for_different_terms_is_rejected() =>
        Given([.. Bound, .. Given(Bound).When(Endorse(add: [F.FoundationModelId])).Events]).When(Endorse(limit: 20_000_000m)).ThenRejected("policy.endorsement_id_reused");

    private static LapsePolicy Lapse(PolicyLapseReason reason, DateTimeOffset at, Actor? actor = null) =>
        new(F.PolicyId, reason, at, "Insured stopped paying.", actor ?? F.Insurer, at.AddDays(1));

    [Fact]
    public void The_insurer_cancels_the_policy_mid_term() =>
        Given(Bound).When(Lapse(PolicyLapseReason.Cancelled, Start.AddMonths(6))).Then(
            new PolicyLapsed(F.PolicyId, PolicyLapseReason.Cancelled, Start.AddMonths(6), "Insured stopped paying.", Start.AddMonths(6).AddDays(1), F.Insurer.Subject));

    [Fact]
    public void A_policy_does_not_expire_before_its_period_ends() =>
        Given(Bound).When(Lapse(PolicyLapseReason.Expired, Start.AddMonths(6))).ThenRejected("policy.not_yet_expired");

    [Fact]
    public void A_policy_is_not_cancelled_after_its_period_ended() =>
        Given(Bound).When(Lapse(PolicyLapseReason.Cancelled, Start.AddYears(2))).ThenRejected("policy.lapse_after_end");

    [Fact]
    public void Cover_does_not_end_before_it_started() =>
        Given(Bound).When(Lapse(PolicyLapseReason.Cancelled, Start.AddDays(-1))).ThenRejected("policy.lapse_before_start");

    [Fact]
    public void Repeating_the_lapse_is_a_no_op()
    {
        var lapse = Lapse(PolicyLapseReason.Expired, Start.AddYears(1));
        Given([.. Bound, .. Given(Bound).When(lapse).Events]).When(lapse).ThenNothing();
    }

    [Fact]
    public void A_lapsed_policy_takes_no_endorsement() =>
        Given([.. Bound, .. Given(Bound).When(Lapse(PolicyLapseReason.Expired, Start.AddYears(1))).Events]).When(Endorse(add: [F.FoundationModelId])).ThenRejected("policy.lapsed");

    [Fact]
    public void Only_the_insurer_lapses_the_policy() =>
        Given(Bound).When(Lapse(PolicyLapseReason.Cancelled, Start.AddMonths(6), F.Provider)).ThenRejected("policy.not_insurer");

    [Fact]
    public void A_lapse_note_over_2000_characters_is_rejected() =>
        Given(Bound).When(Lapse(PolicyLapseReason.Cancelled, Start.AddMonths(6)) with { Note = new string('x', 2001) }).ThenRejected("policy.note_too_long");

    [Fact]
    public void A_command_the_decider_does_not_know_is_rejected() =>
        Given(Bound).When(new UnknownCommand(F.PolicyId, F.Insurer, Start)).ThenRejected("command.unknown");

    private sealed record UnknownCommand(Guid PolicyId, Actor Actor, DateTimeOffset Now) : IPolicyCommand;
}
