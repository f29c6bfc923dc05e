using IncidentLedger.Domain.Deadlines;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.ReadModels;

/// <summary>One reporting clock, as of a date.</summary>
public sealed record DeadlineRow(
    Guid IncidentId,
    string IncidentTitle,
    string ClockId,
    string RuleId,
    string Citation,
    string Jurisdiction,
    PartyRole ObligedParty,
    IReadOnlyList<Recipient> Recipients,
    DateTimeOffset StartsAt,
    DateTimeOffset DueAt,
    ClockStatus Status,
    bool BreachRecorded,
    DateTimeOffset? NotifiedAt,
    TimeSpan OverdueBy,
    TimeSpan? Remaining);

/// <summary>
/// Every clock with its due time and state, overdue first: clocks past due with no notification yet
/// (most overdue first), then running clocks (soonest due first), then late, met and withdrawn ones.
/// </summary>
public static class DeadlineBoard
{
    public static IReadOnlyList<DeadlineRow> Compute(LedgerView view, DateTimeOffset asOf) =>
        Order(view.ReportedIncidents.SelectMany(i => i.File.Clocks.Values.Select(c => Row(i.File, c, asOf))));

    /// <summary>The board's order: overdue and unnotified, running, late, met, withdrawn; then by how overdue, due time and id.</summary>
    public static IReadOnlyList<DeadlineRow> Order(IEnumerable<DeadlineRow> rows) =>
        rows
            .OrderBy(Rank)
            .ThenByDescending(r => r.OverdueBy)
            .ThenBy(r => r.DueAt)
            .ThenBy(r => r.IncidentId)
            .ThenBy(r => r.ClockId, StringComparer.Ordinal)
            .ToArray();

    public static DeadlineRow Row(IncidentFile file, ReportingClock clock, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(file);
        return Row(file.Id, file.Title, clock, asOf);
    }

    /// <summary>A clock of incident <paramref name="incidentId"/> as it stands at <paramref name="asOf"/>.</summary>
    public static DeadlineRow Row(Guid incidentId, string incidentTitle, ReportingClock clock, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var status = clock.StatusAt(asOf);
        return new DeadlineRow(
            incidentId, incidentTitle, clock.ClockId, clock.RuleId, clock.Citation, clock.Jurisdiction, clock.ObligedParty, clock.Recipients,
            clock.StartsAt, clock.DueAt, status, clock.Status == ClockStatus.Breached, clock.NotifiedAt, clock.OverdueBy(asOf),
            status == ClockStatus.Running ? clock.DueAt - asOf : null);
    }

    private static int Rank(DeadlineRow row) => row.Status switch
    {
        ClockStatus.Breached when row.NotifiedAt is null => 0,
        ClockStatus.Running => 1,
        ClockStatus.Breached => 2,
        ClockStatus.Met => 3,
        _ => 4,
    };
}
