using IncidentLedger.GraphQL.Validation.Rules;

namespace IncidentLedger.GraphQL.Tests.Validation;

public sealed class MaxIntrospectionDepthRuleTests : RuleTestBase<MaxIntrospectionDepthRule>
{
    [Fact]
    public void Accepts_a_document_that_follows_the_rule() => ExpectValid("{ __schema { types { fields { name } } } }");

    [Fact]
    public void Reports_each_violation_at_its_location() => ExpectErrors("{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }", At((1, 3)));
}
