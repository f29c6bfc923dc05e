using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Taxonomies;
using static IncidentLedger.Domain.Tests.IncidentSpec;

namespace IncidentLedger.Domain.Tests.Incidents;

public class LossAndCompensationTests
{
    private static RecordLoss Loss(int id = 1, int deaths = 0, int injuries = 1, Money? financial = null, Actor? actor = null, Guid? supersedes = null, string description = "Delayed thrombolysis; lasting impairment.") =>
        new(F.IncidentId, F.Id(id), deaths, injuries, financial ?? new Money(250_000m, "EUR"), null, 1, LossConfidence.Estimated, description, "Hospital incident report", supersedes, actor ?? F.Provider, F.T0.AddDays(5));

    [Fact]
    public void A_loss_is_recorded_with_people_harmed_and_money_lost()
    {
        var loss = Loss();
        Given(F.Reported()).When(loss).Then(new LossRecorded(
            F.IncidentId, F.Id(1), 0, 1, new Money(250_000m, "EUR"), null, 1, LossConfidence.Estimated, loss.Description, loss.Source, null, loss.Now, F.ProviderOrg, F.Provider.Subject));
    }

    [Fact]
    public void An_insurer_may_record_a_loss_it_adjusted() =>
        Assert.Single(Given(F.Reported()).When(Loss(actor: F.Insurer)).Events);

    [Fact]
    public void A_loss_with_nothing_lost_is_rejected() =>
        Given(F.Reported()).When(Loss(injuries: 0, financial: Money.Zero("EUR")) with { PeopleAffected = 0 }).ThenRejected("loss.empty");

    [Fact]
    public void Negative_counts_are_rejected() =>
        Given(F.Reported()).When(Loss(deaths: -1)).ThenRejected("loss.negative_count");

    [Fact]
    public void Money_is_never_negative()
    {
        var violation = Assert.Throws<RuleViolation>(() => new Money(-1m, "EUR"));
        Assert.Equal("money.negative", violation.Code);
    }

    [Fact]
    public void Money_needs_an_ISO_4217_currency_code() =>
        Assert.Equal("money.currency_invalid", Assert.Throws<RuleViolation>(() => new Money(1m, "euro")).Code);

    [Fact]
    public void A_negative_amount_in_stored_JSON_is_rejected_on_reading()
    {
        var thrown = Assert.ThrowsAny<Exception>(() => DomainJson.Deserialize("""{"amount":-5,"currency":"EUR"}""", typeof(Money)));
        Assert.Equal("money.negative", Assert.IsType<RuleViolation>(thrown as RuleViolation ?? thrown.InnerException).Code);
    }

    [Fact]
    public void A_revised_estimate_supersedes_the_earlier_one()
    {
        var events = F.Run(F.Report(), Loss(1), Loss(2, financial: new Money(400_000m, "EUR"), supersedes: F.Id(1)));
        Assert.Equal(F.Id(2), Assert.Single(F.FileOf(events).CurrentLosses).LossId);
    }

    [Fact]
    public void Superseding_an_unknown_loss_is_rejected() =>
        Given(F.Reported()).When(Loss(2, supersedes: F.Id(1))).ThenRejected("loss.unknown_superseded");

    [Fact]
    public void A_loss_is_superseded_once() =>
        Given(F.Run(F.Report(), Loss(1), Loss(2, supersedes: F.Id(1)))).When(Loss(3, supersedes: F.Id(1))).ThenRejected("loss.already_superseded");

    [Fact]
    public void Repeating_a_loss_is_a_no_op() =>
        Given(F.Run(F.Report(), Loss())).When(Loss()).ThenNothing();

    [Fact]
    public void Reusing_a_loss_id_for_different_figures_is_rejected() =>
        Given(F.Run(F.Report(), Loss())).When(Loss(injuries: 2)).ThenRejected("loss.id_reused");

    [Fact]
    public void A_loss_without_a_description_is_rejected() =>
        Given(F.Reported()).When(Loss(description: "")).ThenRejected("loss.description_missing");

    [Fact]
    public void A_loss_without_an_id_is_rejected() =>
        Given(F.Reported()).When(Loss() with { LossId = Guid.Empty }).ThenRejected("loss.id_missing");

    [Fact]
    public void A_loss_source_over_2000_characters_is_rejected() =>
        Given(F.Reported()).When(Loss() with { Source = new string('x', 2001) }).ThenRejected("loss.source_too_long");

    [Fact]
    public void An_outside_operator_cannot_record_a_loss() =>
        Given(F.Reported()).When(Loss(actor: F.Outsider)).ThenRejected("incident.not_a_participant");

    private static readonly IIncidentEvent[] ProviderHeld60 = F.Run(F.Report(), AccountabilityTests.Assign(1, F.ProviderOrg, 60));

