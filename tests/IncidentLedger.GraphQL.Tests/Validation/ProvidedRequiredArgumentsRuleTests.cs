using IncidentLedger.GraphQL.Validation.Rules;

namespace IncidentLedger.GraphQL.Tests.Validation;

public sealed class ProvidedRequiredArgumentsRuleTests : RuleTestBase<ProvidedRequiredArgumentsRule>
{
    [Fact]
    public void Accepts_a_document_that_follows_the_rule() => ExpectValid("{ human(id: \"h1\") { name } }");

    [Fact]
    public void Reports_each_violation_at_its_location() => ExpectErrors("{ human { name } }", At((1, 3)));
}
