using System.Security.Claims;
using IncidentLedger.Api.Hosting;
using IncidentLedger.Auth;
using IncidentLedger.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IncidentLedger.Api.Auth;

/// <summary>
/// JWT bearer authentication: tokens from the configured OIDC provider and, in Development and embedded starts, from the
/// local development key. An authenticated caller is always an <see cref="Actor"/>: a token whose claims name none is refused.
/// Anonymous callers reach what does not ask for a caller (the public log); a token that is presented but invalid is refused with 401 everywhere.
/// </summary>
public static class LedgerAuthentication
{
    /// <summary>True when the ledger accepts development tokens: the Development environment, or an embedded start (no connection string).</summary>
    public static bool IsDevelopmentStart(IConfiguration configuration, IHostEnvironment environment) =>
        environment.IsDevelopment() || string.IsNullOrEmpty(configuration.GetConnectionString("Ledger"));

    public static WebApplicationBuilder AddLedgerAuthentication(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(LedgerAuthenticationOptions.Section).Get<LedgerAuthenticationOptions>() ?? new LedgerAuthenticationOptions();
        var development = IsDevelopmentStart(builder.Configuration, builder.Environment);
        var dataDirectory = builder.Configuration.GetSection(LedgerOptions.Section).Get<LedgerOptions>()?.DataDirectory ?? new LedgerOptions().DataDirectory;
        // Unset: the default file in a development start, none otherwise. Set but empty: none, even in a development start.
        var keyFile = options.SigningKeyFile switch
        {
            null => development ? DevelopmentTokenKey.PathIn(dataDirectory) : null,
            "" => null,
            var file => file,
        };
        DevelopmentTokenKey? localKey;
        try
        {
            localKey = keyFile is null ? null : DevelopmentTokenKey.Load(keyFile, createIfMissing: development);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new LedgerStartException($"The token signing key could not be loaded: {e.Message}", e);
        }

        var oidc = options.Authority is { Length: > 0 } || options.MetadataAddress is { Length: > 0 };

        builder.Services.AddSingleton(new LedgerTokenSettings(options, localKey, development, oidc));
        builder.Services.AddAuthorization();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            // Claims keep their JWT names (sub, org, role, jurisdictions) instead of the WS-Federation URIs; a token that
            // validated is remembered for up to a minute (never past its expiry) instead of verified with every request.
            jwt.TokenHandlers.Clear();
            jwt.TokenHandlers.Add(new RememberingTokenHandler(new JsonWebTokenHandler { MapInboundClaims = false }));
            if (oidc)
            {
                jwt.Authority = options.Authority;
                jwt.MetadataAddress = options.MetadataAddress!;
                jwt.RequireHttpsMetadata = options.RequireHttpsMetadata;
            }

            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                // The provider's issuer (from discovery) is added to these by the handler.
                ValidIssuers = [.. options.Issuers, .. localKey is null ? [] : new[] { DevelopmentTokenKey.Issuer }],
                ValidateAudience = true,
                ValidAudience = options.Audience,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                RequireSignedTokens = true,
                ValidateIssuerSigningKey = true,
                IssuerSigningKeys = localKey is null ? [] : [localKey.PublicKey],
                ClockSkew = options.ClockSkew,
                NameClaimType = LedgerClaims.Subject,
                RoleClaimType = LedgerClaims.Role,
            };
            jwt.Events = new JwtBearerEvents
            {
                OnMessageReceived = TokenFromQueryForStreams,
                OnTokenValidated = context =>
                {
                    if (LedgerClaims.ToActor(context.Principal, out var problem) is null)
                    {
                        context.Fail($"The token is valid but names no ledger actor: {problem}.");
                    }

                    return Task.CompletedTask;
                },
            };
        });
        builder.Services.AddHostedService<DevelopmentTokenAnnouncer>();
        return builder;
    }

    /// <summary>
    /// Authentication and authorisation middleware, a refusal (401) of any request whose token does not validate, and
    /// GET /auth/whoami, which tells an authenticated caller which actor the ledger takes it for.
    /// </summary>
    public static WebApplication UseLedgerAuthentication(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            if (!context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                && !context.Request.Query.ContainsKey(AccessTokenParameter))
            {
                await next(context);
                return;
            }

            // The handler's result is cached per request, so this reads what the middleware above found.
            var result = await context.AuthenticateAsync();
            if (result.Failure is { } failure)
            {
                await context.ChallengeAsync();
                await context.Response.WriteAsync($"The bearer token was refused: {failure.Message}\n", context.RequestAborted);
                return;
            }

            await next(context);
        });
        app.UseAuthorization();
        app.MapGet("/auth/whoami", (HttpContext context) => context.Actor() is { } actor
                ? Results.Json(new { subject = actor.Subject, organisation = actor.OrganisationId, role = LedgerClaims.CodeOf(actor.Role), jurisdictions = actor.Jurisdictions })
                : Results.Unauthorized())
            .RequireAuthorization();
        return app;
    }

    /// <summary>The query parameter a WebSocket or event-stream client (a browser cannot set headers on those) may pass its token in.</summary>
    public const string AccessTokenParameter = "access_token";

    private static Task TokenFromQueryForStreams(MessageReceivedContext context)
    {
        var request = context.Request;
        var stream = context.HttpContext.WebSockets.IsWebSocketRequest
            || request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase);
        if (stream && string.IsNullOrEmpty(context.Token) && request.Query[AccessTokenParameter].ToString() is { Length: > 0 } token)
        {
            context.Token = token;
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// For graphql-transport-ws: a client that cannot set headers on the upgrade (a browser) may send
    /// <c>{"Authorization": "Bearer …"}</c> in its connection_init payload. A valid token makes it the socket's caller; an invalid
    /// one closes the socket as forbidden (4403); no token leaves the caller as the upgrade request found it.
    /// </summary>
    public static async ValueTask<bool> AuthenticateConnectionAsync(HttpContext context, System.Text.Json.JsonElement? payload)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (payload is not { ValueKind: System.Text.Json.JsonValueKind.Object } init
            || !(init.TryGetProperty("Authorization", out var header) || init.TryGetProperty("authorization", out header))
            || header.ValueKind != System.Text.Json.JsonValueKind.String)
        {
            return true;
        }

        var value = header.GetString() ?? "";
        var token = value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? value["Bearer ".Length..].Trim() : value.Trim();
        var jwt = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);
        var parameters = jwt.TokenValidationParameters.Clone();
        if (jwt.ConfigurationManager is { } discovery)
        {
            try
            {
                var configuration = await discovery.GetConfigurationAsync(context.RequestAborted);
                parameters.ValidIssuers = [.. parameters.ValidIssuers ?? [], configuration.Issuer];
                parameters.IssuerSigningKeys = [.. parameters.IssuerSigningKeys ?? [], .. configuration.SigningKeys];
            }
            catch (InvalidOperationException)
            {
                // The provider's discovery document cannot be read now: only the local key's tokens can be checked.
            }
        }

        foreach (var handler in jwt.TokenHandlers)
        {
            var result = await handler.ValidateTokenAsync(token, parameters);
            if (result.IsValid)
            {
                var principal = new ClaimsPrincipal(result.ClaimsIdentity);
                if (LedgerCaller.ActorOf(principal) is null)
                {
                    return false;
                }

                context.User = principal;
                return true;
            }
        }

        return false;
    }

    /// <summary>The actor the request's caller acts as, or null for an anonymous caller.</summary>
    public static Actor? Actor(this HttpContext context) => LedgerCaller.ActorOf(context?.User);
}

