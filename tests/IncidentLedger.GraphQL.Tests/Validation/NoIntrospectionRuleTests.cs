using IncidentLedger.GraphQL.Validation.Rules;

namespace IncidentLedger.GraphQL.Tests.Validation;

public sealed class NoIntrospectionRuleTests : RuleTestBase<NoIntrospectionRule>
{
    [Fact]
    public void Accepts_a_document_that_follows_the_rule() => ExpectValid("{ __typename dog { name } }");

    [Fact]
    public void Reports_each_violation_at_its_location() => ExpectErrors("{ __schema { queryType { name } } }", At((1, 3)));
}
