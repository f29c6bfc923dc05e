using System.Security.Claims;
using IncidentLedger.GraphQL.Execution;
using IncidentLedger.GraphQL.Types;

namespace IncidentLedger.GraphQL.Tests.Types;

public sealed class SchemaBuilderTests
{
    private const string Sdl = """
        type Query { incidents(first: Int = 10): [Incident!]! node(id: ID!): Node whoami: String selected: [String!]! }
        type Mutation { append(text: String!): [String!]! }
        interface Node { id: ID! }
        type Incident implements Node { id: ID! title: String! severity: Severity! reportedAt: DateTime! ref: UUID }
        type Operator implements Node { id: ID! name: String! }
        enum Severity { LOW HIGH_RISK }
        scalar DateTime
        scalar UUID
        """;

    public enum Severity { Low, HighRisk }

    public sealed record Incident(string Id, string Title, Severity Severity, DateTimeOffset ReportedAt, Guid? Ref);

    public sealed record Operator(string Id, string Name);

    private static readonly Incident[] Incidents =
    [
        new("i1", "Model drift", Severity.HighRisk, new DateTimeOffset(2024, 5, 1, 14, 30, 0, TimeSpan.FromHours(2)), Guid.Parse("1b4e28ba-2fa1-11d2-883f-0016d3cca427")),
        new("i2", "Bias report", Severity.Low, new DateTimeOffset(2024, 6, 2, 8, 0, 0, TimeSpan.Zero), null),
    ];

    private static Executor Build(List<string>? log = null) => new(SchemaBuilder.FromSdl(Sdl)
        .UseDefaultResolvers()
        .BindEnum<Severity>("Severity")
        .BindResolver("Query", "incidents", c => Incidents.Take(c.Argument<int>("first")))
        .BindResolver("Query", "node", c => (string)c.Arguments["id"]! == "o1" ? new Operator("o1", "Ops") : Incidents.FirstOrDefault(i => i.Id == (string)c.Arguments["id"]!))
        .BindResolver("Query", "whoami", c => (c.UserContext as ClaimsPrincipal)?.Identity?.Name)
        .BindResolver("Query", "selected", c => c.SelectedFields().Select(f => f.Name.Value).ToList())
        .BindResolver("Mutation", "append", async c =>
        {
            // Mutation fields run one after another: each sees the previous one's effect.
            await Task.Delay(10 - (log!.Count * 4));
            log.Add((string)c.Arguments["text"]!);
            return log.ToList();
        })
        .Build());

    [Fact]
    public async Task Clr_objects_enums_and_custom_scalars_are_read_by_the_default_resolvers()
    {
        var result = await Build().ExecuteAsync(new ExecutionRequest { Query = "{ incidents { id title severity reportedAt ref } }" });
        Assert.Equal(
            """{"data":{"incidents":[{"id":"i1","title":"Model drift","severity":"HIGH_RISK","reportedAt":"2024-05-01T12:30:00.000Z","ref":"1b4e28ba-2fa1-11d2-883f-0016d3cca427"},{"id":"i2","title":"Bias report","severity":"LOW","reportedAt":"2024-06-02T08:00:00.000Z","ref":null}]}}""",
            result.ToJson());
    }

    [Fact]
    public async Task Interfaces_resolve_clr_objects_by_type_name()
    {
        var result = await Build().ExecuteAsync(new ExecutionRequest { Query = """{ a: node(id: "o1") { __typename ... on Operator { name } } b: node(id: "i2") { __typename id } }""" });
        Assert.Equal("""{"data":{"a":{"__typename":"Operator","name":"Ops"},"b":{"__typename":"Incident","id":"i2"}}}""", result.ToJson());
    }

    [Fact]
    public async Task Resolvers_see_the_user_context_and_can_look_ahead()
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "regulator-7")], "test"));
        var result = await Build().ExecuteAsync(new ExecutionRequest { Query = "{ whoami }", UserContext = user });
        Assert.Equal("""{"data":{"whoami":"regulator-7"}}""", result.ToJson());
    }

    [Fact]
    public async Task Mutations_run_serially_in_document_order()
    {
        var log = new List<string>();
        var result = await Build(log).ExecuteAsync(new ExecutionRequest { Query = """mutation { a: append(text: "1") b: append(text: "2") }""" });
        Assert.Equal("""{"data":{"a":["1"],"b":["1","2"]}}""", result.ToJson());
    }

    [Fact]
    public async Task Depth_and_cost_limits_reject_before_execution()
    {
        var executor = Build();
        var deep = await executor.ExecuteAsync(new ExecutionRequest { Query = "{ incidents { id } }", Options = new ExecutionOptions { MaxDepth = 1 } });
        Assert.Equal(ErrorCodes.LimitExceeded, Assert.Single(deep.Errors!).Code);
        Assert.True(deep.IsRequestError);

        var costly = await executor.ExecuteAsync(new ExecutionRequest
        {
            Query = "query ($n: Int) { incidents(first: $n) { id } }",
            Variables = new Dictionary<string, object?> { ["n"] = 500 },
            Options = new ExecutionOptions { MaxCost = 100 },
        });
        Assert.Equal(ErrorCodes.LimitExceeded, Assert.Single(costly.Errors!).Code);
    }

    [Fact]
    public void Unbound_root_fields_fail_even_with_default_resolvers()
    {
        var ex = Assert.Throws<SchemaException>(() => SchemaBuilder.FromSdl("type Query { a: String b: Thing } type Thing { x: Int }").UseDefaultResolvers().BindResolver("Query", "a", _ => "a").Build());
        Assert.Equal(["Field Query.b has no resolver: bind one with BindResolver."], ex.Problems);
    }

    [Fact]
    public void Interface_implementations_are_checked()
    {
        var ex = Assert.Throws<SchemaException>(() => SchemaBuilder.FromSdl("""
            type Query { n: N }
            interface N { id: ID! name(upper: Boolean): String }
            interface M implements N { id: ID! name(upper: Boolean): String }
            type T implements M { id: String name: String extra(required: Int!): Int }
            """).UseDefaultResolvers().BindResolver("Query", "n", _ => null).Build());
        Assert.Contains(ex.Problems, p => p.Contains("Type T must implement N because it is implemented by M", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("expects type ID! but T.id is type String", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("M.name(upper:) expected but T.name does not provide it", StringComparison.Ordinal));
    }

    [Fact]
    public void The_schema_prints_back_to_sdl_that_builds_the_same_schema()
    {
        var schema = TestSchema.Schema;
        var printed = schema.ToSdl();
        var rebuilt = SchemaBuilder.FromSdl(printed).UseDefaultResolvers();
        foreach (var root in new[] { schema.QueryType, schema.MutationType!, schema.SubscriptionType! })
        {
            foreach (var field in root.Fields)
            {
                if (root == schema.SubscriptionType)
                {
                    rebuilt.BindSubscription(root.Name, field.Name, _ => AsyncEnumerable.Empty<object?>());
                }
                else
                {
                    rebuilt.BindResolver(root.Name, field.Name, _ => null);
                }
            }
        }

        Assert.Equal(printed, rebuilt.Build().ToSdl());
    }
}
