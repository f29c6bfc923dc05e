using IncidentLedger.GraphQL.Validation.Rules;

namespace IncidentLedger.GraphQL.Tests.Validation;

public sealed class UniqueDirectivesPerLocationRuleTests : RuleTestBase<UniqueDirectivesPerLocationRule>
{
    [Fact]
    public void Accepts_a_document_that_follows_the_rule() => ExpectValid("{ dog { name @skip(if: true) @include(if: true) } }");

    [Fact]
    public void Reports_each_violation_at_its_location() => ExpectErrors("{ dog { name @skip(if: true) @skip(if: false) } }", At((1, 14), (1, 30)));
}
