using System.CommandLine;
using System.Globalization;
using IncidentLedger.Auth;

namespace IncidentLedger.Cli.Commands;

/// <summary>
/// `ledger token`: mints a development token against the local key that the API accepts in Development and embedded starts.
/// The token alone goes to stdout, so <c>TOKEN=$(ledger token …)</c> works; notes go to stderr.
/// </summary>
internal static class TokenCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var role = new Option<string>("--role") { Description = $"The role the token acts in: {string.Join(", ", LedgerClaims.RoleCodes)}.", Required = true };
        var organisation = new Option<string>("--org") { Description = "The organisation the subject acts for (a UUID).", Required = true };
        var subject = new Option<string>("--subject") { Description = "Who the token is for, e.g. analyst@regulator.example.", Required = true };
        var jurisdictions = new Option<string[]>("--jurisdiction")
        {
            Description = "A jurisdiction the subject holds (ISO 3166-1 alpha-2 or a region such as EU); repeat for more. A regulator needs at least one.",
            AllowMultipleArgumentsPerToken = true,
        };
        var expires = new Option<string>("--expires")
        {
            Description = "When the token expires: a duration (30m, 12h, 7d) or a UTC time (2026-12-31T18:00Z).",
            DefaultValueFactory = _ => "12h",
        };
        var key = new Option<FileInfo>("--key")
        {
            Description = $"The development key (PEM); created when missing. By default the one the API uses: {DevelopmentTokenKey.FileName} in Ledger__DataDirectory, "
                + "else in src/IncidentLedger.Api/.ledger of the checkout around this folder (where `dotnet run --project src/IncidentLedger.Api` keeps it), else in ./.ledger.",
            DefaultValueFactory = _ => new FileInfo(DefaultKeyFile(Environment.CurrentDirectory, Environment.GetEnvironmentVariable("Ledger__DataDirectory"))),
        };
        var audience = new Option<string>("--audience")
        {
            Description = "The audience the API expects (Ledger:Authentication:Audience).",
            DefaultValueFactory = _ => DevelopmentTokenKey.DefaultAudience,
        };
        var command = new Command("token", "Mint a development token for the ledger's API, signed with the local development key.")
        {
            role, organisation, subject, jurisdictions, expires, key, audience,
        };
        command.SetAction(async (parse, ct) =>
        {
            var now = DateTimeOffset.UtcNow;
            var codes = LedgerClaims.NormaliseJurisdictions(parse.GetValue(jurisdictions) ?? []);
            var problem = LedgerClaims.Problem(parse.GetValue(subject), parse.GetValue(organisation), parse.GetValue(role), codes, out var actor);
            if (problem is not null)
            {
                await error.WriteLineAsync($"Cannot mint the token: {problem.Replace("the token has no", "no", StringComparison.Ordinal)}.");
                return ExitCodes.Usage;
            }

            if (ExpiryOf(parse.GetValue(expires)!, now) is not { } expiry || expiry <= now)
            {
                await error.WriteLineAsync($"--expires must be a duration such as 30m, 12h or 7d, or a UTC time in the future such as 2026-12-31T18:00Z; got \"{parse.GetValue(expires)}\".");
                return ExitCodes.Usage;
            }

            var keyFile = parse.GetValue(key)!;
            if (!keyFile.Exists)
            {
                await error.WriteLineAsync($"note: created the development key {keyFile.FullName}; the API accepts its tokens when it uses the same file.");
            }

            using var signingKey = DevelopmentTokenKey.Load(keyFile.FullName, createIfMissing: true);
            await output.WriteLineAsync(DevelopmentTokens.Mint(signingKey, actor!, now, expiry, parse.GetValue(audience)!));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// Where the API keeps its development key when started the usual ways: the configured data directory; in a checkout,
    /// the API project's .ledger folder (`dotnet run --project src/IncidentLedger.Api` runs in the project's folder); else ./.ledger
    /// (a published build run in its own folder).
    /// </summary>
    internal static string DefaultKeyFile(string workingDirectory, string? dataDirectory)
    {
        if (dataDirectory is { Length: > 0 })
        {
            return Path.GetFullPath(DevelopmentTokenKey.PathIn(dataDirectory), workingDirectory);
        }

        for (var dir = new DirectoryInfo(workingDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IncidentLedger.sln")))
            {
                return DevelopmentTokenKey.PathIn(Path.Combine(dir.FullName, "src", "IncidentLedger.Api", ".ledger"));
            }
        }

        return DevelopmentTokenKey.PathIn(Path.Combine(workingDirectory, ".ledger"));
    }

    /// <summary>A duration (30m, 12h, 7d) from <paramref name="now"/>, or an absolute time; null when it is neither.</summary>
    internal static DateTimeOffset? ExpiryOf(string value, DateTimeOffset now)
    {
        var text = value.Trim();
        if (text.Length >= 2 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount > 0)
        {
            TimeSpan? span = char.ToLowerInvariant(text[^1]) switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (span is { } s)
            {
                return now + s;
            }
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : null;
    }
}
