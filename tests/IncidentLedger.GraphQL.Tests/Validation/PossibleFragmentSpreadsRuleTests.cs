using IncidentLedger.GraphQL.Validation.Rules;

namespace IncidentLedger.GraphQL.Tests.Validation;

public sealed class PossibleFragmentSpreadsRuleTests : RuleTestBase<PossibleFragmentSpreadsRule>
{
    [Fact]
    public void Accepts_a_document_that_follows_the_rule() => ExpectValid("{ pets { ... on Dog { name } } }");

    [Fact]
    public void Reports_each_violation_at_its_location() => ExpectErrors("{ dog { ... on Cat { lives } } }", At((1, 9)));
}
