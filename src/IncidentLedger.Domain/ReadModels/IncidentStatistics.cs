using System.Globalization;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.ReadModels;

/// <summary>A statistics bucket: incidents that occurred in a month, in a sector, with a harm type, at a level of the OECD ladder.</summary>
public sealed record StatisticsBucket(string Month, Sector Sector, HarmType HarmType, OecdLevel Level, int Count);

/// <summary>Counts by month × sector × harm type × classification. An incident with several harm types counts once in each.</summary>
public static class IncidentStatistics
{
    public static IReadOnlyList<StatisticsBucket> Compute(LedgerView view) => Compute(view.ReportedIncidents.Select(i => i.File));

    public static IReadOnlyList<StatisticsBucket> Compute(IEnumerable<IncidentFile> files) => Count(files.SelectMany(KeysOf));

    /// <summary>The buckets of the given keys (one per incident and harm type), counted and ordered.</summary>
    public static IReadOnlyList<StatisticsBucket> Count(IEnumerable<(string Month, Sector Sector, HarmType HarmType, OecdLevel Level)> keys) =>
        keys
            .GroupBy(k => k)
            .Select(g => new StatisticsBucket(g.Key.Month, g.Key.Sector, g.Key.HarmType, g.Key.Level, g.Count()))
            .OrderBy(b => b.Month, StringComparer.Ordinal)
            .ThenBy(b => b.Sector)
            .ThenBy(b => b.HarmType)
            .ThenBy(b => b.Level)
            .ToArray();

    /// <summary>The buckets one incident falls in (what an incremental projection removes and re-adds when the incident changes).</summary>
    public static IEnumerable<(string Month, Sector Sector, HarmType HarmType, OecdLevel Level)> KeysOf(IncidentFile file) =>
        file.Classification.HarmTypes.Select(h => (file.OccurredAt.ToUniversalTime().ToString("yyyy-MM", CultureInfo.InvariantCulture), file.Sector, h, file.Classification.Level));
}
