using IncidentLedger.GraphQL.Validation.Rules;

namespace IncidentLedger.GraphQL.Tests.Validation;

public sealed class ScalarLeafsRuleTests : RuleTestBase<ScalarLeafsRule>
{
    [Fact]
    public void Accepts_a_document_that_follows_the_rule() => ExpectValid("{ dog { name } }");

    [Fact]
    public void Reports_each_violation_at_its_location() => ExpectErrors("{ dog }", At((1, 3)));
}
