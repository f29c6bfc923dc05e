using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.Incidents;

/// <summary>Who filed the report: the source of the information.</summary>
public enum ReporterRole
{
    Provider,
    Deployer,
    User,
    Public,
    Media,
    Authority,
}

/// <summary>Report types of EU AI Act Art. 73(5) practice.</summary>
public enum ReportType
{
    Initial,
    FollowUp,
    CombinedInitialFinal,
    Final,
    FinalNonReportable,
}

/// <summary>Who a notification goes to: an authority, or (EU AI Act Art. 26(5)) the provider.</summary>
public enum Recipient
{
    MarketSurveillanceAuthority,
    AiOffice,
    NationalCompetentAuthority,
    DataProtectionAuthority,
    CyberspaceAdministration,
    SectoralRegulator,
    LawEnforcement,
    Provider,
}

/// <summary>How the AI system relates to the harm.</summary>
public enum CausalRelation
{
    DirectCause,
    ContributingFactor,
    FailedToPrevent,
    InstrumentOfMisuse,
    Undetermined,
}

public enum EvidenceKind
{
    Logs,
    ModelSnapshot,
    PromptTranscript,
    SensorData,
    Dataset,
    Document,
    Media,
    Other,
}

public enum RiskFramework
{
    EuAiAct,
    NistAiRmf,
    IsoIec42001,
    Caict,
}

public enum Likelihood
{
    Rare,
    Unlikely,
    Possible,
    Likely,
    AlmostCertain,
}

public enum Impact
{
    Negligible,
    Minor,
    Moderate,
    Major,
    Severe,
}

/// <summary>The level at which a risk is felt (seed 001): individual, society or humanity.</summary>
public enum RiskScope
{
    Individual,
    Society,
    Humanity,
}

/// <summary>Whether responsibility is presumed (e.g. a causation presumption) or established on evidence.</summary>
public enum AccountabilityStanding
{
    Presumed,
    Established,
}

public enum AssignmentStatus
{
    Pending,
    Acknowledged,
    Disputed,
    Withdrawn,
    Superseded,
}

public enum AdjudicationForum
{
    Regulator,
    Court,
    Arbitration,
}

public enum CorrectiveActionKind
{
    Patch,
    Rollback,
    Filter,
    Retraining,
    HumanOversight,
    UserNotice,
    Suspension,
    Withdrawal,
    Recall,
    Other,
}

public enum CorrectiveActionStatus
{
    Planned,
    InProgress,
    Completed,
}

public enum LossConfidence
{
    Alleged,
    Estimated,
    Confirmed,
}

/// <summary>Who pays compensation (seeds 001/003 remedies).</summary>
public enum PayerKind
{
    LiableParty,
    Insurer,
    NoFaultScheme,
    CompensationFund,
}

public enum RegulatoryActionKind
{
    Inspection,
    Warning,
    Order,
    Fine,
    SuspensionOrder,
    WithdrawalOrder,
    RecallOrder,
}

public enum LinkKind
{
    DuplicateOf,
    RelatedTo,
    CausedBy,
    SameAsExternal,
}

public enum ExternalDatabase
{
    Aiid,
    OecdAim,
    Avid,
    MitreAtlas,
    Press,
    Court,
    Other,
}

public enum IncidentResolution
{
    Resolved,
    Duplicate,
    NotAiRelated,
    NoHarm,
    ReportWithdrawn,
}

public enum IncidentStatus
{
    None,
    Open,
    Closed,
}

/// <summary>An incident's classification: its level on the OECD ladder, the EU criteria met and the harm types.</summary>
public sealed record Classification(OecdLevel Level, IReadOnlyList<EuCriterion> EuCriteria, IReadOnlyList<HarmType> HarmTypes)
{
    public bool IsEuSerious => EuCriteria.Count > 0;
}

/// <summary>How the AI relates to the harm: the relation, a statement, and where the failure originated.</summary>
public sealed record CausalLink(CausalRelation Relation, string Statement, LifecycleStage? OriginStage = null, RiskOrigin? RiskOrigin = null);

/// <summary>
/// An AI system involved in an incident as it stood when the report was made: the executor fills it
/// from the system's stream (see AiSystems.AiSystem.Involvement), so the incident records the
/// version, tier and supply chain that applied at the time.
/// </summary>
public sealed record InvolvedSystem(
    Guid SystemId,
    string Name,
    string Version,
    Guid ProviderId,
    IReadOnlyList<Guid> DeployerIds,
    EuRiskTier Tier,
    Guid? FoundationModelId = null,
    EuRiskTier? FoundationModelTier = null)
{
    public bool HasTier(EuRiskTier tier) => Tier == tier;

    public bool HasModelTier(EuRiskTier tier) => Tier == tier || FoundationModelTier == tier;
}

/// <summary>What a report amendment changes; a null field is unchanged.</summary>
public sealed record IncidentRevision(
    string? Title = null,
    string? Description = null,
    DateTimeOffset? OccurredAt = null,
    DateTimeOffset? BecameAwareAt = null,
    IReadOnlyList<string>? Jurisdictions = null,
    IReadOnlyList<InvolvedSystem>? Systems = null,
    Sector? Sector = null,
    Classification? Classification = null,
    int? PeopleAffected = null,
    CausalLink? CausalLink = null);

/// <summary>A party's final share of responsibility as adjudicated.</summary>
public sealed record AdjudicatedShare(Guid PartyId, PartyRole Role, AccountabilityBasis Basis, decimal SharePercent);
