using IncidentLedger.GraphQL.Validation.Rules;

namespace IncidentLedger.GraphQL.Tests.Validation;

public sealed class UniqueInputFieldNamesRuleTests : RuleTestBase<UniqueInputFieldNamesRule>
{
    [Fact]
    public void Accepts_a_document_that_follows_the_rule() => ExpectValid("{ echoFilter(value: { name: \"a\" }) }");

    [Fact]
    public void Reports_each_violation_at_its_location() => ExpectErrors("{ echoFilter(value: { name: \"a\", name: \"b\" }) }", At((1, 23), (1, 34)));
}
