using System.Text.Json.Serialization;
using System.Collections.Immutable;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.AiSystems;

/// <summary>A released version of a system.</summary>
public sealed record SystemVersion(string Version, DateTimeOffset ReleasedAt, string Notes, bool SubstantialModification);

/// <summary>What the ledger knows about an AI system.</summary>
public sealed record AiSystemProfile(
    Guid SystemId,
    string Name,
    Guid ProviderId,
    Guid? DeveloperId,
    Sector Sector,
    EuRiskTier Tier,
    AutonomyClass Autonomy,
    string IntendedPurpose,
    Guid? FoundationModelId,
    string? FoundationModelName,
    IReadOnlyList<RegistrationId> Registrations,
    DateTimeOffset RegisteredAt,
    AiSystemRegistered Original)
{
    public ImmutableList<SupplyChainParty> Parties { get; init; } = [];

    public ImmutableList<SupplyChainParty> RemovedParties { get; init; } = [];

    public ImmutableList<SystemVersion> Versions { get; init; } = [];

    public string CurrentVersion => Versions[^1].Version;

    public IEnumerable<Guid> Deployers => Parties.Where(p => p.Role == PartyRole.Deployer).Select(p => p.OrganisationId);

    /// <summary>
    /// The system as an incident records it: this version, tier and supply chain, and the tier of the
    /// foundation model it builds on (pass that model's profile when it is registered).
    /// </summary>
    public InvolvedSystem Involvement(string? version = null, AiSystemProfile? foundationModel = null)
    {
        var chosen = version ?? CurrentVersion;
        Rule.Require(Versions.Any(v => v.Version == chosen), "ai_system.version_unknown", $"{Name} has no version {chosen}; released: {string.Join(", ", Versions.Select(v => v.Version))}.");
        Rule.Require(foundationModel is null || foundationModel.SystemId == FoundationModelId, "ai_system.foundation_model_mismatch", $"{Name} builds on {FoundationModelId?.ToString() ?? "no foundation model"}, not {foundationModel?.SystemId}.");
        return new InvolvedSystem(SystemId, Name, chosen, ProviderId, [.. Deployers], Tier, FoundationModelId, foundationModel?.Tier);
    }
}

/// <summary>The AI-system stream's state: not registered, on the market, or withdrawn.</summary>
// Snapshots store the state as JSON, tagged with its case.
[JsonPolymorphic(TypeDiscriminatorPropertyName = "case")]
[JsonDerivedType(typeof(None), "none")]
[JsonDerivedType(typeof(OnMarket), "onmarket")]
[JsonDerivedType(typeof(Withdrawn), "withdrawn")]
public abstract record AiSystem
{
    private protected AiSystem()
    {
    }

    [JsonIgnore] // Derived from the case: a snapshot stores the case alone.
    public AiSystemProfile? ProfileOrDefault => this switch
    {
        OnMarket m => m.Profile,
        Withdrawn w => w.Profile,
        _ => null,
    };

    public sealed record None : AiSystem
    {
        public static None Instance { get; } = new();
    }

    public sealed record OnMarket(AiSystemProfile Profile) : AiSystem;

    public sealed record Withdrawn(AiSystemProfile Profile, AiSystemWithdrawn Withdrawal) : AiSystem;

    public static AiSystem Evolve(AiSystem state, IAiSystemEvent @event) => (state, @event) switch
    {
        (None, AiSystemRegistered e) => new OnMarket(new AiSystemProfile(
            e.SystemId, e.Name, e.ProviderId, e.DeveloperId, e.Sector, e.Tier, e.Autonomy, e.IntendedPurpose, e.FoundationModelId,
            e.FoundationModelName, e.Registrations, e.RegisteredAt, e)
        {
            Parties = [.. e.Parties],
            Versions = [new SystemVersion(e.Version, e.RegisteredAt, "Initial registration", false)],
        }),
        (OnMarket m, AiSystemWithdrawn e) => new Withdrawn(m.Profile, e),
        (OnMarket m, _) => new OnMarket(Apply(m.Profile, @event)),
        (Withdrawn w, _) => w with { Profile = Apply(w.Profile, @event) },
        _ => state,
    };

    private static AiSystemProfile Apply(AiSystemProfile profile, IAiSystemEvent @event) => @event switch
    {
        AiSystemVersionReleased e => profile with { Versions = profile.Versions.Add(new SystemVersion(e.Version, e.ReleasedAt, e.Notes, e.SubstantialModification)) },
        SupplyChainPartyAdded e => profile with
        {
            Parties = profile.Parties.Add(new SupplyChainParty(e.OrganisationId, e.Role)),
            RemovedParties = profile.RemovedParties.Remove(new SupplyChainParty(e.OrganisationId, e.Role)),
        },
        SupplyChainPartyRemoved e => profile with
        {
            Parties = profile.Parties.Remove(new SupplyChainParty(e.OrganisationId, e.Role)),
            RemovedParties = profile.RemovedParties.Add(new SupplyChainParty(e.OrganisationId, e.Role)),
        },
        AiSystemRiskTierChanged e => profile with { Tier = e.Tier },
        _ => profile,
    };
}
