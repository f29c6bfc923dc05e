using IncidentLedger.Auth;
using IncidentLedger.Cli.Commands;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IncidentLedger.Cli.Tests;

/// <summary>`ledger token`: what it mints, and the input it refuses without minting anything.</summary>
public sealed class TokenCommandTests : IDisposable
{
    private readonly string keyFile = Path.Combine(Path.GetTempPath(), $"token-key-{Guid.NewGuid():N}.pem");
    private readonly Guid organisation = Guid.NewGuid();

    public void Dispose() => File.Delete(keyFile);

    private static async Task<(int Code, string Output, string Error)> LedgerAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await LedgerCli.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private async Task<TokenValidationResult> ValidateAsync(string token)
    {
        using var key = DevelopmentTokenKey.Load(keyFile, createIfMissing: false);
        return await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = DevelopmentTokenKey.Issuer,
            ValidAudience = DevelopmentTokenKey.DefaultAudience,
            IssuerSigningKey = key.PublicKey,
        });
    }

    [Fact]
    public async Task A_regulator_token_carries_subject_organisation_role_and_jurisdictions_and_verifies_with_the_key()
    {
        var (code, output, error) = await LedgerAsync("token", "--role", "regulator", "--jurisdiction", "EU", "--jurisdiction", "gb", "--org", organisation.ToString(), "--subject", "analyst@aesia.example", "--key", keyFile);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("created the development key", error);

        var result = await ValidateAsync(output.Trim());
        Assert.True(result.IsValid, result.Exception?.Message);
        var actor = LedgerClaims.ToActor(new System.Security.Claims.ClaimsPrincipal(result.ClaimsIdentity), out var problem);
        Assert.Null(problem);
        Assert.Equal(("analyst@aesia.example", organisation, Domain.ActorRole.Regulator), (actor!.Subject, actor.OrganisationId, actor.Role));
        Assert.Equal(["EU", "GB"], actor.Jurisdictions);
    }

    [Fact]
    public async Task The_expiry_is_a_duration_or_a_time()
    {
        var (code, output, _) = await LedgerAsync("token", "--role", "operator", "--org", organisation.ToString(), "--subject", "op", "--expires", "30m", "--key", keyFile);
        Assert.Equal(ExitCodes.Ok, code);
        var expires = new JsonWebToken(output.Trim()).ValidTo;
        Assert.InRange(expires, DateTime.UtcNow.AddMinutes(29), DateTime.UtcNow.AddMinutes(31));

        var at = DateTimeOffset.UtcNow.AddDays(3);
        Assert.Equal(at.ToUnixTimeSeconds(), TokenCommand.ExpiryOf(at.ToString("yyyy-MM-ddTHH:mm:ssZ"), DateTimeOffset.UtcNow)!.Value.ToUnixTimeSeconds());
    }

    [Theory]
    [InlineData("--role", "superuser", "--org", "00000000-0000-0000-0000-000000000001", "--subject", "s", "must be one of operator, regulator, insurer, auditor, admin")]
    [InlineData("--role", "operator", "--org", "not-a-uuid", "--subject", "s", "is not a UUID")]
    [InlineData("--role", "regulator", "--org", "00000000-0000-0000-0000-000000000001", "--subject", "s", "names its jurisdictions")]
    [InlineData("--role", "operator", "--org", "00000000-0000-0000-0000-000000000001", "--subject", " ", "subject")]
    public async Task Bad_claims_are_refused_with_the_reason_and_no_token(string a, string b, string c, string d, string e, string f, string reason)
    {
        var (code, output, error) = await LedgerAsync("token", a, b, c, d, e, f, "--key", keyFile);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Empty(output);
        Assert.Contains(reason, error);
        Assert.False(File.Exists(keyFile), "nothing is created for a refused token");
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("-5m")]
    [InlineData("2020-01-01T00:00Z")]
    public async Task An_expiry_that_is_not_in_the_future_is_refused(string expires)
    {
        var (code, output, error) = await LedgerAsync("token", "--role", "auditor", "--org", organisation.ToString(), "--subject", "s", "--expires", expires, "--key", keyFile);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Empty(output);
        Assert.Contains("--expires", error);
    }

    [Fact]
    public async Task A_jurisdiction_that_is_no_code_is_refused()
    {
        var (code, _, error) = await LedgerAsync("token", "--role", "regulator", "--jurisdiction", "Europe", "--org", organisation.ToString(), "--subject", "s", "--key", keyFile);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("EUROPE", error);
    }

    [Fact]
    public void By_default_the_key_is_the_one_the_api_uses()
    {
        var checkout = Path.Combine(Path.GetTempPath(), $"checkout-{Guid.NewGuid():N}");
        var nested = Directory.CreateDirectory(Path.Combine(checkout, "docs", "notes")).FullName;
        File.WriteAllText(Path.Combine(checkout, "IncidentLedger.sln"), "");
        try
        {
            var api = Path.Combine(checkout, "src", "IncidentLedger.Api", ".ledger", "token-key.pem");
            Assert.Equal(api, TokenCommand.DefaultKeyFile(checkout, null));
            Assert.Equal(api, TokenCommand.DefaultKeyFile(nested, null));
            Assert.Equal(Path.Combine(checkout, "data", "token-key.pem"), TokenCommand.DefaultKeyFile(checkout, "data"));
            Assert.Equal("/srv/ledger/token-key.pem", TokenCommand.DefaultKeyFile(checkout, "/srv/ledger"));

            var published = Path.Combine(Path.GetTempPath(), $"published-{Guid.NewGuid():N}");
            Assert.Equal(Path.Combine(published, ".ledger", "token-key.pem"), TokenCommand.DefaultKeyFile(published, null));
        }
        finally
        {
            Directory.Delete(checkout, recursive: true);
        }
    }
}
