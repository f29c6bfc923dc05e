using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using IncidentLedger.GraphQL.Server;
using Microsoft.AspNetCore.Hosting;

namespace IncidentLedger.GraphQL.Tests.Server;

/// <summary>The browser IDE: served to browsers only, with its bundled assets, and working in a real headless Chromium.</summary>
public sealed partial class GraphiQLTests : IAsyncLifetime
{
    private const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    private ServerTestHost host = null!;
    private readonly HttpClient http = new();

    public async ValueTask InitializeAsync() => host = await ServerTestHost.StartAsync(new GraphQLServerOptions
    {
        Ide = new GraphiQLOptions { Title = "Ledger <IDE>", DefaultQuery = "{ hello }" },
    });

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await host.DisposeAsync();
    }

    private async Task<HttpResponseMessage> GetAsync(string pathAndQuery, string? accept = BrowserAccept, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.Url, pathAndQuery));
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        return await http.SendAsync(request);
    }

    [GeneratedRegex("""(?:src|href)="(/graphql/graphiql/[^"?]+)\?v=[0-9a-f]{8}""")]
    private static partial Regex AssetReference();

    [Fact]
    public async Task A_browser_opening_the_endpoint_gets_the_IDE_page_with_a_strict_content_security_policy()
    {
        using var response = await GetAsync("/graphql");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>Ledger &lt;IDE&gt;</title>", html, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal); // no inline script: the CSP forbids them
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal); // nothing from a CDN
        var config = JsonDocument.Parse(Regex.Match(html, """id="graphiql-config">(.*?)</script>""").Groups[1].Value).RootElement;
        Assert.Equal("/graphql", config.GetProperty("url").GetString());
        Assert.Equal("{ hello }", config.GetProperty("defaultQuery").GetString());
        Assert.Equal(
            ["/graphql/graphiql/graphiql.min.css", "/graphql/graphiql/react.production.min.js", "/graphql/graphiql/react-dom.production.min.js", "/graphql/graphiql/graphql-ws.min.js", "/graphql/graphiql/graphiql.min.js", "/graphql/graphiql/graphiql-start.js"],
            AssetReference().Matches(html).Select(m => m.Groups[1].Value));
    }

    [Fact]
    public async Task Every_asset_the_page_names_is_served_with_its_type_and_a_validator()
    {
        var html = await (await GetAsync("/graphql")).Content.ReadAsStringAsync();
        foreach (Match reference in AssetReference().Matches(html))
        {
            var url = html[reference.Index..].Split('"')[1];
            using var asset = await GetAsync(url, accept: "*/*");
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
            Assert.Equal(url.Contains(".css", StringComparison.Ordinal) ? "text/css" : "text/javascript", asset.Content.Headers.ContentType?.MediaType);
            Assert.Contains("immutable", asset.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
            Assert.True((await asset.Content.ReadAsByteArrayAsync()).Length > 100, url);

            using var again = await GetAsync(url, accept: "*/*", ifNoneMatch: asset.Headers.ETag!.Tag);
            Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        }
    }

    [Fact]
    public async Task An_asset_asked_for_under_another_version_is_not_cached_for_good()
    {
        using var asset = await GetAsync("/graphql/graphiql/graphiql.min.js?v=00000000", accept: "*/*");
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal("no-cache", asset.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData(BrowserAccept)]
    [InlineData("application/json")]
    public async Task Answers_to_GET_vary_by_accept(string accept)
    {
        using var response = await GetAsync("/graphql", accept);
        Assert.Contains("Accept", response.Headers.Vary);
    }

    [Fact]
    public async Task A_hostile_path_cannot_add_markup_to_the_page()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.MapGraphQL("/{tenant}/graphql", new IncidentLedger.GraphQL.Execution.Executor(
            IncidentLedger.GraphQL.Types.SchemaBuilder.FromSdl("type Query { a: String }").BindResolver("Query", "a", _ => "a").Build()));
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Urls.First();
        using var request = new HttpRequestMessage(HttpMethod.Get, address + "/x%22%3E%3Cmeta%20http-equiv=refresh%20content=0%3Burl=https:%2F%2Fevil.example%3E/graphql");
        request.Headers.TryAddWithoutValidation("Accept", BrowserAccept);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("<meta http-equiv", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("/x%22%3E%3Cmeta", html, StringComparison.Ordinal); // the path appears only escaped
    }

    [Fact]
    public async Task An_unknown_asset_is_not_found()
    {
        using var response = await GetAsync("/graphql/graphiql/..%2F..%2Fetc%2Fpasswd", accept: "*/*");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var other = await GetAsync("/graphql/graphiql/graphiql.js", accept: "*/*");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Theory]
    [InlineData("/graphql", "application/graphql-response+json", HttpStatusCode.BadRequest)] // a GraphQL client without a query: a request error, not a page
    [InlineData("/graphql?query=%7Bhello%7D", BrowserAccept, HttpStatusCode.OK)] // a browser with a query: the query runs
    [InlineData("/graphql", null, HttpStatusCode.OK)] // no Accept means application/json, where a request error is still a 200
    public async Task Only_a_browser_without_a_query_gets_the_page(string path, string? accept, HttpStatusCode status)
    {
        using var response = await GetAsync(path, accept);
        Assert.Equal(status, response.StatusCode);
        Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task With_the_IDE_switched_off_a_browser_gets_the_GraphQL_answer_and_no_assets()
    {
        await using var bare = await ServerTestHost.StartAsync(new GraphQLServerOptions { Ide = null });
        using var page = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, bare.GraphQL) { Headers = { { "Accept", BrowserAccept } } });
        Assert.Equal("application/json", page.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(await page.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(ServerErrorCodes.BadRequest, body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        using var asset = await http.GetAsync(new Uri(bare.Url, "/graphql/graphiql/graphiql.min.js"));
        Assert.Equal(HttpStatusCode.NotFound, asset.StatusCode);
    }

    [Fact]
    public async Task Headless_Chromium_opens_the_IDE_sends_an_auth_header_runs_a_query_and_a_subscription_and_sees_the_results()
    {
        var chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";
        Assert.True(File.Exists(chromium), $"Chromium is missing at {chromium}: install Debian's `chromium` package (apt-get install chromium) or set CHROMIUM_PATH.");
        var screenshot = TestSchema.RepoPath("TestResults", "graphiql.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        File.Delete(screenshot);

        var output = await NodeScript.RunAsync("graphiql-browser.mjs", "playwright-core", TimeSpan.FromSeconds(90), host.GraphQL.ToString(), screenshot, "ada");
        var result = JsonDocument.Parse(output).RootElement;
        var data = result.GetProperty("response").GetProperty("data");
        Assert.Equal("Hello, regulator!", data.GetProperty("hello").GetString());
        Assert.Equal("ada", data.GetProperty("whoami").GetString()); // the header typed into the IDE reached the server
        Assert.Equal("Ledger <IDE>", result.GetProperty("title").GetString());
        Assert.Empty(result.GetProperty("consoleErrors").EnumerateArray()); // nothing blocked by the CSP, no script errors
        Assert.Contains(result.GetProperty("requests").EnumerateArray(), r => r.GetProperty("user").GetString() == "ada");
        Assert.Equal(3, result.GetProperty("subscription").GetProperty("data").GetProperty("ticks").GetInt32()); // over the IDE's WebSocket
        Assert.Equal([new UriBuilder(host.GraphQL) { Scheme = "ws" }.Uri.ToString()], result.GetProperty("webSockets").EnumerateArray().Select(w => w.GetString()));
        var png = await File.ReadAllBytesAsync(screenshot, TestContext.Current.CancellationToken);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
    }
}
