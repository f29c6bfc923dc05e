using System.CommandLine;
using System.Text.Json;
using IncidentLedger.EventStore.Sealing;
using IncidentLedger.Integrity;
using IncidentLedger.Integrity.Checkpoints;
using IncidentLedger.Integrity.Merkle;

namespace IncidentLedger.Cli.Commands;

/// <summary>
/// `ledger witness`: an independent party fetches the log's latest checkpoint, checks its signature and
/// that it extends the last checkpoint this witness saw (an RFC 9162 consistency proof), then adds its
/// own cosignature (C2SP tlog-cosignature/v1: Ed25519, timestamped). A log that rolls back or forks
/// cannot get a cosignature from a witness that saw the earlier state.
/// </summary>
internal static class WitnessCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var log = new Option<string>("--log") { Description = "The ledger's base URL (it serves /log/checkpoint and /log/consistency).", Required = true };
        var logKey = new Option<string>("--log-key") { Description = "The log's checkpoint verifier key (type 0x01 or 0x02), obtained independently.", Required = true };
        var state = new Option<FileInfo>("--state") { Description = "Where this witness keeps the last checkpoint it cosigned.", Required = true };
        var key = new Option<FileInfo>("--key") { Description = "This witness's Ed25519 signing key (PKCS#8 PEM); created when missing.", Required = true };
        var name = new Option<string>("--name") { Description = "This witness's key name, e.g. witness.example.org/w1.", Required = true };
        var push = new Option<string?>("--push") { Description = "A ledger's base URL to push the cosigned checkpoint to (POST /log/cosignatures), usually the --log URL; the ledger then serves the cosignature with its checkpoint." };
        var command = new Command("witness", "Check that the log's latest checkpoint extends the last one this witness cosigned, and cosign it (C2SP tlog-cosignature/v1, Ed25519).") { log, logKey, state, key, name, push };
        command.SetAction(async (parse, ct) =>
        {
            INoteVerifier logVerifier;
            try
            {
                logVerifier = TrustOptions.ParseLogKey(parse.GetValue(logKey)!);
            }
            catch (FormatException e)
            {
                await error.WriteLineAsync($"Bad --log-key: {e.Message}");
                return ExitCodes.Usage;
            }

            if (!Uri.TryCreate(parse.GetValue(log), UriKind.Absolute, out var logUrl) || logUrl.Scheme is not ("http" or "https"))
            {
                await error.WriteLineAsync($"--log must be an http(s) URL, not \"{parse.GetValue(log)}\".");
                return ExitCodes.Usage;
            }

            Uri? pushUrl = null;
            if (parse.GetValue(push) is { } pushTo && (!Uri.TryCreate(pushTo, UriKind.Absolute, out pushUrl) || pushUrl.Scheme is not ("http" or "https")))
            {
                await error.WriteLineAsync($"--push must be an http(s) URL, not \"{pushTo}\".");
                return ExitCodes.Usage;
            }

            CosignatureKey witness;
            Checkpoint? seen = null;
            var stateFile = parse.GetValue(state)!;
            try
            {
                witness = CheckpointKeys.LoadWitness(parse.GetValue(name)!, parse.GetValue(key)!.FullName, createIfMissing: true);
                if (stateFile.Exists)
                {
                    seen = Checkpoint.Parse(SignedNote.Parse(await File.ReadAllTextAsync(stateFile.FullName, ct)).Text);
                }
            }
            catch (FormatException e)
            {
                await error.WriteLineAsync($"Bad --name, --key or --state: {e.Message}");
                return ExitCodes.Usage;
            }

            using var http = new HttpClient { BaseAddress = logUrl, Timeout = TimeSpan.FromSeconds(30) };
            SignedNote latestNote;
            Checkpoint latest;
            try
            {
                latestNote = SignedNote.Parse(await http.GetStringAsync(new Uri("log/checkpoint", UriKind.Relative), ct));
                latest = Checkpoint.Parse(latestNote.Text);
            }
            catch (FormatException e)
            {
                await output.WriteLineAsync($"REFUSED: the log's checkpoint is not a checkpoint note: {e.Message}");
                return ExitCodes.Tampered;
            }
            catch (HttpRequestException e)
            {
                await error.WriteLineAsync($"Could not fetch {logUrl}log/checkpoint: {e.Message}");
                return ExitCodes.Tampered;
            }

            if (!latestNote.IsVerifiedBy(logVerifier))
            {
                await output.WriteLineAsync("REFUSED: the log's checkpoint is not signed by the log's key.");
                return ExitCodes.Tampered;
            }

            if (seen is not null)
            {
                string? problem;
                try
                {
                    problem = await ProblemAsync(http, seen, latest, ct);
                }
                catch (HttpRequestException e)
                {
                    problem = $"the log gave no consistency proof from {seen.Size} to {latest.Size}: {e.Message}";
                }

                if (problem is not null)
                {
                    await output.WriteLineAsync($"REFUSED: {problem}");
                    return ExitCodes.Tampered;
                }
            }
            else
            {
                await output.WriteLineAsync($"note: no earlier checkpoint in {stateFile.FullName}; trusting size {latest.Size} on first use.");
            }

            // Only the log's signature and this witness's own travel on; other lines are not this witness's to vouch for.
            var logOnly = latestNote with { Signatures = [.. latestNote.Signatures.Where(s => s.KeyName == logVerifier.KeyName && s.KeyId == logVerifier.KeyId)] };
            var cosigned = witness.Cosign(logOnly, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            await File.WriteAllTextAsync(stateFile.FullName, cosigned.ToString(), ct);
            await output.WriteLineAsync($"cosigned {latest.Origin} at size {latest.Size} as {witness.VerifierKey}");
            await output.WriteAsync(cosigned.ToString());
            return pushUrl is null ? ExitCodes.Ok : await PushAsync(pushUrl, cosigned, output, error, ct);
        });
        return command;
    }

    /// <summary>POSTs the cosigned checkpoint to the ledger's /log/cosignatures and reports what it said; the cosignature stands either way.</summary>
    private static async Task<int> PushAsync(Uri ledger, SignedNote cosigned, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var endpoint = new Uri(new Uri(ledger.ToString().TrimEnd('/') + "/"), "log/cosignatures");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            using var content = new StringContent(cosigned.ToString(), System.Text.Encoding.UTF8, "text/plain");
            using var response = await http.PostAsync(endpoint, content, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (response.IsSuccessStatusCode)
            {
                var added = JsonDocument.Parse(body).RootElement.GetProperty("cosignatures").EnumerateArray().Any(c => c.GetProperty("added").GetBoolean());
                await output.WriteLineAsync(added ? $"pushed to {endpoint}: the ledger stored the cosignature" : $"pushed to {endpoint}: the ledger held this cosignature already");
                return ExitCodes.Ok;
            }

            var detail = body;
            try
            {
                detail = JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString() ?? body;
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                // not a problem document: report the body as it came
            }

            await output.WriteLineAsync($"PUSH REFUSED by {endpoint} ({(int)response.StatusCode}): {detail.ReplaceLineEndings(" ")}");
            return ExitCodes.Tampered;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            await error.WriteLineAsync($"Could not push to {endpoint}: {e.Message}");
            return ExitCodes.Tampered;
        }
    }

    /// <summary>Why <paramref name="latest"/> does not extend <paramref name="seen"/>, or null when it does.</summary>
    private static async Task<string?> ProblemAsync(HttpClient http, Checkpoint seen, Checkpoint latest, CancellationToken ct)
    {
        if (latest.Origin != seen.Origin)
        {
            return $"the checkpoint is for {latest.Origin}, this witness follows {seen.Origin}.";
        }

        if (latest.Size < seen.Size)
        {
            return $"the log went back from size {seen.Size} to {latest.Size}: it was rolled back.";
        }

        if (latest.Size == seen.Size)
        {
            return latest.Root == seen.Root ? null : $"two roots for size {seen.Size} ({seen.Root} and {latest.Root}): the log forked.";
        }

        if (seen.Size == 0)
        {
            return null;
        }

        using var response = await http.GetAsync(new Uri($"log/consistency?first={seen.Size}&second={latest.Size}", UriKind.Relative), ct);
        if (!response.IsSuccessStatusCode)
        {
            return $"the log gave no consistency proof from {seen.Size} to {latest.Size} ({(int)response.StatusCode}).";
        }

        List<Hash> path;
        try
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            path = [.. body.RootElement.GetProperty("path").EnumerateArray().Select(p => Hash.FromHex(p.GetString() ?? ""))];
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            return $"the log's consistency proof from {seen.Size} to {latest.Size} is malformed: {e.Message}";
        }

        return MerkleProofs.VerifyConsistency(seen.Size, latest.Size, seen.Root, latest.Root, path)
            ? null
            : $"the log's tree at size {latest.Size} does not extend the one this witness saw at size {seen.Size}: it was rewritten.";
    }
}
