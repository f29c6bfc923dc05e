using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using IncidentLedger.Auth;
using IncidentLedger.Domain;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IncidentLedger.Api.Tests;

/// <summary>Bearer tokens over HTTP: who a valid token makes the caller, and every token the ledger must refuse.</summary>
public sealed class AuthenticationTests(LedgerApiFactory factory) : IClassFixture<LedgerApiFactory>
{
    private static readonly Actor Regulator = new("analyst@aesia.example", Guid.NewGuid(), ActorRole.Regulator, ["EU", "GB"]);

    private readonly HttpClient client = factory.CreateClient();

    private DevelopmentTokenKey Key => DevelopmentTokenKey.Load(factory.TokenKeyFile, createIfMissing: false);

    private string Token(Actor actor, TimeSpan? validFor = null, string audience = DevelopmentTokenKey.DefaultAudience)
    {
        var now = DateTimeOffset.UtcNow;
        using var key = Key;
        return DevelopmentTokens.Mint(key, actor, validFor is { } v && v < TimeSpan.Zero ? now + v - TimeSpan.FromMinutes(5) : now, now + (validFor ?? TimeSpan.FromMinutes(10)), audience);
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? token)
    {
        // Any request starts the host, which creates the token key.
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private async Task<JsonElement> GraphQLAsync(string query, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query }) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    private async Task StartedAsync() => (await GetAsync("/healthz/live", null)).Dispose();

    [Fact]
    public async Task A_valid_token_makes_the_caller_the_actor_its_claims_name()
    {
        await StartedAsync();
        using var response = await GetAsync("/auth/whoami", Token(Regulator));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(Regulator.Subject, me.GetProperty("subject").GetString());
        Assert.Equal(Regulator.OrganisationId, me.GetProperty("organisation").GetGuid());
        Assert.Equal("regulator", me.GetProperty("role").GetString());
        Assert.Equal(["EU", "GB"], me.GetProperty("jurisdictions").EnumerateArray().Select(j => j.GetString()));
    }

