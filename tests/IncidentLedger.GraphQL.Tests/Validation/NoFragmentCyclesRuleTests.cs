using IncidentLedger.GraphQL.Validation.Rules;

namespace IncidentLedger.GraphQL.Tests.Validation;

public sealed class NoFragmentCyclesRuleTests : RuleTestBase<NoFragmentCyclesRule>
{
    [Fact]
    public void Accepts_a_document_that_follows_the_rule() => ExpectValid("{ dog { ...A } } fragment A on Dog { ...B } fragment B on Dog { name }");

    [Fact]
    public void Reports_each_violation_at_its_location() => ExpectErrors("{ dog { ...A } }\nfragment A on Dog { ...B }\nfragment B on Dog { ...A }", At((2, 21), (3, 21)));
}
