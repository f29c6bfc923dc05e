using IncidentLedger.EventStore.Sealing;

namespace IncidentLedger.Api.Log;

/// <summary>What auditors, witnesses and monitors read: the latest signed (and cosigned) checkpoint, the keys, proofs, and the ledger's health; and where witnesses push their cosignatures.</summary>
public static class TransparencyLogEndpoints
{
    public static void MapTransparencyLog(this IEndpointRouteBuilder app)
    {
        var log = app.MapGroup("/log");

        log.MapGet("/checkpoint", async (LedgerLog ledgerLog, CancellationToken ct) =>
            await ledgerLog.LatestCheckpointAsync(ct) is { } checkpoint
                ? Results.Text(checkpoint.CosignedNote, "text/plain; charset=utf-8")
                : Results.Problem("No checkpoint has been signed yet: the log is empty or the sealer has not run.", statusCode: StatusCodes.Status404NotFound));

        // No credential: only a cosignature that verifies under a configured witness key, over a checkpoint this log signed, is stored.
        log.MapPost("/cosignatures", async (HttpRequest request, CosignatureCollector collector, CancellationToken ct) =>
        {
            var (body, unreadable) = await ReadTextAsync(request, CosignatureCollector.MaxBytes, ct);
            if (body is null)
            {
                return Results.Problem(unreadable, statusCode: StatusCodes.Status400BadRequest, title: "Cosignature refused");
            }

            var (push, problem) = await collector.CollectAsync(body, ct);
            return push is null
                ? Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest, title: "Cosignature refused")
                : Results.Json(new
                {
                    origin = push.Checkpoint.Origin,
                    size = push.Checkpoint.Size,
                    cosignatures = push.Cosignatures.Select(c => new { witness = c.Witness, keyId = c.KeyId.ToString("x8"), cosignedAt = c.CosignedAt, added = c.Added }),
                });
        });

        log.MapGet("/keys", async (LedgerExport export, CancellationToken ct) =>
            Results.Text(string.Join('\n', await export.VerifierKeysAsync(ct)) + "\n", "text/plain; charset=utf-8"));

        log.MapGet("/proof/{eventId}", async (string eventId, LedgerExport export, CancellationToken ct) =>
        {
            if (!Guid.TryParse(eventId, out var id))
            {
                return Results.Problem($"\"{eventId}\" is not an event id (a UUID).", statusCode: StatusCodes.Status400BadRequest);
            }

            return await export.ProofAsync(id, ct) is { } proof
                ? Results.Json(proof, Integrity.Bundles.BundleFormat.Json)
                : Results.Problem($"Event {id} is not in the log yet, or not yet covered by a signed checkpoint.", statusCode: StatusCodes.Status404NotFound);
        });

        log.MapGet("/consistency", async (long first, long second, LedgerLog ledgerLog, CancellationToken ct) =>
        {
            var (proof, problem) = await LedgerHealth.ConsistencyAsync(ledgerLog, first, second, ct);
            return proof is null
                ? Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest)
                : Results.Json(new { first, second, path = proof.Path.Select(h => h.ToString()) });
        });
    }

    /// <summary>The request body as strict UTF-8 text of at most <paramref name="maxBytes"/> bytes, or why it is not.</summary>
    private static async Task<(string? Text, string? Problem)> ReadTextAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return (null, $"A cosignature push is a checkpoint note with the witness's signature lines, at most {maxBytes} bytes; this body is larger.");
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return (null, "The body is empty: push the checkpoint note with the witness's cosignature line appended (text/plain).");
        }

        try
        {
            return (new System.Text.UTF8Encoding(false, true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length), null);
        }
        catch (System.Text.DecoderFallbackException)
        {
            return (null, "The body is not valid UTF-8; a signed note is UTF-8 text.");
        }
    }

    /// <summary>GET /healthz: the sealed log's lag, every projection's state and lag, and the outbox depth.</summary>
    public static void MapLedgerHealth(this IEndpointRouteBuilder app) =>
        app.MapGet("/healthz", async (HttpContext context, CancellationToken ct) =>
        {
            var health = await LedgerHealth.ReadAsync(context.RequestServices, ct);
            var seal = health.Log;
            return Results.Json(new
            {
                status = health.Healthy ? "ok" : "degraded",
                log = new { sealedSize = seal.Size, unsealed = seal.Unsealed, oldestUnsealedSeconds = seal.OldestUnsealedSeconds, oldestWriterSeconds = seal.OldestWriterSeconds, checkpointSize = seal.LatestCheckpoint?.Checkpoint.Size },
                projections = health.Projections.Select(v => new { v.Name, v.Sequence, v.LagEvents, v.Status, v.Error, v.StoppedAt }),
                outbox = new { outgoing = health.Messages.Outgoing, incoming = health.Messages.Incoming, dead = health.Messages.Dead },
            }, statusCode: health.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
}
