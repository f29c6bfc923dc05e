using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.Incidents;

/// <summary>Record that a report was sent to an authority. The ledger time is the notification time.</summary>
public sealed record NotifyRegulator(
    Guid IncidentId,
    Guid NotificationId,
    Recipient Authority,
    string AuthorityName,
    string Jurisdiction,
    ReportType ReportType,
    string? Reference,
    Actor Actor,
    DateTimeOffset Now) : IIncidentCommand;

public sealed record RegulatorNotified(
    Guid IncidentId,
    Guid NotificationId,
    Recipient Authority,
    string AuthorityName,
    string Jurisdiction,
    ReportType ReportType,
    string? Reference,
    DateTimeOffset NotifiedAt,
    Guid NotifiedByOrganisationId,
    string NotifiedBy) : IIncidentEvent;

/// <summary>Record that a deployer informed the provider of a system (EU AI Act Art. 26(5)).</summary>
public sealed record NotifyProvider(
    Guid IncidentId,
    Guid NotificationId,
    Guid ProviderId,
    ReportType ReportType,
    string? Reference,
    Actor Actor,
    DateTimeOffset Now) : IIncidentCommand;

public sealed record ProviderNotified(
    Guid IncidentId,
    Guid NotificationId,
    Guid ProviderId,
    ReportType ReportType,
    string? Reference,
    DateTimeOffset NotifiedAt,
    Guid NotifiedByOrganisationId,
    string NotifiedBy) : IIncidentEvent;

/// <summary>Record the breach of every running reporting clock that is past due at <see cref="Now"/> (a scheduler sends this).</summary>
public sealed record CheckReportingClocks(Guid IncidentId, Actor Actor, DateTimeOffset Now) : IIncidentCommand;

/// <summary>A reporting obligation started to run: which rule (and rule-set version) applies and when the report is due.</summary>
public sealed record ReportingClockStarted(
    Guid IncidentId,
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
    DateTimeOffset DueAt) : IIncidentEvent;

/// <summary>A reclassification (or corrected awareness time) changed which rule applies or when the report is due.</summary>
public sealed record ReportingClockRecomputed(
    Guid IncidentId,
    string ClockId,
    string RuleId,
    string RuleSetVersion,
    string Title,
    string Citation,
    DateTimeOffset StartsAt,
    DateTimeOffset DueAt,
    string PreviousRuleId,
    DateTimeOffset PreviousDueAt,
    string Reason) : IIncidentEvent;

/// <summary>The right notification arrived in time.</summary>
public sealed record ReportingClockMet(
    Guid IncidentId,
    string ClockId,
    Guid NotificationId,
    DateTimeOffset MetAt,
    DateTimeOffset DueAt) : IIncidentEvent;

/// <summary>The clock ran out: either a check found it past due, or the notification arrived late (<see cref="LateNotificationId"/>).</summary>
public sealed record ReportingClockBreached(
    Guid IncidentId,
    string ClockId,
    DateTimeOffset DueAt,
    DateTimeOffset BreachedAt,
    Guid? LateNotificationId) : IIncidentEvent;

/// <summary>The obligation no longer applies (reclassified, or a final non-reportable report).</summary>
public sealed record ReportingClockWithdrawn(
    Guid IncidentId,
    string ClockId,
    string Reason,
    DateTimeOffset WithdrawnAt) : IIncidentEvent;
