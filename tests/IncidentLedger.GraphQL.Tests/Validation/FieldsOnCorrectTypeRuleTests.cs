using IncidentLedger.GraphQL.Validation.Rules;

namespace IncidentLedger.GraphQL.Tests.Validation;

public sealed class FieldsOnCorrectTypeRuleTests : RuleTestBase<FieldsOnCorrectTypeRule>
{
    [Fact]
    public void Accepts_a_document_that_follows_the_rule() => ExpectValid("{ dog { barkVolume } }");

    [Fact]
    public void Reports_each_violation_at_its_location() => ExpectErrors("{ dog { meowVolume } }", At((1, 9)));
}
