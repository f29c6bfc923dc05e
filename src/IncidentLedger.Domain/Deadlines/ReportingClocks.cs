using IncidentLedger.Domain.Incidents;

namespace IncidentLedger.Domain.Deadlines;

/// <summary>
/// Computes which reporting clocks an incident's classification starts, recomputes or withdraws, and
/// which clocks a notification meets or breaches. Pure: the decider appends what these return.
/// </summary>
public static class ReportingClocks
{
    public static ClockFacts FactsOf(IncidentFile file) =>
        new(file.Jurisdictions, file.Classification, file.Systems, file.ReporterRole, file.Sector);

    /// <summary>
    /// Brings the clocks in line with the incident as it now stands. A running clock follows the
    /// applicable rule (recomputed when the rule or awareness time changes) or is withdrawn when none
    /// applies; met and breached clocks are history and stay. New clocks start unless a final report
    /// has been filed.
    /// </summary>
    public static IEnumerable<IIncidentEvent> Reconcile(IncidentFile file, DateTimeOffset now, string reason, RuleCatalogue rules)
    {
        var facts = FactsOf(file);
        foreach (var clock in rules.Clocks)
        {
            var jurisdiction = clock.RuleSet.CoveredJurisdiction(file.Jurisdictions);
            var rule = jurisdiction is null ? null : clock.ApplicableRule(facts);
            file.Clocks.TryGetValue(clock.ClockId, out var existing);
            if (existing is { Status: ClockStatus.Running })
            {
                if (rule is null)
                {
                    yield return new ReportingClockWithdrawn(file.Id, clock.ClockId, $"{reason}: no rule of {clock.ClockId} applies any more", now);
                    continue;
                }

                var due = file.BecameAwareAt + rule.Duration;
                if (rule.Id != existing.RuleId || due != existing.DueAt || file.BecameAwareAt != existing.StartsAt)
                {
                    yield return new ReportingClockRecomputed(
                        file.Id, clock.ClockId, rule.Id, clock.RuleSet.Version, rule.Title, rule.Citation,
                        file.BecameAwareAt, due, existing.RuleId, existing.DueAt, reason);
                }
            }
            else if (existing is null or { Status: ClockStatus.Withdrawn } && rule is not null && !file.FinalReportFiled)
            {
                yield return new ReportingClockStarted(
                    file.Id, clock.ClockId, rule.Id, clock.RuleSet.Version, rule.Title, rule.Citation, jurisdiction!,
                    clock.Definition.ObligedParty, clock.Definition.MetBy.Recipients, clock.Definition.MetBy.ReportTypes,
                    file.BecameAwareAt, file.BecameAwareAt + rule.Duration);
            }
        }
    }

    /// <summary>The running clocks a notification satisfies: met when in time, breached when late.</summary>
    public static IEnumerable<IIncidentEvent> OnNotification(
        IncidentFile file, Recipient recipient, string? jurisdiction, ReportType reportType, Guid notificationId, DateTimeOffset at, RuleCatalogue rules)
    {
        foreach (var clock in file.Clocks.Values.Where(c => c.Status == ClockStatus.Running))
        {
            if (!clock.Recipients.Contains(recipient) || !clock.AcceptedReports.Contains(reportType))
            {
                continue;
            }

            if (jurisdiction is not null && !(rules.FindClock(clock.ClockId)?.RuleSet.AppliesToAny([jurisdiction]) ?? Regions.Covers(jurisdiction, clock.Jurisdiction)))
            {
                continue;
            }

            yield return at <= clock.DueAt
                ? new ReportingClockMet(file.Id, clock.ClockId, notificationId, at, clock.DueAt)
                : new ReportingClockBreached(file.Id, clock.ClockId, clock.DueAt, at, notificationId);
        }
    }

    /// <summary>Breaches of every running clock past due at <paramref name="now"/>.</summary>
    public static IEnumerable<IIncidentEvent> Overdue(IncidentFile file, DateTimeOffset now) =>
        file.Clocks.Values
            .Where(c => c.Status == ClockStatus.Running && now > c.DueAt)
            .Select(c => new ReportingClockBreached(file.Id, c.ClockId, c.DueAt, now, null));
}
