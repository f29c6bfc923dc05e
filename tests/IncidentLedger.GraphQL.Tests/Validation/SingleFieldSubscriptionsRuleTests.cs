using IncidentLedger.GraphQL.Validation.Rules;

namespace IncidentLedger.GraphQL.Tests.Validation;

public sealed class SingleFieldSubscriptionsRuleTests : RuleTestBase<SingleFieldSubscriptionsRule>
{
    [Fact]
    public void Accepts_a_document_that_follows_the_rule() => ExpectValid("subscription { petAdded { name } }");

    [Fact]
    public void Reports_each_violation_at_its_location() => ExpectErrors("subscription { petAdded { name } ticks(count: 1) }", At((1, 34)));
}
