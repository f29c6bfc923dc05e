using IncidentLedger.GraphQL.Validation.Rules;

namespace IncidentLedger.GraphQL.Tests.Validation;

public sealed class FragmentsOnCompositeTypesRuleTests : RuleTestBase<FragmentsOnCompositeTypesRule>
{
    [Fact]
    public void Accepts_a_document_that_follows_the_rule() => ExpectValid("{ dog { ... on Pet { name } } }");

    [Fact]
    public void Reports_each_violation_at_its_location() => ExpectErrors("{ dog { ... on Boolean { name } } }", At((1, 16)));
}
