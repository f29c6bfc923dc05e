using IncidentLedger.GraphQL.Validation.Rules;

namespace IncidentLedger.GraphQL.Tests.Validation;

public sealed class KnownArgumentNamesRuleTests : RuleTestBase<KnownArgumentNamesRule>
{
    [Fact]
    public void Accepts_a_document_that_follows_the_rule() => ExpectValid("{ dog(id: \"d1\") { name } }");

    [Fact]
    public void Reports_each_violation_at_its_location() => ExpectErrors("{ dog(name: \"Rex\") { name } }", At((1, 7)));
}
