using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IncidentLedger.GraphQL.Execution;
using IncidentLedger.GraphQL.Language;
using IncidentLedger.GraphQL.Server;

namespace IncidentLedger.GraphQL.Tests.Server;

/// <summary>Every limit answers with a GraphQL error and the right status, never a crash.</summary>
public sealed class ServerLimitsTests
{
    private static async Task<(HttpStatusCode Status, HttpResponseHeaders Headers, JsonElement Body)> PostAsync(ServerTestHost host, string query, string? user = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, host.GraphQL)
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/graphql-response+json");
        if (user is not null)
        {
            request.Headers.Add("X-Test-User", user);
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, response.Headers, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static string? Code(JsonElement body) =>
        body.TryGetProperty("errors", out var errors) ? errors[0].GetProperty("extensions").GetProperty("code").GetString() : null;

    [Fact]
    public async Task A_caller_over_its_rate_gets_429_with_retry_after_and_others_are_unaffected()
    {
        await using var host = await ServerTestHost.StartAsync(new GraphQLServerOptions { RateLimit = new GraphQLRateLimit(2, TimeSpan.FromSeconds(30), 2) });
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(host, "{ count }", "alice")).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(host, "{ count }", "alice")).Status);

        var (status, headers, body) = await PostAsync(host, "{ count }", "alice");
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.InRange(headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 30);
        Assert.Equal(ServerErrorCodes.RateLimited, Code(body));
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(host, "{ count }", "bob")).Status);
    }

    [Fact]
    public async Task A_query_deeper_than_allowed_is_refused_before_execution()
    {
        await using var host = await ServerTestHost.StartAsync(new GraphQLServerOptions { Execution = _ => ExecutionOptions.Default with { MaxDepth = 3 } });
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(host, "{ node { child { depth } } }")).Status);
        var (status, _, body) = await PostAsync(host, "{ node { child { child { child { depth } } } } }");
        Assert.Equal((HttpStatusCode.BadRequest, ErrorCodes.LimitExceeded), (status, Code(body)));
    }

    [Fact]
    public async Task A_query_costlier_than_allowed_is_refused_before_execution()
    {
        await using var host = await ServerTestHost.StartAsync(new GraphQLServerOptions { Execution = _ => ExecutionOptions.Default with { MaxCost = 3 } });
        // Leaves cost nothing; each object field costs 1.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(host, "{ count node { child { child { depth } } } }")).Status);
        var (status, _, body) = await PostAsync(host, "{ a: node { depth } b: node { depth } c: node { depth } d: node { depth } }");
        Assert.Equal((HttpStatusCode.BadRequest, ErrorCodes.LimitExceeded), (status, Code(body)));
    }

    [Fact]
    public async Task A_document_longer_than_allowed_is_refused()
    {
        await using var host = await ServerTestHost.StartAsync(new GraphQLServerOptions { Execution = _ => ExecutionOptions.Default with { Parser = ParserOptions.Default with { MaxDocumentLength = 200 } } });
        var (status, _, body) = await PostAsync(host, "{ " + string.Concat(Enumerable.Repeat("count ", 60)) + "}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(Code(body));
        Assert.False(body.TryGetProperty("data", out _));
    }

    [Fact]
    public async Task A_document_with_more_tokens_than_allowed_is_refused()
    {
        await using var host = await ServerTestHost.StartAsync(new GraphQLServerOptions { Execution = _ => ExecutionOptions.Default with { Parser = ParserOptions.Default with { MaxTokens = 50 } } });
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(host, "{ " + string.Concat(Enumerable.Repeat("count ", 40)) + "}")).Status);
        var (status, _, body) = await PostAsync(host, "{ " + string.Concat(Enumerable.Repeat("count ", 60)) + "}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("more than 50 tokens", body.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(body.TryGetProperty("data", out _));
    }

    [Fact]
    public async Task Parser_limits_chosen_per_caller_hold_even_for_a_document_another_caller_sent_first()
    {
        await using var host = await ServerTestHost.StartAsync(new GraphQLServerOptions
        {
            Execution = c => c.User.Identity?.Name == "strict" ? ExecutionOptions.Default with { Parser = ParserOptions.Default with { MaxTokens = 50 } } : ExecutionOptions.Default,
        });
        var document = "{ " + string.Concat(Enumerable.Repeat("count ", 60)) + "}";
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(host, document, "lenient")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(host, document, "strict")).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(host, document, "lenient")).Status);
    }

    [Fact]
    public async Task Execution_past_its_timeout_ends_with_a_timeout_error_promptly()
    {
        await using var host = await ServerTestHost.StartAsync(new GraphQLServerOptions { Execution = _ => ExecutionOptions.Default with { Timeout = TimeSpan.FromMilliseconds(200) } });
        var clock = Stopwatch.StartNew();
        var (status, _, body) = await PostAsync(host, "{ count slow }");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(body.GetProperty("errors").EnumerateArray(), e => e.GetProperty("extensions").GetProperty("code").GetString() == ErrorCodes.Timeout);
    }

    [Fact]
    public async Task Introspection_can_be_kept_for_authenticated_callers()
    {
        await using var host = await ServerTestHost.StartAsync(new GraphQLServerOptions { IntrospectionForAuthenticatedOnly = true });
        var anonymous = await PostAsync(host, "{ __schema { queryType { name } } }");
        Assert.Equal(ErrorCodes.IntrospectionDisabled, Code(anonymous.Body));
        var known = await PostAsync(host, "{ __schema { queryType { name } } }", "regulator-1");
        Assert.Equal("Query", known.Body.GetProperty("data").GetProperty("__schema").GetProperty("queryType").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Each_request_is_an_activity_carrying_its_operation_and_error_codes()
    {
        var seen = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GraphQLTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            // Collected as they start: the request's own activity ends only after its response is sent, but its tags are set before.
            ActivityStarted = activity => { lock (seen) { seen.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);
        await using var host = await ServerTestHost.StartAsync();
        await PostAsync(host, "query Counting { count failing }");

        Activity activity;
        lock (seen)
        {
            activity = Assert.Single(seen, a => (string?)a.GetTagItem("graphql.operation.name") == "Counting" && a.OperationName == "graphql.request");
        }

        Assert.Equal("query", activity.GetTagItem("graphql.operation.type"));
        Assert.Equal("TEST_FAILURE", activity.GetTagItem("graphql.error.codes"));
        Assert.Equal(["graphql.parse", "graphql.validate", "graphql.execute"], ChildrenOf(activity));

        // The same text again comes from the document cache: no parse, no validation.
        await PostAsync(host, "query Counting { count failing }");
        Activity repeat;
        lock (seen)
        {
            repeat = Assert.Single(seen, a => a != activity && (string?)a.GetTagItem("graphql.operation.name") == "Counting" && a.OperationName == "graphql.request");
        }

        Assert.Equal(true, repeat.GetTagItem("graphql.document.cached"));
        Assert.Equal(["graphql.execute"], ChildrenOf(repeat));

        string[] ChildrenOf(Activity parent)
        {
            lock (seen)
            {
                return [.. seen.Where(a => a.ParentSpanId == parent.SpanId).OrderBy(a => a.StartTimeUtc).Select(a => a.OperationName)];
            }
        }
    }
}
