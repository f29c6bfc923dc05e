namespace IncidentLedger.Domain.Taxonomies;

// The closed vocabularies rules depend on. Each enum is bound to a taxonomy file in schema/rules/
// (labels, definitions, sources and mappings live there); TaxonomyCatalogue checks at load that the
// data and these enums name exactly the same codes (snake_case in JSON).

/// <summary>Kind of event on the OECD ladder, in increasing order; a near miss is a hazard.</summary>
public enum OecdLevel
{
    Hazard,
    SeriousHazard,
    Incident,
    SeriousIncident,
    Disaster,
}

/// <summary>EU AI Act Art. 3(49) serious-incident criteria, with death apart (Art. 73(4)), plus widespread infringement (Art. 3(61)).</summary>
public enum EuCriterion
{
    Death,
    SeriousHarmToHealth,
    CriticalInfrastructureDisruption,
    FundamentalRightsInfringement,
    SeriousPropertyOrEnvironmentalHarm,
    WidespreadInfringement,
}

/// <summary>Kinds of harm (OECD, seeds 001-003).</summary>
public enum HarmType
{
    Physical,
    Psychological,
    Economic,
    Property,
    Environmental,
    Reputational,
    Privacy,
    NonDiscrimination,
    HumanDignity,
    Disinformation,
    DemocraticProcesses,
    CriticalInfrastructure,
    IntellectualProperty,
    DataLeak,
    ModelTheft,
    CyberAttack,
}

/// <summary>Sector an AI system is used in.</summary>
public enum Sector
{
    Healthcare,
    Transport,
    Finance,
    Employment,
    Justice,
    Education,
    Energy,
    Manufacturing,
    ContentServices,
    PublicAdministration,
    Other,
}

/// <summary>Lifecycle stage where a failure originated (seeds 001/002).</summary>
public enum LifecycleStage
{
    Design,
    Data,
    ModelBuilding,
    TestingValidation,
    Deployment,
    OperationMonitoring,
    Retirement,
}

/// <summary>Role an organisation holds for an AI system along the supply chain.</summary>
public enum PartyRole
{
    Developer,
    Provider,
    Deployer,
    Importer,
    Distributor,
    DataProvider,
    CloudProvider,
    EndUser,
    AuthorisedRepresentative,
}

/// <summary>Why a party is held accountable (seed 003's fault tracing).</summary>
public enum AccountabilityBasis
{
    DesignDefect,
    DataDefect,
    HardwareFault,
    OperatorMisuse,
    UserMisuse,
    PlatformDuty,
    InadequateOversight,
    ThirdPartyAttack,
    Unknown,
}

/// <summary>EU AI Act risk tier of a system or model.</summary>
public enum EuRiskTier
{
    Unacceptable,
    High,
    Limited,
    Minimal,
    Gpai,
    GpaiSystemicRisk,
}

/// <summary>First axis of the CAICT 3×3 severity grade (seed 000).</summary>
public enum AutonomyClass
{
    Assistive,
    HumanMachineHybrid,
    FullyAutonomous,
}

/// <summary>Second axis of the CAICT 3×3 severity grade (seed 000).</summary>
public enum CaictGrade
{
    LowMedium,
    High,
    VeryHigh,
}

/// <summary>Whether a risk arises inside the system (内生) or from its use (衍生).</summary>
public enum RiskOrigin
{
    Endogenous,
    Derived,
}

/// <summary>A CAICT severity grade: the autonomy class of the system and the grade of the harm.</summary>
public sealed record SeverityGrade(AutonomyClass Autonomy, CaictGrade Grade)
{
    public override string ToString() => $"{Codes.Of(Autonomy)}/{Codes.Of(Grade)}";
}
