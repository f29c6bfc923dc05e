using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Tests.Language;

public sealed class ParserTests
{
    [Theory]
    [InlineData("{ dog { name } }")]
    [InlineData("query Q($a: [Int!]! = [1, 2], $b: PetFilter = { name: \"x\", nested: { minLives: 2 } }) @flag { a: dog(id: $a) @skip(if: true) { ...F ... on Dog { name } ... @include(if: false) { id } } }\n\nfragment F on Dog { name }")]
    [InlineData("\"\"\"\nDescribed\n  indented\n\"\"\"\ntype A implements B & C @tag(name: \"x\") {\n  \"field\"\n  f(\"arg\" a: Int = 1 @deprecated): [String!]! @deprecated(reason: \"no\")\n}\n\nextend type A @tag(name: \"y\")\n\nunion U = A | B\n\ninput I @oneOf {\n  a: Int\n}\n\ndirective @d(a: Int) repeatable on FIELD | OBJECT\n\nenum E {\n  X\n  Y @deprecated\n}\n\nschema {\n  query: A\n}")]
    [InlineData("\"op\" query Q(\"var\" $v: Int) { echoInt(value: $v) }")]
    public void Printing_and_reparsing_is_stable(string source)
    {
        var printed = Printer.Print(Parser.Parse(source));
        Assert.Equal(printed, Printer.Print(Parser.Parse(printed)));
    }

    [Fact]
    public void Block_strings_are_dedented_per_the_spec()
    {
        var doc = Parser.Parse("{ f(a: \"\"\"\n    Hello,\n      World!\n\n    Yours\n  \"\"\") }");
        var value = (StringValueNode)((FieldNode)((OperationDefinitionNode)doc.Definitions[0]).SelectionSet.Selections[0]).Arguments[0].Value;
        Assert.Equal("Hello,\n  World!\n\nYours", value.Value);
    }

    [Fact]
    public void Unicode_escapes_including_surrogate_pairs_are_decoded()
    {
        var doc = Parser.Parse("{ f(a: \"\\u00e9 \\u{1F600} \\uD83D\\uDE00\") }");
        var value = (StringValueNode)((FieldNode)((OperationDefinitionNode)doc.Definitions[0]).SelectionSet.Selections[0]).Arguments[0].Value;
        Assert.Equal("é 😀 😀", value.Value);
    }

    [Fact]
    public void Syntax_errors_point_at_line_and_column()
    {
        var ex = Assert.Throws<GraphQLSyntaxException>(() => Parser.Parse("{\n  dog {\n    name(\n  }\n}"));
        Assert.Equal(new SourceLocation(4, 3), ex.Error.Locations![0]);
    }
}
