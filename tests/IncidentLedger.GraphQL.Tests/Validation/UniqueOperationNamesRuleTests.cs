using IncidentLedger.GraphQL.Validation.Rules;

namespace IncidentLedger.GraphQL.Tests.Validation;

public sealed class UniqueOperationNamesRuleTests : RuleTestBase<UniqueOperationNamesRule>
{
    [Fact]
    public void Accepts_a_document_that_follows_the_rule() => ExpectValid("query A { dog { name } } query B { dog { name } }");

    [Fact]
    public void Reports_each_violation_at_its_location() => ExpectErrors("query A { dog { name } }\nquery A { cat { name } }", At((1, 7), (2, 7)));
}
