using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IncidentLedger.GraphQL.Server;

namespace IncidentLedger.GraphQL.Tests.Server;

/// <summary>GraphQL over HTTP: media types, status codes and request validation, against a running server.</summary>
public sealed class GraphQLOverHttpTests : IAsyncLifetime
{
    private ServerTestHost host = null!;
    private readonly HttpClient http = new();

    public async ValueTask InitializeAsync() => host = await ServerTestHost.StartAsync(new GraphQLServerOptions { MaxRequestBytes = 4096 });

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await host.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, string? MediaType, JsonElement Body)> PostAsync(string body, string? accept = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, host.GraphQL) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, text.Length > 0 && text[0] == '{' ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    private const string Modern = "application/graphql-response+json";

    [Fact]
    public async Task Responses_escape_only_what_JSON_requires()
    {
        var body = JsonSerializer.Serialize(new { query = "{ hello(name: \"a+b<c>&é\\\"\") }" });
        using var response = await http.PostAsync(host.GraphQL, new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal("{\"data\":{\"hello\":\"Hello, a+b<c>&é\\\"!\"}}", text);
    }

    [Fact]
    public async Task A_query_answers_with_the_negotiated_media_type_in_utf8()
    {
        var (status, type, body) = await PostAsync("""{"query":"{ hello(name: \"Zoë\") }"}""", Modern);
        Assert.Equal((HttpStatusCode.OK, Modern), (status, type));
        Assert.Equal("Hello, Zoë!", body.GetProperty("data").GetProperty("hello").GetString());

        Assert.Equal("application/json", (await PostAsync("""{"query":"{ count }"}""", "application/json")).MediaType);
        Assert.Equal("application/json", (await PostAsync("""{"query":"{ count }"}""", "*/*")).MediaType);
        Assert.Equal("application/json", (await PostAsync("""{"query":"{ count }"}""")).MediaType);
        Assert.Equal(Modern, (await PostAsync("""{"query":"{ count }"}""", "application/json;q=0.5, application/graphql-response+json")).MediaType);
    }

    [Fact]
    public async Task Nothing_acceptable_is_406()
    {
        Assert.Equal(HttpStatusCode.NotAcceptable, (await PostAsync("""{"query":"{ count }"}""", "text/csv")).Status);
    }

    [Theory]
    [InlineData("""{"qeury":"{ count }"}""", "BAD_REQUEST")]
    [InlineData("""{"query":42}""", "BAD_REQUEST")]
    [InlineData("""{"query":"{ count }","variables":"x"}""", "BAD_REQUEST")]
    [InlineData("""{"query":"{ count }","operationName":false}""", "BAD_REQUEST")]
    [InlineData("""{"query":"{ count }","extensions":[1]}""", "BAD_REQUEST")]
    [InlineData("""{"query":"{"}""", "GRAPHQL_PARSE_FAILED")]
    [InlineData("""{"query":"{ nope }"}""", "GRAPHQL_VALIDATION_FAILED")]
    [InlineData("""{"query":"query($n: String!) { hello(name: $n) }","variables":{"n":5}}""", "BAD_USER_INPUT")]
    public async Task Request_errors_are_400_without_data_under_graphql_response_json_and_200_with_errors_under_json(string body, string code)
    {
        var modern = await PostAsync(body, Modern);
        Assert.Equal(HttpStatusCode.BadRequest, modern.Status);
        Assert.False(modern.Body.TryGetProperty("data", out _));
        Assert.Equal(code, modern.Body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());

        var legacy = await PostAsync(body, "application/json");
        Assert.Equal(HttpStatusCode.OK, legacy.Status);
        Assert.True(legacy.Body.GetProperty("errors").GetArrayLength() > 0);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData(Modern)]
    public async Task A_body_that_is_not_json_is_400_under_either_media_type(string accept)
    {
        var (status, _, body) = await PostAsync("""{ "not a JSON""", accept);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("BAD_REQUEST", body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_field_error_is_200_with_data_and_the_error_path()
    {
        var (status, _, body) = await PostAsync("""{"query":"{ count failing }"}""", Modern);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("data").GetProperty("failing").ValueKind);
        var error = body.GetProperty("errors")[0];
        Assert.Equal("failing", error.GetProperty("path")[0].GetString());
        Assert.Equal("TEST_FAILURE", error.GetProperty("extensions").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Get_runs_queries_with_url_encoded_variables_but_refuses_mutations()
    {
        var query = Uri.EscapeDataString("query($n: String) { hello(name: $n) }");
        var variables = Uri.EscapeDataString("""{"n":"GET"}""");
        using var ok = await http.GetAsync($"{host.GraphQL}?query={query}&variables={variables}");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("Hello, GET!", await ok.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var mutation = await http.GetAsync($"{host.GraphQL}?query={Uri.EscapeDataString("mutation { increment(by: 1) }")}");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, mutation.StatusCode);
        Assert.Equal("POST", mutation.Content.Headers.Allow.Single());
        Assert.Equal(0, host.Count);
    }

    [Fact]
    public async Task Mutations_run_over_post()
    {
        var (status, _, body) = await PostAsync("""{"query":"mutation { increment(by: 5) }"}""", Modern);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(5, body.GetProperty("data").GetProperty("increment").GetInt32());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/json; charset=latin1")]
    public async Task A_post_that_is_not_utf8_json_is_415(string contentType)
    {
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await PostAsync("""{"query":"{ count }"}""", Modern, contentType)).Status);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_with_a_graphql_error()
    {
        var padding = new string('x', 5000);
        var (status, _, body) = await PostAsync($$$"""{"query":"{ count }","extensions":{"pad":"{{{padding}}}"}}""", Modern);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("PAYLOAD_TOO_LARGE", body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Other_methods_are_405()
    {
        using var response = await http.DeleteAsync(host.GraphQL);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task A_subscription_over_plain_http_is_refused_with_a_pointer_to_the_streaming_transports()
    {
        var (status, _, body) = await PostAsync("""{"query":"subscription { ticks(upTo: 2) }"}""", Modern);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("WebSocket", body.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_storm_of_malformed_requests_leaves_the_server_healthy()
    {
        var random = new Random(7);
        string[] shapes = ["{", "[]", "null", "\"x\"", """{"query":{}}""", """{"query":"{ hello(name: 1) }"}""", """{"query":"{ count""", new string('[', 10_000), """{"variables":1}"""];
        await Parallel.ForAsync(0, 300, async (i, ct) =>
        {
            var (status, _, _) = await PostAsync(shapes[random.Next(shapes.Length)] + (i % 7 == 0 ? new string(' ', 6000) : ""), i % 2 == 0 ? Modern : "application/json");
            Assert.True((int)status is 200 or 400 or 413, $"status {(int)status}");
        });

        Assert.Equal(HttpStatusCode.OK, (await PostAsync("""{"query":"{ count }"}""", Modern)).Status);
    }
}
