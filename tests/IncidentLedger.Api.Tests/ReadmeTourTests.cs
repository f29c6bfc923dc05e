using System.Text.RegularExpressions;
using IncidentLedger.Api.GraphQL;
using IncidentLedger.GraphQL.Language;
using IncidentLedger.GraphQL.Validation;
using IncidentLedger.Testing;

namespace IncidentLedger.Api.Tests;

/// <summary>The README's five-minute tour: its GraphQL operations are valid against the served schema.</summary>
public sealed partial class ReadmeTourTests
{
    [GeneratedRegex(@"^```graphql\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex GraphqlBlock();

    private static string Tour()
    {
        var readme = File.ReadAllText(Repository.PathOf(["README.md"]));
        var start = readme.IndexOf("\n## Five-minute tour\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no \"## Five-minute tour\" section.");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return readme[start..(end < 0 ? readme.Length : end)];
    }

    [Fact]
    public void Every_GraphQL_operation_of_the_tour_parses_and_validates_against_the_served_schema()
    {
        var schema = LogGraph.BuildSchema();
        var blocks = GraphqlBlock().Matches(Tour()).Select(m => m.Groups[1].Value).ToArray();

        Assert.True(blocks.Length >= 3, "The tour should show the regulator's queries, the operator's mutation and the insurer's subscription.");
        Assert.Contains(blocks, b => b.Contains("reportIncident(", StringComparison.Ordinal));
        Assert.Contains(blocks, b => b.Contains("exposureChanges", StringComparison.Ordinal));
        foreach (var block in blocks)
        {
            var document = Parser.Parse(block);
            var errors = DocumentValidator.Validate(schema, document);
            Assert.True(errors.Count == 0, $"README tour operation:\n{block}\n" + string.Join("\n", errors.Select(e => e.Message)));
        }
    }
}
