using System.Text.Json;
using IncidentLedger.GraphQL.Execution;
using IncidentLedger.GraphQL.Types;

namespace IncidentLedger.GraphQL.Tests.Execution;

public sealed class ExecutionTests
{
    private const string Sdl = """
        type Query { authors: [Author!]! slow: String }
        type Author { id: ID! name: String! books: [Book!]! }
        type Book { title: String! }
        type Subscription { count(to: Int!): Int! }
        """;

    private static (Schema Schema, List<int> BatchSizes) BooksSchema()
    {
        var batches = new List<int>();
        var schema = SchemaBuilder.FromSdl(Sdl)
            .UseDefaultResolvers("Book")
            .BindResolver("Query", "authors", _ => Enumerable.Range(1, 50).Select(i => new Dictionary<string, object?> { ["id"] = i }).ToList())
            .BindResolver("Query", "slow", async c =>
            {
                await Task.Delay(TimeSpan.FromSeconds(30), c.CancellationToken);
                return "late";
            })
            .BindResolver("Author", "id", c => ((Dictionary<string, object?>)c.Parent!)["id"])
            .BindResolver("Author", "name", async c =>
            {
                var loader = c.DataLoader<int, string>("names", async (keys, ct) =>
                {
                    batches.Add(keys.Count);
                    await Task.Delay(5, ct);
                    return keys.ToDictionary(k => k, k => $"Author {k}");
                });
                return await loader.LoadAsync((int)((Dictionary<string, object?>)c.Parent!)["id"]!);
            })
            .BindResolver("Author", "books", async c =>
            {
                var loader = c.DataLoader<int, List<Dictionary<string, object?>>>("books", async (keys, ct) =>
                {
                    batches.Add(keys.Count);
                    await Task.Yield();
                    return keys.ToDictionary(k => k, k => new List<Dictionary<string, object?>> { new() { ["title"] = $"Book {k}" } });
                });
                return await loader.LoadAsync((int)((Dictionary<string, object?>)c.Parent!)["id"]!);
            })
            .BindSubscription("Subscription", "count", c => Count(c.Argument<int>("to")))
            .Build();
        return (schema, batches);
    }

