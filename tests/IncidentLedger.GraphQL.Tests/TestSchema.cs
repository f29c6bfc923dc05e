using System.Text.Json;
using IncidentLedger.GraphQL.Execution;
using IncidentLedger.GraphQL.Types;

namespace IncidentLedger.GraphQL.Tests;

/// <summary>
/// The side-by-side test schema (tests/js/fixture/schema.graphql) with the same resolvers as tests/js/resolvers.mjs,
/// over the same data (tests/js/fixture/data.json).
/// </summary>
public static class TestSchema
{
    private static readonly Lazy<Schema> Built = new(Build);

    public static Schema Schema => Built.Value;

    public static string RepoPath(params string[] parts)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "tests", "js")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new InvalidOperationException("Cannot find the repository root (a folder with tests/js) above " + AppContext.BaseDirectory);
        }

        return Path.Combine([dir.FullName, .. parts]);
    }

    public static string Sdl => File.ReadAllText(RepoPath("tests", "js", "fixture", "schema.graphql"));

    private static Schema Build()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(RepoPath("tests", "js", "fixture", "data.json")));
        var data = (Dictionary<string, object?>)JsonValues.FromElement(json.RootElement)!;
        List<Dictionary<string, object?>> Of(string key) => ((List<object?>)data[key]!).Cast<Dictionary<string, object?>>().ToList();
        var dogs = Of("dogs");
        var cats = Of("cats");
        var humans = Of("humans");
        var aliens = Of("aliens");
        var all = dogs.Concat(cats).Concat(humans).Concat(aliens).ToList();
        var pets = dogs.Concat(cats).ToList();
        Dictionary<string, object?>? ById(object? id) => id is null ? null : all.Find(x => Equals(x["id"], id));
        var host = new Dictionary<string, object?>();

        static Dictionary<string, object?> P(IResolveContext c) => (Dictionary<string, object?>)c.Parent!;
        Dictionary<string, object?>? FindPet(IReadOnlyDictionary<string, object?> r) =>
            pets.Find(p => r.TryGetValue("id", out var id) && id is not null ? Equals(p["id"], id) : Equals(p["name"], r.GetValueOrDefault("name")));

        var builder = SchemaBuilder.FromSdl(Sdl)
            .UseDefaultResolvers()
            .BindResolver("Query", "node", c => ById(c.Arguments["id"]))
            .BindResolver("Query", "dog", c => dogs.Find(d => Equals(d["id"], c.Arguments["id"])))
            .BindResolver("Query", "cat", _ => cats[0])
            .BindResolver("Query", "human", c => humans.Find(h => Equals(h["id"], c.Arguments["id"])))
            .BindResolver("Query", "humans", _ => humans)
            .BindResolver("Query", "pets", c => c.Arguments.GetValueOrDefault("filter") is IReadOnlyDictionary<string, object?> f && f.GetValueOrDefault("name") is string n ? pets.Where(p => Equals(p["name"], n)).ToList() : pets)
            .BindResolver("Query", "beings", _ => new object?[] { dogs[0], cats[0], humans[0], aliens[0], null })
            .BindResolver("Query", "catOrDog", _ => cats[0])
            .BindResolver("Query", "findPet", c => FindPet((IReadOnlyDictionary<string, object?>)c.Arguments["ref"]!))
            .BindResolver("Query", "withDefault", c => c.Arguments["value"])
            .BindResolver("Query", "severity", _ => "HIGH")
            .BindResolver("Query", "deprecatedField", _ => "old")
            .BindResolver("Query", "oldArg", c => c.Arguments.GetValueOrDefault("new") ?? c.Arguments.GetValueOrDefault("old"))
            .BindResolver("Query", "errors", _ => host)
            .BindResolver("Query", "nullableHost", _ => host)
            .BindResolver("Query", "hosts", _ => new object?[] { host, null, host })
            .BindResolver("Query", "strictHosts", _ => new object?[] { host, host })
            .BindResolver("Query", "createdAt", _ => "2024-05-01T12:30:00Z")
            .BindResolver("Query", "uuid", _ => "1B4E28BA-2FA1-11D2-883F-0016D3CCA427")
            .BindResolver("Query", "big", _ => 9007199254740991L)
            .BindResolver("Query", "price", _ => 12.5m)
            .BindResolver("Query", "meta", _ => new Dictionary<string, object?> { ["a"] = new List<object?> { 1, "x", true, null }, ["b"] = new Dictionary<string, object?> { ["c"] = 2.5 } })
            .BindResolver("Dog", "owner", c => ById(P(c)["owner"]))
            .BindResolver("Dog", "nickname", c => c.Arguments["upper"] is true ? ((string)P(c)["name"]!).ToUpperInvariant() : P(c)["nickname"])
            .BindResolver("Dog", "isHousetrained", c => c.Arguments.GetValueOrDefault("atOtherHomes") is false ? false : P(c)["housetrained"])
            .BindResolver("Dog", "doesKnowCommand", c => ((List<object?>)P(c)["knownCommands"]!).Contains(c.Arguments["command"]))
            .BindResolver("Cat", "owner", c => ById(P(c)["owner"]))
            .BindResolver("Cat", "nickname", c => c.Arguments["upper"] is true ? ((string)P(c)["name"]!).ToUpperInvariant() : P(c)["nickname"])
            .BindResolver("Human", "pets", c => ((List<object?>)P(c)["pets"]!).Select(ById).ToList())
            .BindResolver("Human", "friends", c => ((List<object?>)P(c)["friends"]!).Take(Math.Max(c.Argument<int?>("first") ?? 0, 0)).Select(ById).ToList())
            .BindResolver("ErrorHost", "ok", _ => "ok")
            .BindResolver("ErrorHost", "boom", _ => throw new GraphQLException("boom"))
            .BindResolver("ErrorHost", "boomNonNull", _ => throw new GraphQLException("boom"))
            .BindResolver("ErrorHost", "nullNonNull", _ => null)
            .BindResolver("ErrorHost", "child", _ => host)
            .BindResolver("ErrorHost", "nonNullChild", _ => host)
            .BindResolver("ErrorHost", "list", _ => new object?[] { "a", null, "c" })
            .BindResolver("ErrorHost", "nonNullItems", _ => new object?[] { "a", null, "c" })
            .BindResolver("ErrorHost", "badInt", _ => "abc")
            .BindResolver("ErrorHost", "asyncOk", async _ =>
            {
                await Task.Yield();
                return "ok";
            })
            .BindResolver("ErrorHost", "asyncBoom", async _ =>
            {
                await Task.Yield();
                throw new GraphQLException("async boom");
            })
            .BindResolver("Mutation", "createPet", c =>
            {
                var input = (IReadOnlyDictionary<string, object?>)c.Arguments["input"]!;
                return new Dictionary<string, object?>
                {
                    ["__typename"] = Equals(input["kind"], "DOG") ? "Dog" : "Cat",
                    ["id"] = "new",
                    ["name"] = input["name"],
                    ["nickname"] = null,
                    ["owner"] = null,
                    ["knownCommands"] = new List<object?>(),
                    ["lives"] = 9,
                    ["housetrained"] = false,
                };
            })
            .BindResolver("Mutation", "renamePet", c => FindPet((IReadOnlyDictionary<string, object?>)c.Arguments["ref"]!) is { } p
                ? new Dictionary<string, object?>(p) { ["name"] = c.Arguments["name"] }
                : null)
            .BindResolver("Mutation", "setSeverity", c => c.Arguments["value"])
            .BindSubscription("Subscription", "petAdded", _ => Stream(pets.Cast<object?>()))
            .BindSubscription("Subscription", "ticks", c => Stream(Enumerable.Range(1, c.Argument<int>("count")).Cast<object?>()));
        foreach (var name in new[] { "Int", "IntNonNull", "Float", "String", "Boolean", "Id", "Color", "List", "NonNullList", "Nested", "Filter", "Complex", "Ref", "Date", "DateTime", "Uuid", "Long", "Decimal", "Json" })
        {
            builder.BindResolver("Query", "echo" + name, c => c.Arguments.GetValueOrDefault("value"));
        }

        return builder.Build();
    }

    private static async IAsyncEnumerable<object?> Stream(IEnumerable<object?> items)
    {
        foreach (var item in items)
        {
            await Task.Yield();
            yield return item;
        }
    }
}
