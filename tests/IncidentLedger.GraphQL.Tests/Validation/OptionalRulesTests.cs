using IncidentLedger.GraphQL.Language;
using IncidentLedger.GraphQL.Validation;
using IncidentLedger.GraphQL.Validation.Rules;

namespace IncidentLedger.GraphQL.Tests.Validation;

public sealed class MaxDepthRuleTests
{
    private static IReadOnlyList<GraphQLError> Run(string query, int max) => DocumentValidator.Validate(TestSchema.Schema, Parser.Parse(query), [new MaxDepthRule(max)]);

    [Fact]
    public void Accepts_an_operation_within_the_depth_limit() => Assert.Empty(Run("{ dog { owner { name } } }", 3));

    [Fact]
    public void Counts_fragments_and_rejects_deeper_operations()
    {
        var errors = Run("query Deep { dog { ...F } } fragment F on Dog { owner { pets { name } } }", 3);
        Assert.Equal(new SourceLocation(1, 1), Assert.Single(errors).Locations![0]);
    }
}

public sealed class MaxCostRuleTests
{
    private static IReadOnlyList<GraphQLError> Run(string query, int max) => DocumentValidator.Validate(TestSchema.Schema, Parser.Parse(query), [new MaxCostRule(max, defaultListSize: 10)]);

    [Fact]
    public void Multiplies_list_costs_by_the_paging_argument()
    {
        Assert.Empty(Run("{ human(id: \"h1\") { friends(first: 2) { friends(first: 2) { name } } } }", 7));
        Assert.Single(Run("{ human(id: \"h1\") { friends(first: 20) { friends(first: 20) { name } } } }", 20));
    }
}
