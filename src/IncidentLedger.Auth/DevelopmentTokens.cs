using IncidentLedger.Domain;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IncidentLedger.Auth;

/// <summary>Mints ledger tokens against the local development key: the same claims an OIDC provider is configured to issue.</summary>
public static class DevelopmentTokens
{
    /// <summary>A signed JWT (ES256) for <paramref name="actor"/>, valid from <paramref name="now"/> until <paramref name="expires"/>.</summary>
    public static string Mint(DevelopmentTokenKey key, Actor actor, DateTimeOffset now, DateTimeOffset expires, string audience = DevelopmentTokenKey.DefaultAudience)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(actor);
        var claims = new Dictionary<string, object>
        {
            [LedgerClaims.Subject] = actor.Subject,
            [LedgerClaims.Organisation] = actor.OrganisationId.ToString(),
            [LedgerClaims.Role] = LedgerClaims.CodeOf(actor.Role),
            [LedgerClaims.Jurisdictions] = actor.Jurisdictions.ToArray(),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = DevelopmentTokenKey.Issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key.SecurityKey, SecurityAlgorithms.EcdsaSha256),
        });
    }

    /// <summary>The actors the API mints a token for at a development start: one per role, in organisations of the demo data set.</summary>
    public static IReadOnlyList<Actor> DevelopmentActors { get; } =
    [
        new("dev-operator", Domain.Demo.DemoIds.Of("org:meridian"), ActorRole.Operator, []),
        new("dev-regulator", Domain.Demo.DemoIds.Of("org:aesia"), ActorRole.Regulator, ["EU"]),
        new("dev-insurer", Domain.Demo.DemoIds.Of("org:harbour"), ActorRole.Insurer, []),
        new("dev-auditor", Domain.Demo.DemoIds.Of("org:dev-auditor"), ActorRole.Auditor, []),
        new("dev-admin", Domain.Demo.DemoIds.Of("org:ledger"), ActorRole.Admin, []),
    ];
}
