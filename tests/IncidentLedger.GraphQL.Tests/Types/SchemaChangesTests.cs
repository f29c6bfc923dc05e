using IncidentLedger.GraphQL.Types;

namespace IncidentLedger.GraphQL.Tests.Types;

public sealed class SchemaChangesTests
{
    private const string Before = """
        type Query { incidents(first: Int, status: Status): [Incident!]! incident(id: ID!): Incident }
        type Incident implements Node { id: ID! title: String! severity: Int parties: [Party!] }
        interface Node { id: ID! }
        union Party = Company | Person
        type Company { name: String }
        type Person { name: String }
        enum Status { OPEN CLOSED }
        input Filter { status: Status text: String }
        scalar Decimal
        """;

    private static IReadOnlyList<string> After(string from, string to) => SchemaChanges.Breaking(Before, Before.Replace(from, to, StringComparison.Ordinal));

    [Fact]
    public void The_same_schema_has_no_breaking_change() => Assert.Empty(SchemaChanges.Breaking(Before, Before));

    [Theory]
    [InlineData("incident(id: ID!): Incident ", "", "Query.incident: field removed")]
    [InlineData("title: String!", "title: String", "Incident.title: type changed from String! to String")]
    [InlineData("severity: Int", "severity: Float", "Incident.severity: type changed from Int to Float")]
    [InlineData("parties: [Party!]", "parties: Party", "Incident.parties: type changed from [Party!] to Party")]
    [InlineData("(first: Int, status: Status)", "(first: Int!, status: Status)", "Query.incidents(first:): type changed from Int to Int!")]
    [InlineData("(first: Int, status: Status)", "(status: Status)", "Query.incidents(first:): argument removed")]
    [InlineData("(first: Int, status: Status)", "(first: Int, status: Status, region: String!)", "Query.incidents(region:): required argument added")]
    [InlineData("enum Status { OPEN CLOSED }", "enum Status { OPEN }", "Status.CLOSED: enum value removed")]
    [InlineData("union Party = Company | Person", "union Party = Company", "Party.Person: union member removed")]
    [InlineData("implements Node ", "", "Incident.Node: interface removed")]
    [InlineData("input Filter { status: Status text: String }", "input Filter { status: Status! text: String }", "Filter.status: type changed from Status to Status!")]
    [InlineData("input Filter { status: Status text: String }", "input Filter { status: Status text: String sector: String! }", "Filter.sector: required input field added")]
    [InlineData("scalar Decimal", "", "Decimal: type removed")]
    [InlineData("type Person { name: String }", "input Person { name: String }", "Person: changed from object to input object")]
    public void Each_breaking_change_is_named_by_its_coordinate(string from, string to, string expected) =>
        Assert.Contains(expected, After(from, to));

    [Theory]
    [InlineData("severity: Int", "severity: Int!")]
    [InlineData("title: String!", "title: String! summary: String")]
    [InlineData("(first: Int, status: Status)", "(first: Int, status: Status, region: String)")]
    [InlineData("(first: Int, status: Status)", "(first: Int = 50, status: Status)")]
    [InlineData("enum Status { OPEN CLOSED }", "enum Status { OPEN CLOSED WITHDRAWN }")]
    [InlineData("input Filter { status: Status text: String }", "input Filter { status: Status text: String sector: String! = \"any\" }")]
    [InlineData("scalar Decimal", "scalar Decimal type Extra { x: Int }")]
    public void Additions_and_stricter_outputs_are_not_breaking(string from, string to) => Assert.Empty(After(from, to));

    [Fact]
    public void Extensions_count_as_part_of_their_type()
    {
        var split = Before.Replace("incident(id: ID!): Incident ", "", StringComparison.Ordinal) + "\nextend type Query { incident(id: ID!): Incident }";
        Assert.Empty(SchemaChanges.Breaking(Before, split));
        Assert.Contains("Query.incident: field removed", SchemaChanges.Breaking(split, Before.Replace("incident(id: ID!): Incident ", "", StringComparison.Ordinal)));
    }
}
