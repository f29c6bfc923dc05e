using System.Text.RegularExpressions;
using IncidentLedger.GraphQL.Types;
using IncidentLedger.Testing;

namespace IncidentLedger.Api.Tests;

/// <summary>The served GraphQL contract against the one last released (schema/graphql/CHANGES.md says how).</summary>
public sealed partial class ContractChangeTests
{
    private static string Graphql(params string[] path) => Repository.PathOf(["schema", "graphql", .. path]);

    private static string Contract(string folder) =>
        string.Join('\n', new[] { "log.graphql", "ledger.graphql" }.Select(file => File.ReadAllText(folder.Length == 0 ? Graphql(file) : Graphql(folder, file))));

    [GeneratedRegex(@"^- `([^`]+)`", RegexOptions.Multiline)]
    private static partial Regex ListedChange();

    /// <summary>The breaking changes from <paramref name="released"/> to <paramref name="served"/> whose coordinate <paramref name="changes"/> does not list.</summary>
    private static string[] Unlisted(string released, string served, string changes)
    {
        var listed = ListedChange().Matches(changes).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        return SchemaChanges.Breaking(released, served).Where(change => !listed.Contains(change[..change.IndexOf(": ", StringComparison.Ordinal)])).ToArray();
    }

    [Fact]
    public void Every_breaking_change_since_the_released_contract_is_listed_in_CHANGES()
    {
        var unlisted = Unlisted(Contract("released"), Contract(""), File.ReadAllText(Graphql("CHANGES.md")));
        Assert.True(unlisted.Length == 0, "Breaking changes to the GraphQL contract not listed in schema/graphql/CHANGES.md:\n" + string.Join('\n', unlisted));
    }

    [Fact]
    public void Removing_a_released_query_fails_the_check_until_CHANGES_lists_it()
    {
        var withoutIncidents = Regex.Replace(Contract(""), @"^\s*incidents\(", "  removedIncidents(", RegexOptions.Multiline);
        var changes = File.ReadAllText(Graphql("CHANGES.md"));

        Assert.Contains("Query.incidents: field removed", Unlisted(Contract("released"), withoutIncidents, changes));
        Assert.DoesNotContain("Query.incidents: field removed", Unlisted(Contract("released"), withoutIncidents, changes + "\n- `Query.incidents`: replaced by `register`; clients query `register` instead.\n"));
    }
}