/// <summary>The caller of a request, wherever it is read: HTTP handlers, GraphQL resolvers (their UserContext is the request's principal).</summary>
public static class LedgerCaller
{
    public static Actor? ActorOf(ClaimsPrincipal? principal) => LedgerClaims.ToActor(principal, out _);

    /// <summary>The actor of a GraphQL request, or null when anonymous.</summary>
    public static Actor? ActorOf(IncidentLedger.GraphQL.Execution.IResolveContext context) =>
        ActorOf(context?.UserContext as ClaimsPrincipal);

    /// <summary>The actor of a GraphQL request; an anonymous caller gets an UNAUTHENTICATED error saying how to sign in.</summary>
    public static Actor RequireActor(IncidentLedger.GraphQL.Execution.IResolveContext context) =>
        ActorOf(context) ?? throw new IncidentLedger.GraphQL.GraphQLException(
            "This field needs an authenticated caller: send Authorization: Bearer <token> (in development, `ledger token` mints one).", "UNAUTHENTICATED");
}

/// <summary>What authentication was configured with, for the start-up announcement and the operations endpoints.</summary>
public sealed record LedgerTokenSettings(LedgerAuthenticationOptions Options, DevelopmentTokenKey? LocalKey, bool Development, bool Oidc)
{
    /// <summary>One token per development actor, valid from <paramref name="now"/> for the development lifetime; none unless this is a development start with a local key.</summary>
    public IReadOnlyList<(Actor Actor, string Token)> DevelopmentTokensAt(DateTimeOffset now) => this is { Development: true, LocalKey: { } key }
        ? [.. DevelopmentTokens.DevelopmentActors.Select(actor => (actor, DevelopmentTokens.Mint(key, actor, now, now + Options.DevelopmentTokenLifetime, Options.Audience)))]
        : [];
}

/// <summary>At a development start, logs one token per role (lines naming the role) once the server listens.</summary>
internal sealed class DevelopmentTokenAnnouncer(LedgerTokenSettings settings, IHostApplicationLifetime lifetime, ILogger<DevelopmentTokenAnnouncer> logger, TimeProvider? time = null) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!settings.Oidc && settings.LocalKey is null)
        {
            logger.LogWarning("No token issuer is configured, so every bearer token is refused and only the public log is served: set Ledger:Authentication:Authority to an OIDC provider (or Ledger:Authentication:SigningKeyFile).");
        }

        if (settings is { Development: true, LocalKey: { } key })
        {
            lifetime.ApplicationStarted.Register(() => Announce(key));
        }

        return Task.CompletedTask;
    }

    private void Announce(DevelopmentTokenKey key)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow();
        var expires = now + settings.Options.DevelopmentTokenLifetime;
        logger.LogInformation("Development tokens (signed with {KeyFile}, valid until {Expires:u}); send one as Authorization: Bearer <token>, or mint others with `ledger token`:", key.File, expires);
        foreach (var (actor, token) in settings.DevelopmentTokensAt(now))
        {
            var jurisdictions = actor.Jurisdictions.Count > 0 ? $", jurisdictions {string.Join(' ', actor.Jurisdictions)}" : "";
            logger.LogInformation("token for {Role} ({Subject}, organisation {Organisation}{Jurisdictions}): {Token}",
                LedgerClaims.CodeOf(actor.Role), actor.Subject, actor.OrganisationId, jurisdictions, token);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
