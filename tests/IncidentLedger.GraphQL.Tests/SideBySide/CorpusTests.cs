using System.Text.Json;
using IncidentLedger.GraphQL.Execution;

namespace IncidentLedger.GraphQL.Tests.SideBySide;

/// <summary>
/// Every corpus document (tests/js/corpus.mjs) through graphql-js and through our engine: both must agree on validity,
/// on the number and locations of errors, and for executed documents on data and error paths.
/// </summary>
public sealed class CorpusTests
{
    private static readonly Executor Executor = new(TestSchema.Schema);

    public static TheoryData<string> Cases() => new(Oracle.CaseNames());

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Engine_agrees_with_graphql_js(string name)
    {
        Assert.True(Oracle.Problem is null, Oracle.Problem);
        var expected = Oracle.Case(name);
        var query = expected.GetProperty("query").GetString()!;
        var variables = expected.GetProperty("variables");
        var operationName = expected.GetProperty("operationName");
        var result = await Executor.ExecuteAsync(new ExecutionRequest
        {
            Query = query,
            VariablesJson = variables.ValueKind == JsonValueKind.Object ? variables : null,
            OperationName = operationName.ValueKind == JsonValueKind.String ? operationName.GetString() : null,
            Options = new ExecutionOptions { MaxDepth = null, ExposeExceptionMessages = true },
        });
        using var actual = JsonDocument.Parse(result.ToJson());
        var actualErrors = actual.RootElement.TryGetProperty("errors", out var e) ? e.EnumerateArray().ToList() : [];
        var expectedErrors = expected.GetProperty("errors").EnumerateArray().ToList();
        var stage = expected.GetProperty("stage").GetString();
        var expectedHasData = stage == "execute" && expected.GetProperty("hasData").GetBoolean();
        var context = $"{name}\n{query}\nours: {result.ToJson()}\ngraphql-js: {expected}";

        Assert.True(expectedHasData == result.HasData, $"Validity differs (graphql-js {(expectedHasData ? "executed" : "rejected")} it): {context}");
        Assert.True(expectedErrors.Count == actualErrors.Count, $"Error count differs ({expectedErrors.Count} vs our {actualErrors.Count}): {context}");
        Assert.True(Signatures(expectedErrors, stage == "execute").SequenceEqual(Signatures(actualErrors, stage == "execute")), $"Error locations or paths differ: {context}");
        if (expectedHasData)
        {
            Assert.True(JsonEquals(expected.GetProperty("data"), actual.RootElement.GetProperty("data")), $"Data differs: {context}");
        }
    }

    private static List<string> Signatures(List<JsonElement> errors, bool withPath) => errors
        .Select(err =>
        {
            var locations = err.TryGetProperty("locations", out var l) && l.ValueKind == JsonValueKind.Array
                ? string.Join(" ", l.EnumerateArray().Select(x => $"{x.GetProperty("line").GetInt32()}:{x.GetProperty("column").GetInt32()}"))
                : "";
            var path = withPath && err.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.Array ? string.Join("/", p.EnumerateArray().Select(x => x.ToString())) : "";
            return locations + " @ " + path;
        })
        .Order(StringComparer.Ordinal)
        .ToList();

    internal static bool JsonEquals(JsonElement a, JsonElement b)
    {
        if (a.ValueKind == JsonValueKind.Number && b.ValueKind == JsonValueKind.Number)
        {
            return a.GetDouble().Equals(b.GetDouble());
        }

        if (a.ValueKind != b.ValueKind)
        {
            return false;
        }

        switch (a.ValueKind)
        {
            case JsonValueKind.Object:
                var pa = a.EnumerateObject().ToList();
                var pb = b.EnumerateObject().ToList();
                return pa.Count == pb.Count && pa.Zip(pb).All(x => x.First.Name == x.Second.Name && JsonEquals(x.First.Value, x.Second.Value));
            case JsonValueKind.Array:
                var ia = a.EnumerateArray().ToList();
                var ib = b.EnumerateArray().ToList();
                return ia.Count == ib.Count && ia.Zip(ib).All(x => JsonEquals(x.First, x.Second));
            case JsonValueKind.String:
                return a.GetString() == b.GetString();
            default:
                return true;
        }
    }
}
