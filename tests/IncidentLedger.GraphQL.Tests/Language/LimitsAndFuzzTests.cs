using System.Diagnostics;
using System.Text;
using IncidentLedger.GraphQL.Execution;
using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Tests.Language;

/// <summary>Hostile input is rejected quickly with a GraphQL error; random mutations never crash the engine.</summary>
public sealed class LimitsAndFuzzTests
{
    private static readonly Executor Executor = new(TestSchema.Schema, new DocumentCache(capacity: 256));

    [Fact]
    public async Task Nesting_100000_deep_is_rejected_quickly_with_a_limit_error()
    {
        var deep = new StringBuilder();
        deep.Append('{', 1).Insert(0, "").Append(string.Concat(Enumerable.Repeat("dog { owner { ", 50_000))).Append("name").Append(new string('}', 100_000)).Append('}');
        var lists = "{ echoList(value: " + new string('[', 100_000) + new string(']', 100_000) + ") }";
        foreach (var text in new[] { deep.ToString(), lists })
        {
            var watch = Stopwatch.StartNew();
            var result = await Executor.ExecuteAsync(new ExecutionRequest { Query = text, Options = new ExecutionOptions { Parser = new ParserOptions { MaxDocumentLength = 2_000_000 } } });
            Assert.True(result.IsRequestError);
            Assert.Equal(ErrorCodes.LimitExceeded, Assert.Single(result.Errors!).Code);
            Assert.True(watch.ElapsedMilliseconds < 2000, $"took {watch.ElapsedMilliseconds} ms");
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Fragments_spreading_each_other_many_times_over_are_answered_without_exponential_work()
    {
        var result = await Executor.ExecuteAsync(new ExecutionRequest { Query = Validation.ExplodingFragments.Document(40), Options = new ExecutionOptions { MaxCost = 1000 }, CancellationToken = TestContext.Current.CancellationToken });
        Assert.Equal(ErrorCodes.LimitExceeded, Assert.Single(result.Errors!).Code);
        var withoutCost = await Executor.ExecuteAsync(new ExecutionRequest { Query = Validation.ExplodingFragments.Document(40), CancellationToken = TestContext.Current.CancellationToken });
        Assert.Null(withoutCost.Errors);
    }

    [Fact]
    public async Task A_10_MB_document_is_rejected_quickly_with_a_limit_error()
    {
        var huge = "{ " + string.Concat(Enumerable.Repeat("dog { name } ", 10 * 1024 * 1024 / 13)) + "}";
        Assert.True(huge.Length >= 10 * 1024 * 1024 - 16);
        var watch = Stopwatch.StartNew();
        var result = await Executor.ExecuteAsync(new ExecutionRequest { Query = huge });
        Assert.Equal(ErrorCodes.LimitExceeded, Assert.Single(result.Errors!).Code);
        Assert.True(watch.ElapsedMilliseconds < 1000, $"took {watch.ElapsedMilliseconds} ms");

        // Even with the length limit lifted, the token limit stops it.
        var tokens = Assert.Throws<GraphQLSyntaxException>(() => Parser.Parse(huge, new ParserOptions { MaxDocumentLength = int.MaxValue }));
        Assert.Equal(ErrorCodes.LimitExceeded, tokens.Error.Code);
    }

    [Fact]
    public async Task Random_mutations_of_valid_documents_always_get_a_result_or_a_graphql_error()
    {
        string[] seeds =
        [
            "query Q($id: ID = \"d1\", $f: PetFilter) { dog(id: $id) { name owner { pets { ... on Dog { barkVolume } ...C } } } pets(filter: $f) { name } } fragment C on Cat { lives furColor }",
            "{ beings { __typename ... on Named { name } } echoFilter(value: { name: \"x\", colors: [RED], nested: { minLives: 1 } }) errors { ok boom list } }",
            "mutation { createPet(input: { name: \"L\", kind: CAT, tags: [\"a\"] }) { name } renamePet(ref: { id: \"d1\" }, name: \"\\u00e9\") { id } }",
            "{ __schema { types { name fields(includeDeprecated: true) { name args { name defaultValue } } } } }",
        ];
        const string alphabet = "{}()[]:$@!=.|&\"\\ \n,#abcdefxyz0123456789_-";
        var random = new Random(20240501);
        var budget = Stopwatch.StartNew();
        var count = 0;
        for (; count < 100_000 && budget.Elapsed < TimeSpan.FromSeconds(60); count++)
        {
            var text = new StringBuilder(seeds[random.Next(seeds.Length)]);
            var edits = random.Next(1, 6);
            for (var e = 0; e < edits && text.Length > 0; e++)
            {
                var at = random.Next(text.Length);
                switch (random.Next(4))
                {
                    case 0:
                        text.Remove(at, Math.Min(random.Next(1, 8), text.Length - at));
                        break;
                    case 1:
                        text.Insert(at, alphabet[random.Next(alphabet.Length)]);
                        break;
                    case 2:
                        text[at] = alphabet[random.Next(alphabet.Length)];
                        break;
                    default:
                        var from = random.Next(text.Length);
                        var len = Math.Min(random.Next(1, 20), text.Length - from);
                        text.Insert(at, text.ToString(from, len));
                        break;
                }
            }

            var result = await Executor.ExecuteAsync(new ExecutionRequest { Query = text.ToString(), Options = new ExecutionOptions { ExposeExceptionMessages = false } });
            Assert.True(result.HasData || result.Errors is { Count: > 0 }, $"no result for: {text}");
            if (result.Errors is { } errors)
            {
                Assert.All(errors, err => Assert.False(string.IsNullOrEmpty(err.Message)));
            }
        }

        Assert.True(count >= 20_000, $"only {count} documents ran within the time bound");
    }
}
