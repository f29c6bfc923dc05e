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
    DateTimeOffset? MetAt,
    TimeSpan OverdueBy,
    TimeSpan? Remaining);

/// <summary>Every clock with its due time and state, overdue first.</summary>
public static class DeadlineBoard
{
    public static IReadOnlyList<DeadlineRow> Compute(LedgerView view, DateTimeOffset asOf) =>
        view.ReportedIncidents
            .SelectMany(i => i.File.Clocks.Values.Select(c => Row(i.File, c, asOf)))
            .OrderBy(r => Rank(r.Status))
            .ThenByDescending(r => r.OverdueBy)
            .ThenBy(r => r.DueAt)
            .ThenBy(r => r.IncidentId)
            .ThenBy(r => r.ClockId, StringComparer.Ordinal)
            .ToArray();

    public static DeadlineRow Row(IncidentFile file, ReportingClock clock, DateTimeOffset asOf)
    {
        var status = clock.StatusAt(asOf);
        return new DeadlineRow(
            file.Id, file.Title, clock.ClockId, clock.RuleId, clock.Citation, clock.Jurisdiction, clock.ObligedParty, clock.Recipients,
            clock.StartsAt, clock.DueAt, status, clock.Status == ClockStatus.Breached, clock.MetAt, clock.OverdueBy(asOf),
            status == ClockStatus.Running ? clock.DueAt - asOf : null);
    }

    private static int Rank(ClockStatus status) => status switch
    {
        ClockStatus.Breached => 0,
        ClockStatus.Running => 1,
        ClockStatus.Met => 2,
        _ => 3,
    };
}
