namespace IncidentLedger.Domain.Policies;

public enum CoverageKind
{
    ThirdPartyLiability,
    ProductLiability,
    ProfessionalIndemnity,
    Cyber,
    FirstPartyLoss,
}

public enum PolicyLapseReason
{
    Expired,
    Cancelled,
    NonPayment,
    Replaced,
}

public interface IPolicyCommand : IDomainCommand
{
    Guid PolicyId { get; }
}

public interface IPolicyEvent
{
    Guid PolicyId { get; }
}

public sealed record BindPolicy(
    Guid PolicyId,
    string PolicyNumber,
    Guid InsurerId,
    Guid InsuredId,
    IReadOnlyList<Guid> CoveredSystems,
    IReadOnlyList<CoverageKind> Coverage,
    DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd,
    Money Limit,
    Money Retention,
    Money? Premium,
    IReadOnlyList<string> Exclusions,
    Actor Actor,
    DateTimeOffset Now) : IPolicyCommand;

/// <summary>An insurer bound cover for an insured organisation's AI systems: period, limit (aggregate) and retention (per incident).</summary>
public sealed record PolicyBound(
    Guid PolicyId,
    string PolicyNumber,
    Guid InsurerId,
    Guid InsuredId,
    IReadOnlyList<Guid> CoveredSystems,
    IReadOnlyList<CoverageKind> Coverage,
    DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd,
    Money Limit,
    Money Retention,
    Money? Premium,
    IReadOnlyList<string> Exclusions,
    DateTimeOffset BoundAt,
    string BoundBy) : IPolicyEvent;

public sealed record EndorsePolicy(
    Guid PolicyId,
    Guid EndorsementId,
    IReadOnlyList<Guid> AddSystems,
    IReadOnlyList<Guid> RemoveSystems,
    Money? NewLimit,
    Money? NewRetention,
    DateTimeOffset? NewPeriodEnd,
    string Reason,
    DateTimeOffset EffectiveAt,
    Actor Actor,
    DateTimeOffset Now) : IPolicyCommand;

/// <summary>The policy's terms changed from <see cref="EffectiveAt"/>.</summary>
public sealed record PolicyEndorsed(
    Guid PolicyId,
    Guid EndorsementId,
    IReadOnlyList<Guid> AddSystems,
    IReadOnlyList<Guid> RemoveSystems,
    Money? NewLimit,
    Money? NewRetention,
    DateTimeOffset? NewPeriodEnd,
    string Reason,
    DateTimeOffset EffectiveAt,
    DateTimeOffset EndorsedAt,
    string EndorsedBy) : IPolicyEvent;

public sealed record LapsePolicy(Guid PolicyId, PolicyLapseReason Reason, DateTimeOffset EffectiveAt, string? Note, Actor Actor, DateTimeOffset Now) : IPolicyCommand;

/// <summary>Cover ended at <see cref="EffectiveAt"/>.</summary>
public sealed record PolicyLapsed(Guid PolicyId, PolicyLapseReason Reason, DateTimeOffset EffectiveAt, string? Note, DateTimeOffset RecordedAt, string RecordedBy) : IPolicyEvent;
