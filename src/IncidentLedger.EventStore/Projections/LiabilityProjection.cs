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

    /// <summary>The report the last batch stored, which is what the next one compares with while the view continues.</summary>
    private ExposureReport? stored;

    protected override Task WriteAsync(IDocumentOperations operations, ViewChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(change);
        var report = LiabilityExposure.Compute(change.After, change.AsOf);
        var previous = change.Continues && stored is not null ? stored : LiabilityExposure.Compute(change.Before, change.AsOf);
        stored = report;
        StoreChanged(operations, previous.Parties, report.Parties, p => p.OrganisationId);
        StoreChanged(operations, previous.Systems, report.Systems, s => s.SystemId);
        StoreChanged(operations, previous.Policies, report.Policies, p => p.PolicyId);
        StoreChanged(operations, previous.Accumulations, report.Accumulations, a => a.FoundationModelId);
        return Task.CompletedTask;
    }

    /// <summary>Stores what differs from the exposure before the batch, and deletes what no longer has any.</summary>
    private static void StoreChanged<T>(IDocumentOperations operations, IReadOnlyList<T> before, IReadOnlyList<T> after, Func<T, Guid> id)
        where T : notnull
    {
        var old = before.ToDictionary(id, Json);
        foreach (var item in after)
        {
            if (!old.Remove(id(item), out var json) || json != Json(item))
            {
                operations.Store(item);
            }
        }

        foreach (var gone in old.Keys)
        {
            operations.Delete<T>(gone);
        }
    }

    private static string Json<T>(T item) => System.Text.Json.JsonSerializer.Serialize(item, Domain.DomainJson.Options);
}
