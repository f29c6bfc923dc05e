using System.Globalization;
using System.Text;
using IncidentLedger.Domain.Deadlines;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.ReadModels;

/// <summary>One incident as the regulators' register lists it.</summary>
public sealed record RegisterRow(
    Guid IncidentId,
    string Title,
    IncidentStatus Status,
    OecdLevel Level,
    IReadOnlyList<EuCriterion> EuCriteria,
    IReadOnlyList<HarmType> HarmTypes,
    Sector Sector,
    IReadOnlyList<string> Jurisdictions,
    IReadOnlyList<Guid> SystemIds,
    IReadOnlyList<string> SystemNames,
    IReadOnlyList<Guid> ProviderIds,
    IReadOnlyList<string> ProviderNames,
    IReadOnlyList<Guid> PartyIds,
    ReporterRole ReporterRole,
    DateTimeOffset OccurredAt,
    DateTimeOffset BecameAwareAt,
    DateTimeOffset ReportedAt,
    DateTimeOffset? ClosedAt,
    int? PeopleAffected,
    int Deaths,
    int Injuries,
    int RunningClocks,
    int BreachedClocks,
    DateTimeOffset? NextDueAt,
    bool Disputed,
    long Version,
    string SearchText)
{
    /// <summary>The register row of an incident, naming organisations from <paramref name="view"/>.</summary>
    public static RegisterRow From(IncidentView incident, LedgerView view)
    {
        var file = incident.File;
        var providers = file.Systems.Select(s => s.ProviderId).Distinct().ToArray();
        var running = file.Clocks.Values.Where(c => c.Status == ClockStatus.Running).ToArray();
        var losses = file.CurrentLosses.ToArray();
        var row = new RegisterRow(
            file.Id,
            file.Title,
            incident.State.Status,
            file.Classification.Level,
            file.Classification.EuCriteria,
            file.Classification.HarmTypes,
            file.Sector,
            file.Jurisdictions,
            file.Systems.Select(s => s.SystemId).ToArray(),
            file.Systems.Select(s => s.Name).ToArray(),
            providers,
            providers.Select(view.NameOf).ToArray(),
            file.CurrentShares.Select(s => s.PartyId).Distinct().ToArray(),
            file.ReporterRole,
            file.OccurredAt,
            file.BecameAwareAt,
            file.ReportedAt,
            incident.State is Incident.Closed closed ? closed.Closure.ClosedAt : null,
            file.PeopleAffected,
            losses.Sum(l => l.Deaths),
            losses.Sum(l => l.Injuries),
            running.Length,
            file.Clocks.Values.Count(c => c.Status == ClockStatus.Breached),
            running.Length == 0 ? null : running.Min(c => c.DueAt),
            file.Adjudication is null && file.Assignments.Any(a => a.Status == AssignmentStatus.Disputed),
            incident.Version,
            "");
        return row with { SearchText = SearchTextOf(file, row) };
    }

    private static string SearchTextOf(IncidentFile file, RegisterRow row) =>
        string.Join(' ', new[] { file.Title, file.Description, file.CausalLink.Statement }.Concat(row.SystemNames).Concat(row.ProviderNames).Concat(row.Jurisdictions))
            .ToLowerInvariant();
}

/// <summary>The register's orders (IncidentOrder in schema/graphql/ledger.graphql): each broken by the incident id.</summary>
public enum RegisterSort
{
    ReportedAtDesc,
    ReportedAtAsc,
    OccurredAtDesc,
    SeverityDesc,
    NextDeadlineAsc,
    Title,
}

