using System.Security.Claims;
using IncidentLedger.Domain;
using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Auth;

/// <summary>The claims a ledger token carries and how they become the domain's <see cref="Actor"/>.</summary>
public static class LedgerClaims
{
    /// <summary>The authenticated subject (the JWT <c>sub</c>).</summary>
    public const string Subject = "sub";

    /// <summary>The organisation the subject acts for: a UUID.</summary>
    public const string Organisation = "org";

    /// <summary>One of operator, regulator, insurer, auditor, admin.</summary>
    public const string Role = "role";

    /// <summary>The jurisdictions a regulator holds (a JSON array, or one space-separated string), e.g. ["EU", "GB"].</summary>
    public const string Jurisdictions = "jurisdictions";

    /// <summary>Every role's code, in the order of <see cref="ActorRole"/>.</summary>
    public static IReadOnlyList<string> RoleCodes { get; } = [.. Enum.GetValues<ActorRole>().Select(r => Codes.Of(r))];

    public static string CodeOf(ActorRole role) => Codes.Of(role);

    public static bool TryParseRole(string? code, out ActorRole role)
    {
        role = default;
        return code is not null && Codes.TryParse(code.Trim().ToLowerInvariant(), out role);
    }

    /// <summary>The jurisdiction codes of a claim value or values: upper-cased, split on spaces and commas, duplicates removed.</summary>
    public static IReadOnlyList<string> NormaliseJurisdictions(IEnumerable<string> values) =>
        [.. values.SelectMany(v => v.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(j => j.ToUpperInvariant()).Distinct()];

    /// <summary>
    /// The actor an authenticated principal acts as, or null with the reason when its claims do not name one
    /// (no subject, an organisation that is not a UUID, an unknown role, a regulator without jurisdictions, a code that is no jurisdiction).
    /// </summary>
    public static Actor? ToActor(ClaimsPrincipal? principal, out string? problem)
    {
        if (principal?.Identity?.IsAuthenticated != true)
        {
            problem = "the caller is not authenticated";
            return null;
        }

        var subject = principal.FindFirst(Subject)?.Value;
        var organisation = principal.FindFirst(Organisation)?.Value;
        var role = principal.FindFirst(Role)?.Value;
        var jurisdictions = NormaliseJurisdictions(principal.FindAll(Jurisdictions).Select(c => c.Value));
        problem = Problem(subject, organisation, role, jurisdictions, out var actor);
        return actor;
    }

    /// <summary>Why these claim values name no actor, or null (and the actor) when they do.</summary>
    public static string? Problem(string? subject, string? organisation, string? role, IReadOnlyList<string> jurisdictions, out Actor? actor)
    {
        actor = null;
        if (string.IsNullOrWhiteSpace(subject))
        {
            return $"the token has no \"{Subject}\" (subject) claim";
        }

        if (!Guid.TryParse(organisation, out var organisationId))
        {
            return organisation is null
                ? $"the token has no \"{Organisation}\" claim (the organisation's UUID)"
                : $"the \"{Organisation}\" claim \"{organisation}\" is not a UUID";
        }

        if (!TryParseRole(role, out var actorRole))
        {
            return $"the \"{Role}\" claim is {(role is null ? "missing" : $"\"{role}\"")}; it must be one of {string.Join(", ", RoleCodes)}";
        }

        if (jurisdictions.FirstOrDefault(j => !Regions.IsValid(j)) is { } invalid)
        {
            return $"\"{invalid}\" in the \"{Jurisdictions}\" claim is not a jurisdiction code (ISO 3166-1 alpha-2 such as DE or GB, or a region such as EU)";
        }

        if (actorRole == ActorRole.Regulator && jurisdictions.Count == 0)
        {
            return $"a regulator's token names its jurisdictions in the \"{Jurisdictions}\" claim";
        }

        actor = new Actor(subject, organisationId, actorRole, jurisdictions);
        return null;
    }
}
