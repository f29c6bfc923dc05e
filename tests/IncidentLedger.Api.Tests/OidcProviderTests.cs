using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IncidentLedger.Api.Auth;
using IncidentLedger.Auth;
using IncidentLedger.GraphQL.Execution;
using IncidentLedger.GraphQL.Types;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IncidentLedger.Api.Tests;

/// <summary>
/// Tokens from an OIDC provider found through its discovery document (a provider of our own on loopback, RS256 keys), tokens
/// outside a development start, and the caller as GraphQL resolvers see it.
/// </summary>
public sealed class OidcProviderTests(LedgerApiFactory factory) : IClassFixture<LedgerApiFactory>, IDisposable
{
    private readonly RSA providerKey = RSA.Create(2048);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => providerKey.Dispose();

    /// <summary>Serves /.well-known/openid-configuration and the JWKS it points to.</summary>
    private Testing.LoopbackHttpServer Provider()
    {
        Testing.LoopbackHttpServer? server = null;
        server = new Testing.LoopbackHttpServer("/", async context =>
        {
            var issuer = server!.Url.ToString().TrimEnd('/');
            var parameters = providerKey.ExportParameters(false);
            object body = context.Request.Url!.AbsolutePath switch
            {
                "/.well-known/openid-configuration" => new { issuer, jwks_uri = issuer + "/jwks", id_token_signing_alg_values_supported = new[] { "RS256" } },
                "/jwks" => new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = "provider-1", n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) } } },
                _ => new { error = "not found" },
            };
            var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body));
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes, Ct);
        });
        return server;
    }

    private string ProviderToken(string issuer, string audience = DevelopmentTokenKey.DefaultAudience) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Expires = DateTime.UtcNow.AddMinutes(10),
            Claims = new Dictionary<string, object> { ["sub"] = "inspector@kba.example", ["org"] = Guid.NewGuid().ToString(), ["role"] = "regulator", ["jurisdictions"] = "DE AT" },
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(providerKey) { KeyId = "provider-1" }, SecurityAlgorithms.RsaSha256),
        });

    private static async Task<HttpResponseMessage> WhoAmIAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/whoami");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request, Ct);
    }

    [Fact]
    public async Task Tokens_of_the_configured_provider_are_accepted_and_others_refused()
    {
        using var provider = Provider();
        var issuer = provider.Url.ToString().TrimEnd('/');
        await using var host = factory.WithWebHostBuilder(b => b
            .UseSetting("Ledger:Authentication:Authority", issuer)
            .UseSetting("Ledger:Authentication:RequireHttpsMetadata", "false"));
        using var client = host.CreateClient();

        using (var accepted = await WhoAmIAsync(client, ProviderToken(issuer)))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            var me = await accepted.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal("inspector@kba.example", me.GetProperty("subject").GetString());
            Assert.Equal(["DE", "AT"], me.GetProperty("jurisdictions").EnumerateArray().Select(j => j.GetString()));
        }

        using (var otherIssuer = await WhoAmIAsync(client, ProviderToken("https://impostor.example")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, otherIssuer.StatusCode);
        }

        using (var otherAudience = await WhoAmIAsync(client, ProviderToken(issuer, audience: "another-api")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, otherAudience.StatusCode);
        }
    }

    [Fact]
    public async Task Outside_a_development_start_development_tokens_are_refused_and_logs_are_json()
    {
        // Started once in Development, so the development key exists; then started as production with a connection string.
        factory.CreateClient().Dispose();
        await using var production = factory.WithWebHostBuilder(b => b.UseEnvironment("Production"));
        using var client = production.CreateClient();
        using var key = DevelopmentTokenKey.Load(factory.TokenKeyFile, createIfMissing: false);
        var now = DateTimeOffset.UtcNow;
        var settings = production.Services.GetRequiredService<LedgerTokenSettings>();

        // The factory names the key file explicitly, so production accepts it; without that setting no local key is used.
        Assert.False(settings.Development);
        var console = production.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>>().CurrentValue;
        Assert.Equal("json", console.FormatterName);

        await using var unconfigured = factory.WithWebHostBuilder(b => b.UseEnvironment("Production").UseSetting("Ledger:Authentication:SigningKeyFile", ""));
        using var unconfiguredClient = unconfigured.CreateClient();
        Assert.Null(unconfigured.Services.GetRequiredService<LedgerTokenSettings>().LocalKey);
        using var refused = await WhoAmIAsync(unconfiguredClient, DevelopmentTokens.Mint(key, new("dev", Guid.NewGuid(), IncidentLedger.Domain.ActorRole.Admin, []), now, now.AddMinutes(5)));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using var log = await unconfiguredClient.GetAsync("/log/keys", Ct);
        Assert.Equal(HttpStatusCode.OK, log.StatusCode);
    }

    [Fact]
    public async Task Resolvers_see_the_requests_caller_as_an_actor_and_anonymous_callers_are_told_to_authenticate()
    {
        var schema = SchemaBuilder.FromSdl("type Query { caller: String  me: String }")
            .BindResolver("Query", "caller", c => ValueTask.FromResult<object?>(LedgerCaller.ActorOf(c)?.ToString()))
            .BindResolver("Query", "me", c => ValueTask.FromResult<object?>(LedgerCaller.RequireActor(c).Subject))
            .Build();
        var executor = new Executor(schema);
        var organisation = Guid.NewGuid();
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim("sub", "j.hale@meridian.example"), new Claim("org", organisation.ToString()), new Claim("role", "operator")], "Bearer", "sub", "role"));

        var authenticated = await executor.ExecuteAsync(new ExecutionRequest { Query = "{ caller me }", UserContext = principal });
        var data = Assert.IsType<ResultMap>(authenticated.Data);
        Assert.Equal($"j.hale@meridian.example (Operator of organisation {organisation})", data["caller"]);
        Assert.Equal("j.hale@meridian.example", data["me"]);

        var anonymous = await executor.ExecuteAsync(new ExecutionRequest { Query = "{ caller me }", UserContext = new ClaimsPrincipal(new ClaimsIdentity()) });
        Assert.Null(Assert.IsType<ResultMap>(anonymous.Data)["caller"]);
        var error = Assert.Single(anonymous.Errors!);
        Assert.Equal("UNAUTHENTICATED", error.Extensions!["code"]);
        Assert.Contains("ledger token", error.Message);
    }
}
