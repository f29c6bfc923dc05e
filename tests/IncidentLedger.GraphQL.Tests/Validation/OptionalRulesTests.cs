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

    [Fact(Timeout = 30_000)]
    public async Task Fragments_spread_many_times_over_are_measured_once_each()
    {
        await Task.Yield();
        Assert.Empty(Run(ExplodingFragments.Document(40), 3));
        Assert.Single(Run(ExplodingFragments.Document(40), 1));
    }
}

/// <summary>Forty fragments, each spreading the next twice: expanded naively, 2^40 visits.</summary>
internal static class ExplodingFragments
{
    public static string Document(int levels) =>
        "{ human(id: \"h1\") { ...F0 } } "
        + string.Concat(Enumerable.Range(0, levels).Select(i => $"fragment F{i} on Human {{ name ...F{i + 1} ...F{i + 1} }} "))
        + $"fragment F{levels} on Human {{ friends(first: 2) {{ name }} }}";
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

    [Fact]
    public void Huge_list_sizes_saturate_instead_of_wrapping_under_the_limit()
    {
        const string Max = "2147483647";
        Assert.Single(Run($"{{ human(id: \"h1\") {{ friends(first: {Max}) {{ friends(first: {Max}) {{ friends(first: {Max}) {{ name }} }} }} }} }}", 1000));
        Assert.Single(Run("{ human(id: \"h1\") { friends(first: 99999999999999999999999) { name } } }", 1000));
    }

    [Fact(Timeout = 30_000)]
    public async Task Fragments_spread_many_times_over_are_costed_once_each()
    {
        await Task.Yield();
        // The estimate counts each spread (2^40 copies of the leaf list), saturates and is refused at once.
        Assert.Single(Run(ExplodingFragments.Document(40), 1000));
    }
}
