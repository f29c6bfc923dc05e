using IncidentLedger.Domain.ReadModels;
using Marten;

namespace IncidentLedger.EventStore.Projections;

/// <summary>The read models as the projections stored them, in the domain's shapes and orders.</summary>
public static class ReadModelQueries
{
    /// <summary>Every register row, by incident id.</summary>
    public static async Task<IReadOnlyList<RegisterRow>> RegisterAsync(IQuerySession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return (await session.Query<RegisterRow>().ToListAsync(cancellationToken)).OrderBy(r => r.IncidentId).ToArray();
    }

    /// <summary>Every incident's accountability cells, by incident id.</summary>
    public static async Task<IReadOnlyList<IncidentAccountability>> AccountabilityAsync(IQuerySession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return (await session.Query<IncidentAccountability>().ToListAsync(cancellationToken)).OrderBy(a => a.IncidentId).ToArray();
    }

    /// <summary>The deadline board as it stands at <paramref name="asOf"/>.</summary>
    public static async Task<IReadOnlyList<DeadlineRow>> DeadlineBoardAsync(IQuerySession session, DateTimeOffset asOf, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var clocks = await session.Query<DeadlineClock>().ToListAsync(cancellationToken);
        return DeadlineBoard.Order(clocks.Select(c => c.RowAt(asOf)));
    }

    /// <summary>The statistics buckets, counted from each incident's keys.</summary>
    public static async Task<IReadOnlyList<StatisticsBucket>> StatisticsAsync(IQuerySession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var incidents = await session.Query<IncidentStatisticsKeys>().ToListAsync(cancellationToken);
        return IncidentStatistics.Count(incidents.SelectMany(i => i.Keys).Select(k => (k.Month, k.Sector, k.HarmType, k.Level)));
    }

    /// <summary>The liability exposure as of the liability projection's last event, in the domain report's orders.</summary>
    public static async Task<ExposureReport> ExposureAsync(IQuerySession session, DateTimeOffset asOf, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return new ExposureReport(
            asOf,
            (await session.Query<PartyExposure>().ToListAsync(cancellationToken)).OrderBy(p => p.OrganisationId).ToArray(),
            (await session.Query<SystemExposure>().ToListAsync(cancellationToken)).OrderBy(s => s.SystemId).ToArray(),
            (await session.Query<PolicyExposure>().ToListAsync(cancellationToken)).OrderBy(p => p.PolicyId).ToArray(),
            (await session.Query<Accumulation>().ToListAsync(cancellationToken)).OrderBy(a => a.FoundationModelId).ToArray());
    }

    /// <summary>The incidents each of the given policies responds to or accumulations count, in id order (none for an id without).</summary>
    public static async Task<IReadOnlyDictionary<Guid, IReadOnlyList<Guid>>> ExposureIncidentsAsync(IQuerySession session, IReadOnlyCollection<Guid> exposureIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(exposureIds);
        var ids = exposureIds.ToArray();
        var rows = await session.Query<ExposureIncident>().Where(x => x.ExposureId.IsOneOf(ids)).ToListAsync(cancellationToken);
        var byExposure = rows.ToLookup(x => x.ExposureId, x => x.IncidentId);
        return ids.Distinct().ToDictionary(id => id, id => (IReadOnlyList<Guid>)[.. byExposure[id].Order()]);
    }

    /// <summary>The accountability cells of the given incidents, by incident id.</summary>
    public static async Task<IReadOnlyList<IncidentAccountability>> AccountabilityAsync(IQuerySession session, IReadOnlyCollection<Guid> incidentIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var ids = incidentIds.ToArray();
        return (await session.Query<IncidentAccountability>().Where(a => a.IncidentId.IsOneOf(ids)).ToListAsync(cancellationToken)).OrderBy(a => a.IncidentId).ToArray();
    }

    /// <summary>The deadline board of the given incidents as it stands at <paramref name="asOf"/>.</summary>
    public static async Task<IReadOnlyList<DeadlineRow>> DeadlineBoardAsync(IQuerySession session, DateTimeOffset asOf, IReadOnlyCollection<Guid> incidentIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var ids = incidentIds.ToArray();
        var clocks = await session.Query<DeadlineClock>().Where(c => c.IncidentId.IsOneOf(ids)).ToListAsync(cancellationToken);
        return DeadlineBoard.Order(clocks.Select(c => c.RowAt(asOf)));
    }

    /// <summary>The statistics buckets of the given incidents.</summary>
    public static async Task<IReadOnlyList<StatisticsBucket>> StatisticsAsync(IQuerySession session, IReadOnlyCollection<Guid> incidentIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var ids = incidentIds.ToArray();
        var incidents = await session.Query<IncidentStatisticsKeys>().Where(s => s.IncidentId.IsOneOf(ids)).ToListAsync(cancellationToken);
        return IncidentStatistics.Count(incidents.SelectMany(i => i.Keys).Select(k => (k.Month, k.Sector, k.HarmType, k.Level)));
    }
}
