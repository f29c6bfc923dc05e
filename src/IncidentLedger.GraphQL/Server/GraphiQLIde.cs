using System.Collections.Frozen;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace IncidentLedger.GraphQL.Server;

/// <summary>The browser IDE served at the endpoint when a browser asks for HTML.</summary>
public sealed record GraphiQLOptions
{
    /// <summary>The page title.</summary>
    public string Title { get; init; } = "GraphiQL";

    /// <summary>The query shown when the IDE first opens; null for GraphiQL's own welcome text.</summary>
    public string? DefaultQuery { get; init; }

    /// <summary>
    /// The headers editor's initial text (JSON), e.g. <c>{"Authorization": "Bearer "}</c> as a hint to callers that
    /// the endpoint wants a token. Headers are never persisted in the browser.
    /// </summary>
    public string? DefaultHeaders { get; init; }

    /// <summary>
    /// The tabs the IDE opens with, each an operation with its own variables and headers (GraphiQL names a tab after
    /// its operation), in place of <see cref="DefaultQuery"/>. Asked for on every page request, so headers can carry
    /// credentials minted for that page; null or empty for one tab with the default query.
    /// </summary>
    public Func<HttpContext, IReadOnlyList<GraphiQLTab>>? Tabs { get; init; }
}

/// <summary>One tab the IDE opens with: the operation text, its variables (JSON) and its headers (JSON).</summary>
public sealed record GraphiQLTab(string Query, string? Variables = null, string? Headers = null);

/// <summary>
/// GraphiQL, React and ReactDOM are embedded at build time from the npm packages pinned in Server/Ide; nothing is
/// fetched from a CDN. The page carries a Content-Security-Policy that allows scripts, styles and requests from its
/// own origin only.
/// </summary>
internal static class GraphiQLIde
{
    private const string ResourcePrefix = "GraphiQL/";
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly string[] Scripts = ["react.production.min.js", "react-dom.production.min.js", "graphql-ws.min.js", "graphiql.min.js", "graphiql-start.js"];

    private static readonly FrozenDictionary<string, Asset> Assets = LoadAssets();

    /// <summary>An embedded file with its content type and a strong ETag over its bytes.</summary>
    private sealed record Asset(byte[] Content, string ContentType, string ETag)
    {
        public string Version => ETag[1..9];
    }

    /// <summary>True when all of GraphiQL was bundled into this build.</summary>
    public static bool Bundled => Scripts.All(Assets.ContainsKey) && Assets.ContainsKey("graphiql.min.css");

    /// <summary>A GET that lists text/html in its Accept header and carries no GraphQL parameters: a browser opening the endpoint.</summary>
    public static bool IsBrowserRequest(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) || request.Query.ContainsKey("query") || request.Query.ContainsKey("id") || request.Query.ContainsKey("extensions"))
        {
            return false;
        }

        return MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var ranges)
            && ranges.Any(r => r.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) && (r.Quality ?? 1) > 0);
    }

    /// <summary>Maps the asset route next to the endpoint: <c>{endpoint}/graphiql/{file}</c>.</summary>
    public static void MapAssets(IEndpointRouteBuilder endpoints, string pattern) =>
        endpoints.MapGet(AssetRoute(pattern) + "{file}", ServeAssetAsync);

    /// <summary>The page: the configuration as a JSON data block, the bundled scripts, and a mount point.</summary>
    public static async Task WritePageAsync(HttpContext context, GraphiQLOptions options)
    {
        var response = context.Response;
        response.Headers.CacheControl = "no-cache";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.ContentType = "text/html; charset=utf-8";
        if (!Bundled)
        {
            response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await response.WriteAsync(MissingPage(options.Title), context.RequestAborted);
            return;
        }

        // Escaped as a URI and then for HTML, so no path (route values, forwarded prefixes) can add markup.
        var endpoint = context.Request.PathBase.Add(context.Request.Path).ToUriComponent();
        var assets = AssetRoute(endpoint);
        var tabs = options.Tabs?.Invoke(context) is { Count: > 0 } list
            ? list.Select(t => new Dictionary<string, string?> { ["query"] = t.Query, ["variables"] = t.Variables, ["headers"] = t.Headers }).ToArray()
            : null;
        var config = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["url"] = endpoint,
            ["defaultQuery"] = options.DefaultQuery,
            ["headers"] = options.DefaultHeaders,
            ["tabs"] = tabs,
        }, ConfigJson);
        var html = new StringBuilder()
            .Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<link rel=\"icon\" href=\"data:,\">\n")
            .Append("<title>").Append(WebUtility.HtmlEncode(options.Title)).Append("</title>\n")
            .Append("<link rel=\"stylesheet\" href=\"").Append(WebUtility.HtmlEncode(AssetUrl(assets, "graphiql.min.css"))).Append("\">\n")
            .Append("<style>html, body, #graphiql { height: 100%; margin: 0; }</style>\n")
            .Append("</head>\n<body>\n<div id=\"graphiql\">Loading GraphiQL…</div>\n")
            .Append("<script type=\"application/json\" id=\"graphiql-config\">").Append(config).Append("</script>\n");
        foreach (var script in Scripts)
        {
            html.Append("<script src=\"").Append(WebUtility.HtmlEncode(AssetUrl(assets, script))).Append("\"></script>\n");
        }

        await response.WriteAsync(html.Append("</body>\n</html>\n").ToString(), context.RequestAborted);
    }

    /// <summary>Escapes &lt;, &gt; and &amp; so the configuration cannot close its script element.</summary>
    private static readonly JsonSerializerOptions ConfigJson = new() { Encoder = JavaScriptEncoder.Default };

    private static string AssetRoute(string endpoint) => endpoint.TrimEnd('/') + "/graphiql/";

    /// <summary>Asset URLs carry their content version, so browsers may cache them for good.</summary>
    private static string AssetUrl(string route, string file) => $"{route}{file}?v={Assets[file].Version}";

    private static async Task ServeAssetAsync(HttpContext context)
    {
        var file = context.Request.RouteValues["file"] as string;
        if (file is null || !Assets.TryGetValue(file, out var asset))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var response = context.Response;
        response.Headers.ETag = asset.ETag;
        // Cached for good only under the URL of exactly these bytes; any other version asked for is revalidated.
        response.Headers.CacheControl = context.Request.Query["v"] == asset.Version ? "public, max-age=31536000, immutable" : "no-cache";
        response.Headers.XContentTypeOptions = "nosniff";
        if (context.Request.Headers.IfNoneMatch.Any(tag => tag == asset.ETag || tag == "*"))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Content.Length;
        await response.Body.WriteAsync(asset.Content, context.RequestAborted);
    }

    private static FrozenDictionary<string, Asset> LoadAssets()
    {
        var assembly = typeof(GraphiQLIde).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var file = name[ResourcePrefix.Length..];
            var type = file.EndsWith(".css", StringComparison.Ordinal) ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
            assets[file] = new Asset(content, type, $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..32]}\"");
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string MissingPage(string title) =>
        $"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>{WebUtility.HtmlEncode(title)}</title></head>
        <body><h1>The GraphQL IDE is not part of this build</h1>
        <p>GraphiQL is bundled from the npm packages pinned in <code>src/IncidentLedger.GraphQL/Server/Ide</code> when the project is built
        with npm available. Install Node.js and npm, then rebuild. The GraphQL endpoint itself works: POST queries to this URL.</p></body></html>
        """;
}
