using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.Deadlines;

/// <summary>A clock is running, met (the right notification arrived in time), breached, or withdrawn (the rule stopped applying). Never both met and breached.</summary>
public enum ClockStatus
{
    Running,
    Met,
    Breached,
    Withdrawn,
}

/// <summary>One reporting obligation of one incident, as the ledger recorded it.</summary>
public sealed record ReportingClock(
    string ClockId,
    string RuleId,
    string RuleSetVersion,
    string Title,
    string Citation,
    string Jurisdiction,
    PartyRole ObligedParty,
    IReadOnlyList<Recipient> Recipients,
    IReadOnlyList<ReportType> AcceptedReports,
    DateTimeOffset StartsAt,
    DateTimeOffset DueAt,
    ClockStatus Status,
    DateTimeOffset? MetAt = null,
    Guid? MetBy = null,
    DateTimeOffset? BreachedAt = null,
    Guid? LateNotificationId = null,
    string? WithdrawnReason = null,
    DateTimeOffset? NotifiedAt = null)
{
    /// <summary>True once a notification that satisfies the clock has arrived (in time or late).</summary>
    public bool Notified => NotifiedAt is not null;

    /// <summary>The status as of <paramref name="asOf"/>: a running clock past its due time counts as breached even before a check records it.</summary>
    public ClockStatus StatusAt(DateTimeOffset asOf) =>
        Status == ClockStatus.Running && asOf > DueAt ? ClockStatus.Breached : Status;

    /// <summary>How long past due the clock is at <paramref name="asOf"/>, or was when the late notification came (zero when met, withdrawn or not yet due).</summary>
    public TimeSpan OverdueBy(DateTimeOffset asOf) => Status switch
    {
        ClockStatus.Running when asOf > DueAt => asOf - DueAt,
        ClockStatus.Breached => (NotifiedAt ?? asOf) - DueAt,
        _ => TimeSpan.Zero,
    };
}
