using IncidentLedger.GraphQL.Validation.Rules;

namespace IncidentLedger.GraphQL.Tests.Validation;

public sealed class UniqueArgumentNamesRuleTests : RuleTestBase<UniqueArgumentNamesRule>
{
    [Fact]
    public void Accepts_a_document_that_follows_the_rule() => ExpectValid("{ dog(id: \"d1\") { name } }");

    [Fact]
    public void Reports_each_violation_at_its_location() => ExpectErrors("{ dog(id: \"d1\", id: \"d2\") { name } }", At((1, 7), (1, 17)));
}
