namespace IncidentLedger.Api.Auth;

/// <summary>
/// The "Ledger:Authentication" configuration section: which bearer tokens the ledger accepts. Set
/// <see cref="Authority"/> (or <see cref="MetadataAddress"/>) for an OIDC provider; in Development and embedded
/// starts the local development key (<c>ledger token</c>) is accepted as well.
/// </summary>
public sealed record LedgerAuthenticationOptions
{
    public const string Section = "Ledger:Authentication";

    /// <summary>The OIDC provider's issuer URL; its discovery document supplies the issuer and signing keys.</summary>
    public string? Authority { get; init; }

    /// <summary>The discovery document's URL, when it is not at {Authority}/.well-known/openid-configuration.</summary>
    public string? MetadataAddress { get; init; }

    /// <summary>Refuse discovery over plain HTTP (turn off only for a provider on a private network).</summary>
    public bool RequireHttpsMetadata { get; init; } = true;

    /// <summary>Issuers accepted besides the provider's own (the development issuer is added when the development key is in use).</summary>
    public IReadOnlyList<string> Issuers { get; init; } = [];

    /// <summary>The audience (<c>aud</c>) tokens must be issued for.</summary>
    public string Audience { get; init; } = IncidentLedger.Auth.DevelopmentTokenKey.DefaultAudience;

    /// <summary>
    /// A local ECDSA P-256 key (PEM) whose tokens are accepted; by default {DataDirectory}/token-key.pem in Development and
    /// embedded starts (created when missing), none otherwise; an empty value turns the local key off everywhere.
    /// </summary>
    public string? SigningKeyFile { get; init; }

    /// <summary>How far token lifetimes may be off the ledger's clock.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the development tokens printed at start-up stay valid.</summary>
    public TimeSpan DevelopmentTokenLifetime { get; init; } = TimeSpan.FromHours(12);
}
