using IncidentLedger.EventStore.Sealing;

namespace IncidentLedger.Api.Log;

/// <summary>What auditors, witnesses and monitors read: the latest signed checkpoint, the keys, proofs, and the ledger's health.</summary>
public static class TransparencyLogEndpoints
{
    public static void MapTransparencyLog(this IEndpointRouteBuilder app)
    {
        var log = app.MapGroup("/log");

        log.MapGet("/checkpoint", async (LedgerLog ledgerLog, CancellationToken ct) =>
            await ledgerLog.LatestCheckpointAsync(ct) is { } checkpoint
                ? Results.Text(checkpoint.Note, "text/plain; charset=utf-8")
                : Results.Problem("No checkpoint has been signed yet: the log is empty or the sealer has not run.", statusCode: StatusCodes.Status404NotFound));

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
                projections = health.Projections.Select(v => new { v.Name, v.Sequence, v.LagEvents }),
                outbox = new { outgoing = health.Messages.Outgoing, incoming = health.Messages.Incoming, dead = health.Messages.Dead },
            }, statusCode: health.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
}
