using IncidentLedger.GraphQL.Validation.Rules;

namespace IncidentLedger.GraphQL.Tests.Validation;

public sealed class NoUndefinedVariablesRuleTests : RuleTestBase<NoUndefinedVariablesRule>
{
    [Fact]
    public void Accepts_a_document_that_follows_the_rule() => ExpectValid("query ($a: Int) { echoInt(value: $a) }");

    [Fact]
    public void Reports_each_violation_at_its_location() => ExpectErrors("query Q { echoInt(value: $a) }", At((1, 26), (1, 1)));
}
