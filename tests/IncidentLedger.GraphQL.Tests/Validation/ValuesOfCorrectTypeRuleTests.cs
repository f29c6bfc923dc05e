using IncidentLedger.GraphQL.Validation.Rules;

namespace IncidentLedger.GraphQL.Tests.Validation;

public sealed class ValuesOfCorrectTypeRuleTests : RuleTestBase<ValuesOfCorrectTypeRule>
{
    [Fact]
    public void Accepts_a_document_that_follows_the_rule() => ExpectValid("{ echoInt(value: 1) }");

    [Fact]
    public void Reports_each_violation_at_its_location() => ExpectErrors("{ echoInt(value: \"one\") }", At((1, 18)));
}