    [Theory]
    [InlineData(ActorRole.Operator)]
    [InlineData(ActorRole.Insurer)]
    [InlineData(ActorRole.Auditor)]
    [InlineData(ActorRole.Admin)]
    public async Task Every_role_authenticates(ActorRole role)
    {
        await StartedAsync();
        using var response = await GetAsync("/auth/whoami", Token(new Actor("someone", Guid.NewGuid(), role, [])));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(LedgerClaims.CodeOf(role), (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("role").GetString());
    }

    [Fact]
    public async Task An_anonymous_caller_reaches_the_public_log_but_not_the_caller_endpoint()
    {
        using var log = await GetAsync("/log/keys", null);
        Assert.Equal(HttpStatusCode.OK, log.StatusCode);
        using var ready = await GetAsync("/healthz/live", null);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var whoami = await GetAsync("/auth/whoami", null);
        Assert.Equal(HttpStatusCode.Unauthorized, whoami.StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_refused_even_on_the_public_log()
    {
        await StartedAsync();
        using var response = await GetAsync("/log/keys", Token(Regulator, validFor: TimeSpan.FromMinutes(-2)));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
        Assert.Contains("expired", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_refused()
    {
        await StartedAsync();
        var other = Path.Combine(Path.GetTempPath(), $"other-key-{Guid.NewGuid():N}.pem");
        try
        {
            using var otherKey = DevelopmentTokenKey.Load(other, createIfMissing: true);
            var now = DateTimeOffset.UtcNow;
            using var response = await GetAsync("/auth/whoami", DevelopmentTokens.Mint(otherKey, Regulator, now, now.AddMinutes(10)));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
        }
        finally
        {
            File.Delete(other);
        }
    }

    [Fact]
    public async Task A_token_whose_signature_was_altered_is_refused()
    {
        await StartedAsync();
        var token = Token(Regulator);
        var tampered = token[..^4] + (token[^4] == 'A' ? "B" : "A") + token[^3..];
        using var response = await GetAsync("/auth/whoami", tampered);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused()
    {
        await StartedAsync();
        using var response = await GetAsync("/auth/whoami", Token(Regulator, audience: "some-other-api"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("audience", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_unsigned_token_is_refused()
    {
        await StartedAsync();
        var unsigned = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = DevelopmentTokenKey.Issuer,
            Audience = DevelopmentTokenKey.DefaultAudience,
            Expires = DateTime.UtcNow.AddMinutes(10),
            Claims = new Dictionary<string, object> { ["sub"] = "x", ["org"] = Guid.NewGuid().ToString(), ["role"] = "admin" },
        });
        using var response = await GetAsync("/auth/whoami", unsigned);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_signed_token_whose_claims_name_no_actor_is_refused_with_the_reason()
    {
        await StartedAsync();
        using var key = Key;
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = DevelopmentTokenKey.Issuer,
            Audience = DevelopmentTokenKey.DefaultAudience,
            Expires = DateTime.UtcNow.AddMinutes(10),
            Claims = new Dictionary<string, object> { ["sub"] = "x", ["org"] = Guid.NewGuid().ToString(), ["role"] = "regulator" },
            SigningCredentials = new SigningCredentials(key.SecurityKey, SecurityAlgorithms.EcdsaSha256),
        });
        using var response = await GetAsync("/auth/whoami", token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("jurisdictions", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Introspection_answers_an_authenticated_caller_only()
    {
        await StartedAsync();
        const string introspect = "{ __schema { queryType { name } } }";
        var anonymous = await GraphQLAsync(introspect, null);
        Assert.True(anonymous.TryGetProperty("errors", out _));
        Assert.False(anonymous.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object && data.TryGetProperty("__schema", out _));

        var authenticated = await GraphQLAsync(introspect, Token(Regulator));
        Assert.Equal("Query", authenticated.GetProperty("data").GetProperty("__schema").GetProperty("queryType").GetProperty("name").GetString());

        // The public log itself stays open to anonymous callers.
        Assert.True((await GraphQLAsync("{ verifierKeys }", null)).GetProperty("data").GetProperty("verifierKeys").GetArrayLength() > 0);
    }

    [Fact]
    public void A_key_file_that_holds_no_P256_key_is_refused_with_a_fix()
    {
        var file = Path.Combine(Path.GetTempPath(), $"bad-key-{Guid.NewGuid():N}.pem");
        using var rsa = RSA.Create(2048);
        File.WriteAllText(file, rsa.ExportPkcs8PrivateKeyPem());
        try
        {
            var e = Assert.ThrowsAny<Exception>(() => DevelopmentTokenKey.Load(file, createIfMissing: false));
            Assert.Contains("Delete it", e.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_token_minted_by_the_ledger_token_command_against_the_hosts_key_is_accepted()
    {
        await StartedAsync();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Cli.LedgerCli.RunAsync(
            ["token", "--role", "insurer", "--org", Regulator.OrganisationId.ToString(), "--subject", "claims@harbour.example", "--key", factory.TokenKeyFile], output, error);
        Assert.Equal(0, code);
        using var response = await GetAsync("/auth/whoami", output.ToString().Trim());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("claims@harbour.example", (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("subject").GetString());
    }

    [Fact]
    public async Task A_token_in_the_query_string_counts_for_event_streams_only()
    {
        await StartedAsync();
        var token = Uri.EscapeDataString(Token(Regulator));
        using var stream = new HttpRequestMessage(HttpMethod.Get, $"/auth/whoami?{"access_token"}={token}");
        stream.Headers.Accept.ParseAdd("text/event-stream");
        using var streamed = await client.SendAsync(stream, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, streamed.StatusCode);

        // A plain request must send its token in the Authorization header, where logs and caches do not keep it.
        using var plain = await client.GetAsync($"/auth/whoami?access_token={token}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, plain.StatusCode);
    }

    /// <summary>Opens a graphql-transport-ws socket, sends connection_init with <paramref name="payload"/>, and returns the socket and what the server answered.</summary>
    private async Task<(System.Net.WebSockets.WebSocket Socket, JsonElement? Answer, System.Net.WebSockets.WebSocketCloseStatus? Closed)> ConnectAsync(object? payload)
    {
        var ws = factory.Server.CreateWebSocketClient();
        ws.SubProtocols.Add("graphql-transport-ws");
        var socket = await ws.ConnectAsync(new Uri(factory.Server.BaseAddress, "graphql"), TestContext.Current.CancellationToken);
        await SendAsync(socket, payload is null ? new { type = "connection_init" } : new { type = "connection_init", payload });
        var (answer, closed) = await ReceiveAsync(socket);
        return (socket, answer, closed);
    }

    private static async Task SendAsync(System.Net.WebSockets.WebSocket socket, object message) =>
        await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), System.Net.WebSockets.WebSocketMessageType.Text, true, TestContext.Current.CancellationToken);

    private static async Task<(JsonElement? Message, System.Net.WebSockets.WebSocketCloseStatus? Closed)> ReceiveAsync(System.Net.WebSockets.WebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        var result = await socket.ReceiveAsync(buffer, TestContext.Current.CancellationToken);
        return result.MessageType == System.Net.WebSockets.WebSocketMessageType.Close
            ? (null, result.CloseStatus)
            : (JsonDocument.Parse(buffer.AsMemory(0, result.Count)).RootElement.Clone(), null);
    }

    private static async Task<JsonElement> IntrospectOverSocketAsync(System.Net.WebSockets.WebSocket socket)
    {
        await SendAsync(socket, new { id = "1", type = "subscribe", payload = new { query = "{ __schema { queryType { name } } }" } });
        return (await ReceiveAsync(socket)).Message!.Value;
    }

    [Fact]
    public async Task A_websocket_client_authenticates_with_a_token_in_connection_init()
    {
        var (socket, ack, _) = await ConnectAsync(new { Authorization = "Bearer " + Token(Regulator) });
        using (socket)
        {
            Assert.Equal("connection_ack", ack!.Value.GetProperty("type").GetString());
            var next = await IntrospectOverSocketAsync(socket);
            Assert.Equal("next", next.GetProperty("type").GetString());
            Assert.Equal("Query", next.GetProperty("payload").GetProperty("data").GetProperty("__schema").GetProperty("queryType").GetProperty("name").GetString());
        }

        var (anonymous, anonymousAck, _) = await ConnectAsync(null);
        using (anonymous)
        {
            Assert.Equal("connection_ack", anonymousAck!.Value.GetProperty("type").GetString());
            var refused = await IntrospectOverSocketAsync(anonymous);
            // An anonymous socket may follow the public log but not introspect: the operation is refused with its errors.
            Assert.Equal("error", refused.GetProperty("type").GetString());
            Assert.True(refused.GetProperty("payload").GetArrayLength() > 0);
        }

        var (expired, _, closed) = await ConnectAsync(new { Authorization = "Bearer " + Token(Regulator, validFor: TimeSpan.FromMinutes(-2)) });
        using (expired)
        {
            Assert.Equal((System.Net.WebSockets.WebSocketCloseStatus)4403, closed);
        }
    }
}
