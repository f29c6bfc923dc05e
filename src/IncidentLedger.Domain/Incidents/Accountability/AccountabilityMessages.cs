using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.Incidents;

/// <summary>Hold a party accountable for a share of the incident.</summary>
public sealed record AssignAccountability(
    Guid IncidentId,
    Guid AssignmentId,
    Guid PartyId,
    PartyRole Role,
    AccountabilityBasis Basis,
    decimal SharePercent,
    AccountabilityStanding Standing,
    string Rationale,
    Actor Actor,
    DateTimeOffset Now) : IIncidentCommand;

public sealed record AccountabilityAssigned(
    Guid IncidentId,
    Guid AssignmentId,
    Guid PartyId,
    PartyRole Role,
    AccountabilityBasis Basis,
    decimal SharePercent,
    AccountabilityStanding Standing,
    string Rationale,
    DateTimeOffset AssignedAt,
    string AssignedBy,
    ActorRole AssignedByRole,
    Guid AssignedByOrganisationId) : IIncidentEvent;

/// <summary>The assigned party accepts its assignment.</summary>
public sealed record AcknowledgeAccountability(Guid IncidentId, Guid AssignmentId, string Statement, Actor Actor, DateTimeOffset Now) : IIncidentCommand;

public sealed record AccountabilityAcknowledged(
    Guid IncidentId,
    Guid AssignmentId,
    Guid PartyId,
    string Statement,
    DateTimeOffset AcknowledgedAt,
    string AcknowledgedBy) : IIncidentEvent;

/// <summary>The assigned party disputes its assignment, with grounds.</summary>
public sealed record DisputeAccountability(
    Guid IncidentId,
    Guid AssignmentId,
    string Grounds,
    decimal? ProposedSharePercent,
    Actor Actor,
    DateTimeOffset Now) : IIncidentCommand;

public sealed record AccountabilityDisputed(
    Guid IncidentId,
    Guid AssignmentId,
    Guid PartyId,
    string Grounds,
    decimal? ProposedSharePercent,
    DateTimeOffset DisputedAt,
    string DisputedBy) : IIncidentEvent;

/// <summary>Withdraw an assignment made in error, freeing its share.</summary>
public sealed record WithdrawAccountability(Guid IncidentId, Guid AssignmentId, string Reason, Actor Actor, DateTimeOffset Now) : IIncidentCommand;

public sealed record AccountabilityWithdrawn(
    Guid IncidentId,
    Guid AssignmentId,
    string Reason,
    DateTimeOffset WithdrawnAt,
    string WithdrawnBy) : IIncidentEvent;

/// <summary>A regulator records a decision (its own, a court's or an arbitrator's) fixing the final shares.</summary>
public sealed record AdjudicateAccountability(
    Guid IncidentId,
    Guid AdjudicationId,
    AdjudicationForum Forum,
    string DecisionReference,
    IReadOnlyList<AdjudicatedShare> Shares,
    string Rationale,
    Actor Actor,
    DateTimeOffset Now) : IIncidentCommand;

public sealed record AccountabilityAdjudicated(
    Guid IncidentId,
    Guid AdjudicationId,
    AdjudicationForum Forum,
    string DecisionReference,
    IReadOnlyList<AdjudicatedShare> Shares,
    string Rationale,
    DateTimeOffset AdjudicatedAt,
    string AdjudicatedBy,
    Guid AdjudicatedByOrganisationId) : IIncidentEvent;
