using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.ReadModels;
using IncidentLedger.Domain.Taxonomies;
using Marten;

namespace IncidentLedger.EventStore.Projections;

/// <summary>One statistics bucket an incident falls in.</summary>
public sealed record StatisticsKey(string Month, Sector Sector, HarmType HarmType, OecdLevel Level);

/// <summary>The buckets of one reported incident (<see cref="IncidentStatistics.KeysOf"/>); the counts are these documents grouped by key.</summary>
public sealed record IncidentStatisticsKeys(Guid IncidentId, IReadOnlyList<StatisticsKey> Keys);

/// <summary>
/// Statistics by month × sector × harm type × level. Each incident's document names its buckets and
/// is rewritten in place when the incident changes, so a rebuild never shows counts half way.
/// </summary>
public sealed class StatisticsProjection : LedgerViewProjection<StatisticsProjection>
{
    public const string ProjectionName = "statistics";

    public override string Name => ProjectionName;

    protected override Task WriteAsync(IDocumentOperations operations, ViewChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(change);
        foreach (var incident in change.ChangedIncidents)
        {
            var keys = IncidentStatistics.KeysOf(incident.File).Select(k => new StatisticsKey(k.Month, k.Sector, k.HarmType, k.Level)).ToArray();
            operations.Store(new IncidentStatisticsKeys(incident.IncidentId, keys));
        }

        return Task.CompletedTask;
    }
}
