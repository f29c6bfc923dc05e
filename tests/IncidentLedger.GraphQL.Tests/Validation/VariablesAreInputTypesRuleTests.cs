using IncidentLedger.GraphQL.Validation.Rules;

namespace IncidentLedger.GraphQL.Tests.Validation;

public sealed class VariablesAreInputTypesRuleTests : RuleTestBase<VariablesAreInputTypesRule>
{
    [Fact]
    public void Accepts_a_document_that_follows_the_rule() => ExpectValid("query ($v: PetFilter) { echoFilter(value: $v) }");

    [Fact]
    public void Reports_each_violation_at_its_location() => ExpectErrors("query ($v: Dog) { echoInt(value: 1) }", At((1, 12)));
}
