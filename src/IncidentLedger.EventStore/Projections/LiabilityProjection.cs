using IncidentLedger.Domain.ReadModels;
using Marten;

namespace IncidentLedger.EventStore.Projections;

/// <summary>
/// Liability exposure for insurers, per party, AI system, policy and foundation-model accumulation,
/// as of the last event applied. Exposure crosses streams (a policy covers systems, a system's
/// incidents weigh on its provider), so every batch folds into the whole view and computes the whole
/// report, storing what differs from the report the previous batch stored.
/// </summary>
public sealed class LiabilityProjection : LedgerViewProjection<LiabilityProjection>
{
    public const string ProjectionName = "liability";

    public override string Name => ProjectionName;

    protected override bool NeedsWholeView => true;

    /// <summary>Larger batches than the other read models': each batch computes the whole report and stores what changed in it, so fewer batches do less of that work while it catches up.</summary>
    public override int BatchSize => 10_000;

    /// <summary>
    /// The report the last batch stored, as the JSON of each party's, system's, policy's and accumulation's
    /// exposure by id: what the next batch compares with while the view continues.
    /// </summary>
    private StoredReport? stored;

    private sealed record StoredReport(Dictionary<Guid, string> Parties, Dictionary<Guid, string> Systems, Dictionary<Guid, string> Policies, Dictionary<Guid, string> Accumulations)
    {
        public static StoredReport Of(ExposureReport report) => new(
            report.Parties.ToDictionary(p => p.OrganisationId, Json),
            report.Systems.ToDictionary(s => s.SystemId, Json),
            report.Policies.ToDictionary(p => p.PolicyId, Json),
            report.Accumulations.ToDictionary(a => a.FoundationModelId, Json));
    }

    protected override Task WriteAsync(IDocumentOperations operations, ViewChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(change);
        var report = LiabilityExposure.Compute(change.After, change.AsOf);
        var previous = change.Continues && stored is not null ? stored : StoredReport.Of(LiabilityExposure.Compute(change.Before, change.AsOf));
        stored = new StoredReport(
            StoreChanged(operations, previous.Parties, report.Parties, p => p.OrganisationId),
            StoreChanged(operations, previous.Systems, report.Systems, s => s.SystemId),
            StoreChanged(operations, previous.Policies, report.Policies, p => p.PolicyId),
            StoreChanged(operations, previous.Accumulations, report.Accumulations, a => a.FoundationModelId));
        return Task.CompletedTask;
    }

    /// <summary>Stores what differs from the exposure before the batch, deletes what no longer has any, and returns the new exposure's JSON.</summary>
    private static Dictionary<Guid, string> StoreChanged<T>(IDocumentOperations operations, Dictionary<Guid, string> before, IReadOnlyList<T> after, Func<T, Guid> id)
        where T : notnull
    {
        var now = new Dictionary<Guid, string>(after.Count);
        foreach (var item in after)
        {
            var json = Json(item);
            now[id(item)] = json;
            if (!before.TryGetValue(id(item), out var old) || old != json)
            {
                operations.Store(item);
            }
        }

        foreach (var gone in before.Keys.Where(k => !now.ContainsKey(k)))
        {
            operations.Delete<T>(gone);
        }

        return now;
    }

    private static string Json<T>(T item) => System.Text.Json.JsonSerializer.Serialize(item, Domain.DomainJson.Options);
}
