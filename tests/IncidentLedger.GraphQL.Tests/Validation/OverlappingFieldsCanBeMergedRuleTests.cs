using IncidentLedger.GraphQL.Validation.Rules;

namespace IncidentLedger.GraphQL.Tests.Validation;

public sealed class OverlappingFieldsCanBeMergedRuleTests : RuleTestBase<OverlappingFieldsCanBeMergedRule>
{
    [Fact]
    public void Accepts_a_document_that_follows_the_rule() => ExpectValid("{ dog { name name } }");

    [Fact]
    public void Reports_each_violation_at_its_location() => ExpectErrors("{ dog { x: name x: barkVolume } }", At((1, 9), (1, 17)));
}
