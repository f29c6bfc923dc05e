using IncidentLedger.Api.Auth;
using IncidentLedger.Auth;
using IncidentLedger.Domain;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IncidentLedger.Api.Tests;

/// <summary>
/// The bearer-token check remembers tokens that validated (so a signature is verified once, not with every request),
/// never past their expiry, never a refused token, and hands each caller its own claims.
/// </summary>
public sealed class RememberingTokenHandlerTests : IDisposable
{
    private static readonly Actor Operator = new("ops@voltaro.example", Guid.NewGuid(), ActorRole.Operator, []);

    private readonly string keyFile = Path.Combine(Path.GetTempPath(), $"token-key-{Guid.NewGuid():N}.pem");
    private readonly string otherKeyFile = Path.Combine(Path.GetTempPath(), $"token-key-{Guid.NewGuid():N}.pem");
    private readonly DevelopmentTokenKey key;
    private readonly DevelopmentTokenKey otherKey;
    private readonly CountingHandler counting = new();
    private readonly RememberingTokenHandler handler;

    public RememberingTokenHandlerTests()
    {
        key = DevelopmentTokenKey.Load(keyFile, createIfMissing: true);
        otherKey = DevelopmentTokenKey.Load(otherKeyFile, createIfMissing: true);
        handler = new RememberingTokenHandler(counting);
    }

    public void Dispose()
    {
        key.Dispose();
        otherKey.Dispose();
        File.Delete(keyFile);
        File.Delete(otherKeyFile);
    }

    /// <summary>Counts how often the signature and claims are really checked.</summary>
    private sealed class CountingHandler : TokenHandler
    {
        private readonly JsonWebTokenHandler inner = new() { MapInboundClaims = false };

        public int Validations { get; private set; }

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Validations++;
            return inner.ValidateTokenAsync(token, validationParameters);
        }
    }

    private TokenValidationParameters Parameters => new()
    {
        ValidIssuer = DevelopmentTokenKey.Issuer,
        ValidAudience = DevelopmentTokenKey.DefaultAudience,
        IssuerSigningKey = key.PublicKey,
        RequireExpirationTime = true,
        ClockSkew = TimeSpan.Zero,
    };

    private string Mint(DevelopmentTokenKey signer, TimeSpan lifetime) =>
        DevelopmentTokens.Mint(signer, Operator, DateTimeOffset.UtcNow.AddSeconds(-1), DateTimeOffset.UtcNow.Add(lifetime));

    [Fact]
    public async Task A_valid_token_is_verified_once_and_each_caller_gets_its_own_claims()
    {
        var token = Mint(key, TimeSpan.FromMinutes(10));

        var first = await handler.ValidateTokenAsync(token, Parameters);
        var second = await handler.ValidateTokenAsync(token, Parameters);

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Equal(1, counting.Validations);
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        Assert.Equal(first.ClaimsIdentity.Claims.Select(c => (c.Type, c.Value)), second.ClaimsIdentity.Claims.Select(c => (c.Type, c.Value)));
    }

    [Fact]
    public async Task A_refused_token_is_checked_again_every_time()
    {
        var forged = Mint(otherKey, TimeSpan.FromMinutes(10));

        Assert.False((await handler.ValidateTokenAsync(forged, Parameters)).IsValid);
        Assert.False((await handler.ValidateTokenAsync(forged, Parameters)).IsValid);
        Assert.Equal(2, counting.Validations);
    }

    [Fact]
    public async Task A_remembered_token_is_refused_once_it_expires()
    {
        var token = Mint(key, TimeSpan.FromSeconds(2));
        Assert.True((await handler.ValidateTokenAsync(token, Parameters)).IsValid);

        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False((await handler.ValidateTokenAsync(token, Parameters)).IsValid);
        Assert.Equal(2, counting.Validations);
    }
}
