using System.Collections.Concurrent;
using Microsoft.IdentityModel.Tokens;

namespace IncidentLedger.Api.Auth;

/// <summary>
/// Validates bearer tokens with <paramref name="inner"/> and remembers the ones that validated, for a minute at most
/// and never past the token's own expiry, so a client sending the same token with every request pays for checking its
/// signature (an ECDSA verification) once a minute rather than every time. Only valid results are remembered: a
/// refused token is checked again each time. Each caller gets its own copy of the claims.
/// </summary>
internal sealed class RememberingTokenHandler(TokenHandler inner) : TokenHandler
{
    /// <summary>The longest a result is trusted: it bounds how long a token stays accepted after its signing key is withdrawn.</summary>
    private static readonly TimeSpan Remember = TimeSpan.FromMinutes(1);

    private const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, (TokenValidationResult Result, DateTime Until)> valid = new(StringComparer.Ordinal);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        ArgumentNullException.ThrowIfNull(token);
        var now = DateTime.UtcNow;
        if (valid.TryGetValue(token, out var known))
        {
            if (now < known.Until)
            {
                return Copy(known.Result);
            }

            valid.TryRemove(token, out _);
        }

        var result = await inner.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is { } validated && result.ClaimsIdentity is not null)
        {
            if (valid.Count >= Capacity)
            {
                valid.Clear();
            }

            // A token without an expiry (ValidTo is MinValue) or expiring now is not remembered.
            var until = validated.ValidTo < now + Remember ? validated.ValidTo : now + Remember;
            if (until > now)
            {
                valid[token] = (result, until);
                return Copy(result);
            }
        }

        return result;
    }

    public override SecurityToken ReadToken(string token) => inner.ReadToken(token);

    private static TokenValidationResult Copy(TokenValidationResult result) => new()
    {
        IsValid = true,
        ClaimsIdentity = result.ClaimsIdentity.Clone(),
        SecurityToken = result.SecurityToken,
        Issuer = result.Issuer,
        TokenType = result.TokenType,
        TokenContext = result.TokenContext,
    };
}
