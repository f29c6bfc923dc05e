using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.AiSystems;

/// <summary>Register or filing schemes an AI system can be listed under.</summary>
public enum RegistrationScheme
{
    /// <summary>The EU database for high-risk AI systems (EU AI Act Art. 49, 71).</summary>
    EuDatabase,

    /// <summary>China's algorithm filing (算法备案).</summary>
    CnAlgorithmFiling,

    /// <summary>China's generative AI service filing (生成式人工智能服务备案).</summary>
    CnGenerativeAiFiling,

    Other,
}

/// <summary>An organisation's role for a system.</summary>
public sealed record SupplyChainParty(Guid OrganisationId, PartyRole Role);

/// <summary>An id under a registration scheme, e.g. the EU database id or a Chinese filing number.</summary>
public sealed record RegistrationId(RegistrationScheme Scheme, string Value);

public interface IAiSystemCommand : IDomainCommand
{
    Guid SystemId { get; }
}

public interface IAiSystemEvent
{
    Guid SystemId { get; }
}

public sealed record RegisterAiSystem(
    Guid SystemId,
    string Name,
    string Version,
    Guid ProviderId,
    Guid? DeveloperId,
    IReadOnlyList<SupplyChainParty> Parties,
    Sector Sector,
    EuRiskTier Tier,
    AutonomyClass Autonomy,
    string IntendedPurpose,
    Guid? FoundationModelId,
    string? FoundationModelName,
    IReadOnlyList<RegistrationId> Registrations,
    Actor Actor,
    DateTimeOffset Now) : IAiSystemCommand;

/// <summary>An AI system was registered with its supply chain, sector, EU tier, autonomy class, foundation model and registration ids.</summary>
public sealed record AiSystemRegistered(
    Guid SystemId,
    string Name,
    string Version,
    Guid ProviderId,
    Guid? DeveloperId,
    IReadOnlyList<SupplyChainParty> Parties,
    Sector Sector,
    EuRiskTier Tier,
    AutonomyClass Autonomy,
    string IntendedPurpose,
    Guid? FoundationModelId,
    string? FoundationModelName,
    IReadOnlyList<RegistrationId> Registrations,
    DateTimeOffset RegisteredAt,
    string RegisteredBy) : IAiSystemEvent;

public sealed record ReleaseAiSystemVersion(Guid SystemId, string Version, string Notes, bool SubstantialModification, Actor Actor, DateTimeOffset Now) : IAiSystemCommand;

/// <summary>A new version was released; a substantial modification (EU AI Act Art. 3(23)) calls for a new conformity assessment.</summary>
public sealed record AiSystemVersionReleased(Guid SystemId, string Version, string Notes, bool SubstantialModification, DateTimeOffset ReleasedAt, string ReleasedBy) : IAiSystemEvent;

public sealed record AddSupplyChainParty(Guid SystemId, Guid OrganisationId, PartyRole Role, Actor Actor, DateTimeOffset Now) : IAiSystemCommand;

public sealed record SupplyChainPartyAdded(Guid SystemId, Guid OrganisationId, PartyRole Role, DateTimeOffset AddedAt, string AddedBy) : IAiSystemEvent;

public sealed record RemoveSupplyChainParty(Guid SystemId, Guid OrganisationId, PartyRole Role, string Reason, Actor Actor, DateTimeOffset Now) : IAiSystemCommand;

public sealed record SupplyChainPartyRemoved(Guid SystemId, Guid OrganisationId, PartyRole Role, string Reason, DateTimeOffset RemovedAt, string RemovedBy) : IAiSystemEvent;

public sealed record ChangeAiSystemRiskTier(Guid SystemId, EuRiskTier Tier, string Rationale, Actor Actor, DateTimeOffset Now) : IAiSystemCommand;

/// <summary>The system's EU risk tier changed (e.g. a model designated as having systemic risk, Art. 52).</summary>
public sealed record AiSystemRiskTierChanged(Guid SystemId, EuRiskTier Tier, EuRiskTier PreviousTier, string Rationale, DateTimeOffset ChangedAt, string ChangedBy, ActorRole ChangedByRole) : IAiSystemEvent;

public sealed record WithdrawAiSystem(Guid SystemId, string Reason, bool Recall, Actor Actor, DateTimeOffset Now) : IAiSystemCommand;

/// <summary>The system was withdrawn from the market (or recalled from users).</summary>
public sealed record AiSystemWithdrawn(Guid SystemId, string Reason, bool Recall, DateTimeOffset WithdrawnAt, string WithdrawnBy, ActorRole WithdrawnByRole) : IAiSystemEvent;
