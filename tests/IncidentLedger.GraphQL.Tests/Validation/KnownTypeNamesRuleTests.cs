using IncidentLedger.GraphQL.Validation.Rules;

namespace IncidentLedger.GraphQL.Tests.Validation;

public sealed class KnownTypeNamesRuleTests : RuleTestBase<KnownTypeNamesRule>
{
    [Fact]
    public void Accepts_a_document_that_follows_the_rule() => ExpectValid("query ($v: Color) { echoColor(value: $v) }");

    [Fact]
    public void Reports_each_violation_at_its_location() => ExpectErrors("query ($v: Colour) { echoColor(value: $v) }", At((1, 12)));
}