/// <summary>A register query: every list filters by "any of", every given field must match, dates are inclusive ranges.</summary>
public sealed record RegisterFilter(
    IReadOnlyList<string>? Jurisdictions = null,
    IReadOnlyList<Sector>? Sectors = null,
    IReadOnlyList<Guid>? SystemIds = null,
    IReadOnlyList<Guid>? ProviderIds = null,
    IReadOnlyList<Guid>? PartyIds = null,
    IReadOnlyList<OecdLevel>? Levels = null,
    IReadOnlyList<EuCriterion>? EuCriteria = null,
    IReadOnlyList<HarmType>? HarmTypes = null,
    IReadOnlyList<IncidentStatus>? Statuses = null,
    DateTimeOffset? OccurredFrom = null,
    DateTimeOffset? OccurredTo = null,
    DateTimeOffset? BecameAwareFrom = null,
    DateTimeOffset? BecameAwareTo = null,
    DateTimeOffset? ReportedFrom = null,
    DateTimeOffset? ReportedTo = null,
    string? Text = null,
    bool? HasBreachedClock = null,
    bool? Disputed = null)
{
    public bool Matches(RegisterRow row) =>
        (Jurisdictions is null || row.Jurisdictions.Any(j => Jurisdictions.Any(f => Regions.Covers(f, j))))
        && (Sectors is null || Sectors.Contains(row.Sector))
        && (SystemIds is null || row.SystemIds.Any(SystemIds.Contains))
        && (ProviderIds is null || row.ProviderIds.Any(ProviderIds.Contains))
        && (PartyIds is null || row.PartyIds.Any(PartyIds.Contains))
        && (Levels is null || Levels.Contains(row.Level))
        && (EuCriteria is null || row.EuCriteria.Any(EuCriteria.Contains))
        && (HarmTypes is null || row.HarmTypes.Any(HarmTypes.Contains))
        && (Statuses is null || Statuses.Contains(row.Status))
        && (OccurredFrom is null || row.OccurredAt >= OccurredFrom)
        && (OccurredTo is null || row.OccurredAt <= OccurredTo)
        && (BecameAwareFrom is null || row.BecameAwareAt >= BecameAwareFrom)
        && (BecameAwareTo is null || row.BecameAwareAt <= BecameAwareTo)
        && (ReportedFrom is null || row.ReportedAt >= ReportedFrom)
        && (ReportedTo is null || row.ReportedAt <= ReportedTo)
        && (string.IsNullOrWhiteSpace(Text) || Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).All(word => row.SearchText.Contains(word.ToLowerInvariant(), StringComparison.Ordinal)))
        && (HasBreachedClock is null || (row.BreachedClocks > 0) == HasBreachedClock)
        && (Disputed is null || row.Disputed == Disputed);
}

/// <summary>A page of register rows (Relay-style cursor paging) with the total and counts by status.</summary>
public sealed record RegisterPage(IReadOnlyList<RegisterRow> Rows, int TotalCount, string? EndCursor, bool HasNextPage, IReadOnlyDictionary<IncidentStatus, int> CountsByStatus);

/// <summary>The regulators' register: rows from the ledger view, and queries over them.</summary>
public static class Register
{
    public static IReadOnlyList<RegisterRow> Rows(LedgerView view) =>
        view.ReportedIncidents.Select(i => RegisterRow.From(i, view)).ToArray();

    /// <summary>Filters, sorts (with the incident id as tie-breaker, so order is total) and pages.</summary>
    public static RegisterPage Query(IEnumerable<RegisterRow> rows, RegisterFilter filter, RegisterSort sort = RegisterSort.ReportedAtDesc, string? after = null, int first = 50)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(first, 1);
        var matching = Sort(rows.Where(filter.Matches), sort).ToArray();
        var start = 0;
        if (after is not null)
        {
            var afterId = DecodeCursor(after);
            start = Array.FindIndex(matching, r => r.IncidentId == afterId) + 1;
            if (start == 0)
            {
                throw new ArgumentException($"Cursor \"{after}\" does not point at a row of this result; start again without a cursor.", nameof(after));
            }
        }

        var page = matching.Skip(start).Take(first).ToArray();
        return new RegisterPage(
            page,
            matching.Length,
            page.Length == 0 ? null : EncodeCursor(page[^1].IncidentId),
            start + page.Length < matching.Length,
            matching.GroupBy(r => r.Status).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count()));
    }

    private static IEnumerable<RegisterRow> Sort(IEnumerable<RegisterRow> rows, RegisterSort sort) => sort switch
    {
        RegisterSort.ReportedAtAsc => rows.OrderBy(r => r.ReportedAt).ThenBy(r => r.IncidentId),
        RegisterSort.OccurredAtDesc => rows.OrderByDescending(r => r.OccurredAt).ThenBy(r => r.IncidentId),
        RegisterSort.SeverityDesc => rows.OrderByDescending(r => r.Level).ThenByDescending(r => r.ReportedAt).ThenBy(r => r.IncidentId),
        RegisterSort.NextDeadlineAsc => rows.OrderBy(r => r.NextDueAt ?? DateTimeOffset.MaxValue).ThenBy(r => r.IncidentId),
        RegisterSort.Title => rows.OrderBy(r => r.Title, StringComparer.Ordinal).ThenBy(r => r.IncidentId),
        _ => rows.OrderByDescending(r => r.ReportedAt).ThenBy(r => r.IncidentId),
    };

    public static string EncodeCursor(Guid incidentId) => Convert.ToBase64String(Encoding.UTF8.GetBytes("incident:" + incidentId.ToString("N", CultureInfo.InvariantCulture)));

    public static Guid DecodeCursor(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            if (text.StartsWith("incident:", StringComparison.Ordinal) && Guid.TryParseExact(text["incident:".Length..], "N", out var id))
            {
                return id;
            }
        }
        catch (FormatException)
        {
        }

        throw new ArgumentException($"\"{cursor}\" is not a register cursor.", nameof(cursor));
    }
}
