namespace IncidentLedger.Domain.Incidents;

/// <summary>Record a corrective action (or its progress: planned → in progress → completed).</summary>
public sealed record RecordCorrectiveAction(
    Guid IncidentId,
    Guid ActionId,
    CorrectiveActionKind Kind,
    CorrectiveActionStatus Status,
    string Description,
    Guid? SystemId,
    Actor Actor,
    DateTimeOffset Now) : IIncidentCommand;

public sealed record CorrectiveActionRecorded(
    Guid IncidentId,
    Guid ActionId,
    CorrectiveActionKind Kind,
    CorrectiveActionStatus Status,
    string Description,
    Guid? SystemId,
    DateTimeOffset RecordedAt,
    Guid RecordedByOrganisationId,
    string RecordedBy) : IIncidentEvent;

/// <summary>A regulator records an action it took: inspection, warning, order, fine, suspension, withdrawal or recall order.</summary>
public sealed record TakeRegulatoryAction(
    Guid IncidentId,
    Guid ActionId,
    RegulatoryActionKind Kind,
    string Authority,
    string Jurisdiction,
    Guid? AgainstPartyId,
    Money? Fine,
    string Description,
    string? Reference,
    Actor Actor,
    DateTimeOffset Now) : IIncidentCommand;

public sealed record RegulatoryActionTaken(
    Guid IncidentId,
    Guid ActionId,
    RegulatoryActionKind Kind,
    string Authority,
    string Jurisdiction,
    Guid? AgainstPartyId,
    Money? Fine,
    string Description,
    string? Reference,
    DateTimeOffset TakenAt,
    string TakenBy,
    Guid TakenByOrganisationId) : IIncidentEvent;
