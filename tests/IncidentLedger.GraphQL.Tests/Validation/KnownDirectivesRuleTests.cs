using IncidentLedger.GraphQL.Validation.Rules;

namespace IncidentLedger.GraphQL.Tests.Validation;

public sealed class KnownDirectivesRuleTests : RuleTestBase<KnownDirectivesRule>
{
    [Fact]
    public void Accepts_a_document_that_follows_the_rule() => ExpectValid("{ dog { name @skip(if: true) } }");

    [Fact]
    public void Reports_each_violation_at_its_location() => ExpectErrors("{ dog @unknown { name } }", At((1, 7)));
}
