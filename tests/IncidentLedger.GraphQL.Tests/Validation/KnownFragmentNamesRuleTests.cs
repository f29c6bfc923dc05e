using IncidentLedger.GraphQL.Validation.Rules;

namespace IncidentLedger.GraphQL.Tests.Validation;

public sealed class KnownFragmentNamesRuleTests : RuleTestBase<KnownFragmentNamesRule>
{
    [Fact]
    public void Accepts_a_document_that_follows_the_rule() => ExpectValid("{ dog { ...F } } fragment F on Dog { name }");

    [Fact]
    public void Reports_each_violation_at_its_location() => ExpectErrors("{ dog { ...Missing } }", At((1, 12)));
}