    private static async IAsyncEnumerable<object?> Count(int to)
    {
        for (var i = 1; i <= to; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }

    [Fact]
    public async Task DataLoader_makes_one_batch_call_per_level_for_a_list()
    {
        var (schema, batches) = BooksSchema();
        var result = await new Executor(schema).ExecuteAsync(new ExecutionRequest { Query = "{ authors { id name books { title } } }" });
        Assert.Null(result.Errors);
        Assert.Equal([50, 50], batches.Order());
        using var json = JsonDocument.Parse(result.ToJson());
        Assert.Equal("Author 7", json.RootElement.GetProperty("data").GetProperty("authors")[6].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Keys_reached_through_batches_that_finish_at_different_times_share_one_batch_call()
    {
        // Each item's left side loads fast and its right side slowly; both sides' labels come from one loader.
        var labelBatches = new List<int>();
        var schema = SchemaBuilder.FromSdl("""
                type Query { items: [Item!]! }
                type Item { left: Side! right: Side! }
                type Side { label: String! }
                """)
            .BindResolver("Query", "items", _ => Enumerable.Range(1, 20).ToList())
            .BindResolver("Item", "left", c => Side(c, "left", TimeSpan.Zero))
            .BindResolver("Item", "right", c => Side(c, "right", TimeSpan.FromMilliseconds(50)))
            .BindResolver("Side", "label", async c =>
            {
                var loader = c.DataLoader<string, string>("labels", (keys, _) =>
                {
                    labelBatches.Add(keys.Count);
                    return ValueTask.FromResult<IReadOnlyDictionary<string, string>>(keys.ToDictionary(k => k, k => k.ToUpperInvariant()));
                });
                return await loader.LoadAsync((string)c.Parent!);
            })
            .Build();

        var result = await new Executor(schema).ExecuteAsync(new ExecutionRequest { Query = "{ items { left { label } right { label } } }" });

        Assert.Null(result.Errors);
        Assert.Equal([40], labelBatches);
        using var json = JsonDocument.Parse(result.ToJson());
        Assert.Equal("RIGHT 7", json.RootElement.GetProperty("data").GetProperty("items")[6].GetProperty("right").GetProperty("label").GetString());

        static async ValueTask<object?> Side(IResolveContext c, string side, TimeSpan latency) =>
            await c.DataLoader<int, string>(side, async (keys, ct) =>
            {
                await Task.Delay(latency, ct);
                return keys.ToDictionary(k => k, k => $"{side} {k}");
            }).LoadAsync((int)c.Parent!);
    }

    [Fact]
    public async Task A_timeout_ends_execution_with_a_timeout_error()
    {
        var (schema, _) = BooksSchema();
        var result = await new Executor(schema).ExecuteAsync(new ExecutionRequest { Query = "{ slow }", Options = new ExecutionOptions { Timeout = TimeSpan.FromMilliseconds(100) } });
        Assert.Equal(ErrorCodes.Timeout, result.Errors![^1].Code);
    }

    [Fact]
    public async Task A_subscription_yields_one_result_per_event()
    {
        var (schema, _) = BooksSchema();
        var results = new List<string>();
        await foreach (var r in new Executor(schema).SubscribeAsync(new ExecutionRequest { Query = "subscription { count(to: 3) }" }))
        {
            results.Add(r.ToJson());
        }

        Assert.Equal(["{\"data\":{\"count\":1}}", "{\"data\":{\"count\":2}}", "{\"data\":{\"count\":3}}"], results);
    }

    [Fact]
    public async Task Request_errors_have_no_data_entry_and_field_errors_do()
    {
        var (schema, _) = BooksSchema();
        var executor = new Executor(schema);
        var invalid = await executor.ExecuteAsync(new ExecutionRequest { Query = "{ nope }" });
        Assert.True(invalid.IsRequestError);
        Assert.DoesNotContain("\"data\"", invalid.ToJson(), StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.ValidationFailed, invalid.Errors![0].Code);
    }

    [Fact]
    public async Task Repeated_documents_are_served_from_the_cache()
    {
        var (schema, _) = BooksSchema();
        var executor = new Executor(schema);
        for (var i = 0; i < 3; i++)
        {
            await executor.ExecuteAsync(new ExecutionRequest { Query = "{ authors { id } }" });
        }

        Assert.Equal(2, executor.Cache.Hits);
        Assert.Equal(1, executor.Cache.Count);
    }

    [Fact]
    public void Build_lists_every_unbound_field_and_type_error()
    {
        var ex = Assert.Throws<SchemaException>(() => SchemaBuilder.FromSdl("type Query { a: String b: Missing } type Other { x: Int } union U = Query | String").Build());
        Assert.Contains(ex.Problems, p => p.Contains("Query.a has no resolver", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("Unknown type \"Missing\"", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("Other.x has no resolver", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("can only include Object types", StringComparison.Ordinal));
    }

    [Fact]
    public void Field_merging_stays_fast_on_a_large_document()
    {
        var fields = string.Join(" ", Enumerable.Range(0, 3000).Select(i => $"a{i}: dog {{ name owner {{ name }} }}"));
        var spreads = string.Join(" ", Enumerable.Range(0, 300).Select(i => $"...F{i}"));
        var fragments = string.Join(" ", Enumerable.Range(0, 300).Select(i => $"fragment F{i} on Query {{ d{i}: dog {{ name barkVolume }} x{i}: cat {{ name }} }}"));
        var leaves = "dog { " + string.Concat(Enumerable.Repeat("name ", 5000)) + "}";
        const string copy = "human(id: \"h1\") { name pets { name ... on Dog { barkVolume } } } ";
        var copies = string.Concat(Enumerable.Repeat(copy, 3000));
        var text = "{ " + fields + " " + leaves + " " + copies + spreads + " } " + fragments;
        var document = IncidentLedger.GraphQL.Language.Parser.Parse(text);

        // Warm up on a small document, so the bound measures the algorithm rather than JIT compilation.
        IncidentLedger.GraphQL.Validation.DocumentValidator.Validate(TestSchema.Schema, IncidentLedger.GraphQL.Language.Parser.Parse("{ " + copy + copy + copy + " }"));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var errors = IncidentLedger.GraphQL.Validation.DocumentValidator.Validate(TestSchema.Schema, document);
        Assert.Empty(errors);

        // About a second on two busy cores; comparing every pair of the 3,000 copies would take minutes.
        Assert.True(watch.ElapsedMilliseconds < 10_000, $"validation took {watch.ElapsedMilliseconds} ms");
    }
}

public sealed class IntrospectionDefaultsTests
{
    [Fact]
    public async Task The_standard_introspection_query_passes_the_default_request_limits()
    {
        var query = File.ReadAllText(TestSchema.RepoPath("load", "IncidentLedger.GraphQL.Bench", "queries.json"));
        var text = System.Text.Json.JsonDocument.Parse(query).RootElement.GetProperty("introspection").GetString()!;
        var result = await new Executor(TestSchema.Schema).ExecuteAsync(new ExecutionRequest { Query = text });
        Assert.Null(result.Errors);
    }

    [Fact]
    public async Task Introspection_can_be_turned_off_per_caller_but_typename_stays()
    {
        var executor = new Executor(TestSchema.Schema);
        var denied = await executor.ExecuteAsync(new ExecutionRequest { Query = "{ __schema { queryType { name } } }", Options = new ExecutionOptions { AllowIntrospection = false } });
        Assert.Equal(ErrorCodes.IntrospectionDisabled, Assert.Single(denied.Errors!).Code);
        var typename = await executor.ExecuteAsync(new ExecutionRequest { Query = "{ __typename }", Options = new ExecutionOptions { AllowIntrospection = false } });
        Assert.Null(typename.Errors);
    }
}

/// <summary>The request limits of an operation, checked again wherever a caller's limits or (for a cost) the variables differ.</summary>
public sealed class RequestLimitsTests
{
    [Fact]
    public async Task An_operation_checked_once_for_one_callers_limits_is_checked_again_for_anothers()
    {
        // The same parsed operation (the executor's document cache) under limits that alternate between callers.
        var executor = new Executor(TestSchema.Schema);
        const string Query = "{ __schema { queryType { name } } dog { owner { name } } }";
        var open = new ExecutionOptions { AllowIntrospection = true, MaxDepth = 15 };
        var closed = new ExecutionOptions { AllowIntrospection = false, MaxDepth = 15 };
        var shallow = new ExecutionOptions { AllowIntrospection = true, MaxDepth = 1 };
        foreach (var _ in Enumerable.Range(0, 2))
        {
            Assert.Null((await executor.ExecuteAsync(new ExecutionRequest { Query = Query, Options = open })).Errors);
            Assert.Equal(ErrorCodes.IntrospectionDisabled, Assert.Single((await executor.ExecuteAsync(new ExecutionRequest { Query = Query, Options = closed })).Errors!).Code);
            Assert.Equal(ErrorCodes.LimitExceeded, Assert.Single((await executor.ExecuteAsync(new ExecutionRequest { Query = Query, Options = shallow })).Errors!).Code);
        }
    }

    [Fact]
    public async Task A_cost_that_a_variable_sizes_is_checked_with_each_requests_variables()
    {
        var executor = new Executor(TestSchema.Schema);
        const string Query = "query ($n: Int) { human(id: \"h1\") { friends(first: $n) { friends(first: $n) { name } } } }";
        var options = new ExecutionOptions { MaxCost = 20 };
        foreach (var _ in Enumerable.Range(0, 2))
        {
            Assert.Null((await executor.ExecuteAsync(new ExecutionRequest { Query = Query, Variables = new Dictionary<string, object?> { ["n"] = 2 }, Options = options })).Errors);
            Assert.Equal(ErrorCodes.LimitExceeded, Assert.Single((await executor.ExecuteAsync(new ExecutionRequest { Query = Query, Variables = new Dictionary<string, object?> { ["n"] = 20 }, Options = options })).Errors!).Code);
        }

        // With introspection refused as well: that outcome is the operation's whatever the variables, the cost is each request's.
        const string Introspecting = "query ($n: Int) { __schema { queryType { name } } human(id: \"h1\") { friends(first: $n) { friends(first: $n) { name } } } }";
        var closed = options with { AllowIntrospection = false };
        foreach (var _ in Enumerable.Range(0, 2))
        {
            var small = await executor.ExecuteAsync(new ExecutionRequest { Query = Introspecting, Variables = new Dictionary<string, object?> { ["n"] = 2 }, Options = closed });
            Assert.Equal([ErrorCodes.IntrospectionDisabled], small.Errors!.Select(e => e.Code));
            var large = await executor.ExecuteAsync(new ExecutionRequest { Query = Introspecting, Variables = new Dictionary<string, object?> { ["n"] = 20 }, Options = closed });
            Assert.Equal([ErrorCodes.IntrospectionDisabled, ErrorCodes.LimitExceeded], large.Errors!.Select(e => e.Code));
        }
    }
}
