namespace IncidentLedger.Domain.Incidents;

/// <summary>Record a loss (or a revised estimate superseding an earlier one).</summary>
public sealed record RecordLoss(
    Guid IncidentId,
    Guid LossId,
    int Deaths,
    int Injuries,
    Money? FinancialLoss,
    Money? PropertyDamage,
    int? PeopleAffected,
    LossConfidence Confidence,
    string Description,
    string? Source,
    Guid? Supersedes,
    Actor Actor,
    DateTimeOffset Now) : IIncidentCommand;

public sealed record LossRecorded(
    Guid IncidentId,
    Guid LossId,
    int Deaths,
    int Injuries,
    Money? FinancialLoss,
    Money? PropertyDamage,
    int? PeopleAffected,
    LossConfidence Confidence,
    string Description,
    string? Source,
    Guid? Supersedes,
    DateTimeOffset RecordedAt,
    Guid RecordedByOrganisationId,
    string RecordedBy) : IIncidentEvent;

/// <summary>Record compensation paid to those harmed.</summary>
public sealed record PayCompensation(
    Guid IncidentId,
    Guid PaymentId,
    PayerKind PayerKind,
    Guid? PayerId,
    Guid? PolicyId,
    Money Amount,
    string PaidTo,
    Actor Actor,
    DateTimeOffset Now) : IIncidentCommand;

public sealed record CompensationPaid(
    Guid IncidentId,
    Guid PaymentId,
    PayerKind PayerKind,
    Guid? PayerId,
    Guid? PolicyId,
    Money Amount,
    string PaidTo,
    DateTimeOffset PaidAt,
    string RecordedBy) : IIncidentEvent;
