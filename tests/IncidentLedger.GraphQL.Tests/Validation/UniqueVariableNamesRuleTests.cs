using IncidentLedger.GraphQL.Validation.Rules;

namespace IncidentLedger.GraphQL.Tests.Validation;

public sealed class UniqueVariableNamesRuleTests : RuleTestBase<UniqueVariableNamesRule>
{
    [Fact]
    public void Accepts_a_document_that_follows_the_rule() => ExpectValid("query ($a: Int, $b: Int) { echoInt(value: $a) }");

    [Fact]
    public void Reports_each_violation_at_its_location() => ExpectErrors("query ($a: Int, $a: Int) { echoInt(value: $a) }", At((1, 9), (1, 18)));
}
