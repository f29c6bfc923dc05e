using System.Reflection;
using System.Text.RegularExpressions;
using IncidentLedger.Testing;

namespace IncidentLedger.EventStore.Tests;

/// <summary>docs/verification.md §12 maps every envelope member to where this version stores it: the view and the headers agree with it.</summary>
public sealed partial class StorageMappingDocumentTests(LedgerDatabase db) : IClassFixture<LedgerDatabase>
{
    private static readonly string[] Document = File.ReadAllLines(Repository.PathOf("docs", "verification.md"));

    /// <summary>The rows of the table that starts with <paramref name="heading"/>: first cell without backticks, second cell.</summary>
    private static List<(string Member, string Where)> Table(string heading) =>
        [.. Document.SkipWhile(l => !l.StartsWith(heading, StringComparison.Ordinal)).Skip(2).TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries))
            .Select(cells => (cells[1].Trim('`'), cells[2]))];

    private static List<(string Member, string Where)> Mapping => Table("| envelope member | where this version stores it |");

    [GeneratedRegex("`(\\w+)`")]
    private static partial Regex Quoted();

    private static string SnakeCase(string member) => string.Concat(member.Select(c => char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : c.ToString()));

    [Fact]
    public void Every_envelope_member_but_format_and_origin_is_mapped()
    {
        var envelope = Table("| member | JSON type | value |").Select(r => r.Member).Except(["format", "origin"]);
        Assert.Equal(envelope.Order(), Mapping.Select(r => r.Member).Order());
    }

    [Fact]
    public async Task The_envelope_view_has_a_column_for_every_mapped_member_and_the_hash()
    {
        var columns = new List<string>();
        await using var command = db.Owner.CreateCommand("SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'ledger_event_envelopes'");
        command.Parameters.Add(new Npgsql.NpgsqlParameter<string> { TypedValue = db.Schema });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns.Add(reader.GetString(0));
        }

        Assert.Equal(columns.Except(["seq_id"]).Order(), Mapping.Select(r => SnakeCase(r.Member)).Append("hash").Order());
    }

    [Fact]
    public void The_documented_headers_are_the_headers_the_write_path_sets()
    {
        var written = typeof(LedgerStore.Headers).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!);
        var documented = Mapping.Where(r => r.Where.StartsWith("header", StringComparison.Ordinal))
            .SelectMany(r => Quoted().Matches(r.Where.Split(':')[0].Split(", absent")[0]).Select(m => m.Groups[1].Value))
            .Append("hash");
        Assert.Equal(written.Order(), documented.Order());
    }
}
