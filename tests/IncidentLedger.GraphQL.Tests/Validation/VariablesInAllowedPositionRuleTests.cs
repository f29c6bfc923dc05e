using IncidentLedger.GraphQL.Validation.Rules;

namespace IncidentLedger.GraphQL.Tests.Validation;

public sealed class VariablesInAllowedPositionRuleTests : RuleTestBase<VariablesInAllowedPositionRule>
{
    [Fact]
    public void Accepts_a_document_that_follows_the_rule() => ExpectValid("query ($v: Int!) { echoIntNonNull(value: $v) }");

    [Fact]
    public void Reports_each_violation_at_its_location() => ExpectErrors("query ($v: Int) { echoIntNonNull(value: $v) }", At((1, 8), (1, 41)));
}
