using IncidentLedger.GraphQL.Validation.Rules;

namespace IncidentLedger.GraphQL.Tests.Validation;

public sealed class LoneAnonymousOperationRuleTests : RuleTestBase<LoneAnonymousOperationRule>
{
    [Fact]
    public void Accepts_a_document_that_follows_the_rule() => ExpectValid("{ dog { name } }");

    [Fact]
    public void Reports_each_violation_at_its_location() => ExpectErrors("{ dog { name } }\n{ cat { name } }", At((1, 1)), At((2, 1)));
}
