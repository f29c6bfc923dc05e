using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using IncidentLedger.Api.GraphQL;
using IncidentLedger.Auth;
using IncidentLedger.Domain;
using IncidentLedger.GraphQL.Language;
using IncidentLedger.GraphQL.Validation;

namespace IncidentLedger.Api.Tests;

/// <summary>GraphiQL at /graphql with the demo: a tab of examples per role, with development tokens in Development only, every example valid against the served schema.</summary>
public sealed partial class IdeExamplesTests(DemoLedgerFixture demo) : IClassFixture<DemoLedgerFixture>
{
    [GeneratedRegex("""<script type="application/json" id="graphiql-config">(.*?)</script>""", RegexOptions.Singleline)]
    private static partial Regex ConfigBlock();

    private static async Task<JsonElement> IdeConfigAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/graphql");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var block = ConfigBlock().Match(html);
        Assert.True(block.Success, "The IDE page carries no configuration block (is GraphiQL bundled in this build?):\n" + html);
        return JsonDocument.Parse(block.Groups[1].Value).RootElement.Clone();
    }

    private static JsonElement[] Tabs(JsonElement config) =>
        config.GetProperty("tabs").ValueKind == JsonValueKind.Array ? [.. config.GetProperty("tabs").EnumerateArray()] : [];

    [Fact]
    public async Task In_development_the_demo_opens_a_tab_per_role_whose_token_the_ledger_accepts_as_that_role()
    {
        var tabs = Tabs(await IdeConfigAsync(demo.Client));

        Assert.Equal(IdeExamples.Demo.Count + 1, tabs.Length);
        foreach (var (example, tab) in IdeExamples.Demo.Zip(tabs.Skip(1)))
        {
            Assert.Equal(example.Query, tab.GetProperty("query").GetString());
            var headers = JsonDocument.Parse(tab.GetProperty("headers").GetString()!).RootElement;
            var token = headers.GetProperty("Authorization").GetString()!["Bearer ".Length..];

            // Introspection needs a valid token; the claims say the token is for the tab's role.
            using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query = "{ __schema { queryType { name } } }" }) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await demo.Client.SendAsync(request, TestContext.Current.CancellationToken);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
            Assert.False(body.TryGetProperty("errors", out var errors), $"{example.Role}: {errors}");
            var role = JsonDocument.Parse(Convert.FromBase64String(Base64(token.Split('.')[1]))).RootElement.GetProperty("role").GetString();
            Assert.Equal(LedgerClaims.CodeOf(example.Role!.Value), role);
        }
    }

    [Fact]
    public async Task Outside_development_the_demo_tabs_carry_no_token()
    {
        await using var production = demo.Node.SecondNode("Production");
        production.Settings["Ledger:Demo"] = "true";
        using var client = production.CreateClient();

        var config = await IdeConfigAsync(client);

        Assert.Equal(IdeExamples.Demo.Count + 1, Tabs(config).Length);
        Assert.All(Tabs(config), tab => Assert.Equal(JsonValueKind.Null, tab.GetProperty("headers").ValueKind));
        // A JWT's header ({"alg":... or {"typ":...) in base64url: no token anywhere on the page's configuration.
        Assert.DoesNotContain("eyJ", config.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_example_operation_parses_and_validates_against_the_served_schema()
    {
        var schema = LogGraph.BuildSchema();
        foreach (var example in IdeExamples.Demo)
        {
            var errors = DocumentValidator.Validate(schema, Parser.Parse(example.Query));
            Assert.True(errors.Count == 0, $"{example.Role}: " + string.Join("\n", errors.Select(e => e.Message)));
            if (example.Variables is { } variables)
            {
                JsonDocument.Parse(variables).Dispose();
            }
        }
    }

    [Fact]
    public async Task The_operator_example_files_its_incident_and_follows_it()
    {
        var example = IdeExamples.Demo.Single(e => e.Role == ActorRole.Operator);
        var operatorActor = DevelopmentTokens.DevelopmentActors.Single(a => a.Role == ActorRole.Operator);
        var variables = JsonDocument.Parse(example.Variables!).RootElement;

        var filed = await RunAsync(example.Query, "FileIncident", variables, operatorActor);
        var followed = await RunAsync(example.Query, "FollowIncident", variables, operatorActor);

        Assert.Equal("IncidentChanged", filed.GetProperty("reportIncident").GetProperty("__typename").GetString());
        Assert.Equal(variables.GetProperty("input").GetProperty("title").GetString(), followed.GetProperty("incident").GetProperty("title").GetString());
    }

    private async Task<JsonElement> RunAsync(string query, string operationName, JsonElement variables, Actor actor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, operationName, variables }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", demo.Token(actor));
        using var response = await demo.Client.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.False(body.TryGetProperty("errors", out var errors), $"{operationName}: {errors}");
        return body.GetProperty("data");
    }

    private static string Base64(string url) => url.Replace('-', '+').Replace('_', '/') + new string('=', (4 - url.Length % 4) % 4);
}