    private static PayCompensation Pay(PayerKind kind, Guid? payer, Actor actor, decimal amount = 50_000m, Guid? policy = null, int id = 7) =>
        new(F.IncidentId, F.Id(id), kind, payer, policy, new Money(amount, "EUR"), "The patient", actor, F.T0.AddDays(40));

    [Fact]
    public void A_liable_party_records_compensation_it_paid() =>
        Given(ProviderHeld60).When(Pay(PayerKind.LiableParty, F.ProviderOrg, F.Provider)).Then(
            new CompensationPaid(F.IncidentId, F.Id(7), PayerKind.LiableParty, F.ProviderOrg, null, new Money(50_000m, "EUR"), "The patient", F.T0.AddDays(40), F.Provider.Subject));

    [Fact]
    public void A_payer_holding_no_share_of_accountability_is_not_a_liable_party() =>
        Given(ProviderHeld60).When(Pay(PayerKind.LiableParty, F.DeployerOrg, F.Deployer)).ThenRejected("compensation.payer_not_accountable");

    [Fact]
    public void An_operator_cannot_record_a_payment_made_by_another_organisation() =>
        Given(ProviderHeld60).When(Pay(PayerKind.LiableParty, F.ProviderOrg, F.Deployer)).ThenRejected("compensation.not_payer");

    [Fact]
    public void An_insurer_records_a_payment_under_a_policy() =>
        Assert.Single(Given(ProviderHeld60).When(Pay(PayerKind.Insurer, F.InsurerOrg, F.Insurer, policy: F.PolicyId)).Events);

    [Fact]
    public void An_insurer_payment_without_a_policy_is_rejected() =>
        Given(ProviderHeld60).When(Pay(PayerKind.Insurer, F.InsurerOrg, F.Insurer)).ThenRejected("compensation.policy_missing");

    [Fact]
    public void A_compensation_fund_payment_is_recorded_by_a_regulator_of_the_incident() =>
        Assert.Single(Given(F.Reported()).When(Pay(PayerKind.CompensationFund, null, F.RegulatorDe)).Events);

    [Fact]
    public void A_compensation_fund_payment_cannot_be_recorded_by_an_operator() =>
        Given(F.Reported()).When(Pay(PayerKind.NoFaultScheme, null, F.Provider)).ThenRejected("compensation.not_payer");

    [Fact]
    public void A_payment_of_nothing_is_rejected() =>
        Given(ProviderHeld60).When(Pay(PayerKind.LiableParty, F.ProviderOrg, F.Provider, amount: 0)).ThenRejected("compensation.amount_not_positive");

    [Fact]
    public void A_payment_without_an_amount_is_rejected() =>
        Given(ProviderHeld60).When(Pay(PayerKind.LiableParty, F.ProviderOrg, F.Provider) with { Amount = null! }).ThenRejected("compensation.amount_missing");

    [Fact]
    public void A_payment_without_an_id_is_rejected() =>
        Given(ProviderHeld60).When(Pay(PayerKind.LiableParty, F.ProviderOrg, F.Provider) with { PaymentId = Guid.Empty }).ThenRejected("compensation.id_missing");

    [Fact]
    public void A_liable_party_payment_naming_no_payer_is_rejected() =>
        Given(ProviderHeld60).When(Pay(PayerKind.LiableParty, null, F.Provider)).ThenRejected("compensation.payer_missing");

    public static TheoryData<string> BlankOrOver500Characters => ["", "   ", new string('x', 501)];

    [Theory]
    [MemberData(nameof(BlankOrOver500Characters))]
    public void A_payment_whose_recipient_is_blank_or_too_long_is_rejected(string paidTo) =>
        Given(ProviderHeld60).When(Pay(PayerKind.LiableParty, F.ProviderOrg, F.Provider) with { PaidTo = paidTo }).ThenRejected("compensation.recipient_missing");

    [Fact]
    public void Repeating_a_payment_is_a_no_op() =>
        Given([.. ProviderHeld60, .. Given(ProviderHeld60).When(Pay(PayerKind.LiableParty, F.ProviderOrg, F.Provider)).Events])
            .When(Pay(PayerKind.LiableParty, F.ProviderOrg, F.Provider)).ThenNothing();

    [Fact]
    public void Reusing_a_payment_id_for_another_amount_is_rejected() =>
        Given([.. ProviderHeld60, .. Given(ProviderHeld60).When(Pay(PayerKind.LiableParty, F.ProviderOrg, F.Provider)).Events])
            .When(Pay(PayerKind.LiableParty, F.ProviderOrg, F.Provider, amount: 1)).ThenRejected("compensation.id_reused");
}
