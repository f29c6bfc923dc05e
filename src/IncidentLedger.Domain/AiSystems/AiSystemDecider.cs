using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.AiSystems;

/// <summary>The AI-system stream's decider: registration by the provider, versions, supply chain, tier and withdrawal.</summary>
public sealed class AiSystemDecider : IDecider<AiSystem, IAiSystemCommand, IAiSystemEvent>
{
    public static AiSystem Initial => AiSystem.None.Instance;

    public static AiSystem Evolve(AiSystem state, IAiSystemEvent @event) => AiSystem.Evolve(state, @event);

    public static IReadOnlyList<IAiSystemEvent> Decide(IAiSystemCommand command, AiSystem state)
    {
        ArgumentNullException.ThrowIfNull(command);
        Rule.Require(command.Actor is not null && !string.IsNullOrWhiteSpace(command.Actor.Subject), "command.actor_missing", $"{command.GetType().Name} names no acting subject.");
        return (command, state) switch
        {
            (RegisterAiSystem c, _) => Register(c, state),
            (_, AiSystem.None) => throw Rule.Broken("ai_system.unknown", $"AI system {command.SystemId} is not registered, so {command.GetType().Name} cannot be applied to it."),
            (WithdrawAiSystem c, AiSystem.Withdrawn w) => w.Withdrawal.Reason == c.Reason?.Trim() && w.Withdrawal.Recall == c.Recall && w.Withdrawal.WithdrawnAt == c.Now
                ? []
                : throw Withdrawn(w),
            (_, AiSystem.Withdrawn w) => throw Withdrawn(w),
            (ReleaseAiSystemVersion c, AiSystem.OnMarket m) => Release(c, m.Profile),
            (AddSupplyChainParty c, AiSystem.OnMarket m) => AddParty(c, m.Profile),
            (RemoveSupplyChainParty c, AiSystem.OnMarket m) => RemoveParty(c, m.Profile),
            (ChangeAiSystemRiskTier c, AiSystem.OnMarket m) => ChangeTier(c, m.Profile),
            (WithdrawAiSystem c, AiSystem.OnMarket m) => Withdraw(c, m.Profile),
            _ => throw Rule.Broken("command.unknown", $"{command.GetType().Name} is not an AI-system command."),
        };
    }

    private static RuleViolation Withdrawn(AiSystem.Withdrawn w) =>
        Rule.Broken("ai_system.withdrawn", $"{w.Profile.Name} was withdrawn on {Rule.Stamp(w.Withdrawal.WithdrawnAt)} ({w.Withdrawal.Reason}); a withdrawn system takes no further changes.");

    private static IReadOnlyList<IAiSystemEvent> Register(RegisterAiSystem c, AiSystem state)
    {
        var parties = new List<SupplyChainParty> { new(c.ProviderId, PartyRole.Provider) };
        if (c.DeveloperId is { } developer)
        {
            parties.Add(new SupplyChainParty(developer, PartyRole.Developer));
        }

        parties.AddRange((c.Parties ?? []).Where(p => !parties.Contains(p)));
        var registered = new AiSystemRegistered(
            c.SystemId,
            Rule.Text(c.Name, "ai_system.name_missing", "The system's name", 300),
            Rule.Text(c.Version, "ai_system.version_missing", "The system's version", 100),
            c.ProviderId,
            c.DeveloperId,
            parties.Distinct().ToArray(),
            c.Sector,
            c.Tier,
            c.Autonomy,
            Rule.Text(c.IntendedPurpose, "ai_system.purpose_missing", "The intended purpose"),
            c.FoundationModelId,
            Rule.OptionalText(c.FoundationModelName, "ai_system.name_missing", "The foundation model's name", 300),
            (c.Registrations ?? []).Select(r => r with { Value = Rule.Text(r.Value, "ai_system.registration_invalid", $"The {Codes.Of(r.Scheme)} registration id", 200) }).ToArray(),
            c.Now,
            c.Actor.Subject);
        if (state.ProfileOrDefault is { } existing)
        {
            return DomainJson.Same(existing.Original, registered)
                ? []
                : throw Rule.Broken("ai_system.already_registered", $"AI system {c.SystemId} is already registered as {existing.Name} by provider {existing.ProviderId}.");
        }

        Rule.Require(c.SystemId != Guid.Empty && c.ProviderId != Guid.Empty, "ai_system.id_missing", "A system needs its own id and its provider's organisation id.");
        Rule.Require(c.FoundationModelId != c.SystemId, "ai_system.builds_on_itself", "A system cannot be its own foundation model.");
        Rule.Require(c.FoundationModelId is not null || c.FoundationModelName is null, "ai_system.foundation_model_unregistered", $"The foundation model \"{c.FoundationModelName}\" must be registered as a system and referenced by its id.");
        var repeated = registered.Parties.Where(p => p.Role == PartyRole.Provider).Skip(1).FirstOrDefault();
        Rule.Require(repeated is null, "ai_system.second_provider", $"{registered.Name} has one provider ({c.ProviderId}); organisation {repeated?.OrganisationId} cannot also be listed as provider.");
        var scheme = registered.Registrations.GroupBy(r => r.Scheme).FirstOrDefault(g => g.Count() > 1);
        Rule.Require(scheme is null, "ai_system.registration_invalid", $"Give one {Codes.Of(scheme?.Key ?? default)} registration id.");
        switch (c.Actor.Role)
        {
            case ActorRole.Admin:
            case ActorRole.Regulator:
                break;
            case ActorRole.Operator:
                Rule.Require(c.Actor.OrganisationId == c.ProviderId, "ai_system.not_provider", $"A system is registered by its provider (organisation {c.ProviderId}); {c.Actor.Subject} acts for {c.Actor.OrganisationId}.");
                break;
            default:
                throw Rule.Broken("ai_system.role_not_permitted", $"{c.Actor.Subject} acts as {Codes.Of(c.Actor.Role)} and may not register AI systems.");
        }

        Rule.Require(
            c.Tier != EuRiskTier.Unacceptable || c.Actor.Role is ActorRole.Regulator or ActorRole.Admin,
            "ai_system.prohibited_practice",
            "A system of unacceptable risk is a prohibited practice (EU AI Act Art. 5) and is not placed on the market; only a regulator records one, for enforcement.");
        return [registered];
    }

    private static void RequireProvider(Actor actor, AiSystemProfile profile, string verb, bool regulators = false)
    {
        var allowed = actor.Role == ActorRole.Admin
            || (actor.Role == ActorRole.Operator && actor.OrganisationId == profile.ProviderId)
            || (regulators && actor.Role == ActorRole.Regulator);
        Rule.Require(allowed, "ai_system.not_provider", $"Only the provider of {profile.Name} (organisation {profile.ProviderId}){(regulators ? ", a regulator" : "")} or an admin may {verb}; {actor.Subject} acts for {actor.OrganisationId} as {Codes.Of(actor.Role)}.");
    }

    private static IReadOnlyList<IAiSystemEvent> Release(ReleaseAiSystemVersion c, AiSystemProfile profile)
    {
        RequireProvider(c.Actor, profile, "release versions");
        var version = Rule.Text(c.Version, "ai_system.version_missing", "The version", 100);
        var notes = Rule.Text(c.Notes, "ai_system.release_notes_missing", "The release notes");
        if (profile.Versions.FirstOrDefault(v => v.Version == version) is { } existing)
        {
            return existing.ReleasedAt == c.Now && existing.Notes == notes && existing.SubstantialModification == c.SubstantialModification
                ? []
                : throw Rule.Broken("ai_system.version_exists", $"{profile.Name} {version} was already released on {Rule.Stamp(existing.ReleasedAt)}; a new release needs a new version.");
        }

        return [new AiSystemVersionReleased(c.SystemId, version, notes, c.SubstantialModification, c.Now, c.Actor.Subject)];
    }

    private static IReadOnlyList<IAiSystemEvent> AddParty(AddSupplyChainParty c, AiSystemProfile profile)
    {
        var selfDeclared = c.Actor.Role == ActorRole.Operator && c.Actor.OrganisationId == c.OrganisationId && c.Role is PartyRole.Deployer or PartyRole.Distributor or PartyRole.Importer;
        if (!selfDeclared)
        {
            RequireProvider(c.Actor, profile, "add parties to its supply chain");
        }

        Rule.Require(c.OrganisationId != Guid.Empty, "ai_system.id_missing", "Name the organisation to add.");
        Rule.Require(c.Role != PartyRole.Provider, "ai_system.second_provider", $"{profile.Name} already has its provider ({profile.ProviderId}); a system has one provider.");
        var party = new SupplyChainParty(c.OrganisationId, c.Role);
        return profile.Parties.Contains(party) ? [] : [new SupplyChainPartyAdded(c.SystemId, c.OrganisationId, c.Role, c.Now, c.Actor.Subject)];
    }

    private static IReadOnlyList<IAiSystemEvent> RemoveParty(RemoveSupplyChainParty c, AiSystemProfile profile)
    {
        RequireProvider(c.Actor, profile, "remove parties from its supply chain");
        var party = new SupplyChainParty(c.OrganisationId, c.Role);
        Rule.Require(c.Role != PartyRole.Provider, "ai_system.provider_removed", $"The provider of {profile.Name} cannot be removed; register the system under its new provider instead.");
        if (!profile.Parties.Contains(party))
        {
            return profile.RemovedParties.Contains(party)
                ? []
                : throw Rule.Broken("ai_system.party_unknown", $"Organisation {c.OrganisationId} is not a {Codes.Of(c.Role)} of {profile.Name}.");
        }

        return [new SupplyChainPartyRemoved(c.SystemId, c.OrganisationId, c.Role, Rule.Text(c.Reason, "ai_system.reason_missing", "The reason"), c.Now, c.Actor.Subject)];
    }

    private static IReadOnlyList<IAiSystemEvent> ChangeTier(ChangeAiSystemRiskTier c, AiSystemProfile profile)
    {
        RequireProvider(c.Actor, profile, "change its risk tier", regulators: true);
        if (c.Tier == profile.Tier)
        {
            return [];
        }

        Rule.Require(
            c.Tier != EuRiskTier.Unacceptable || c.Actor.Role is ActorRole.Regulator or ActorRole.Admin,
            "ai_system.prohibited_practice",
            "Only a regulator finds that a system is a prohibited practice (EU AI Act Art. 5).");
        return [new AiSystemRiskTierChanged(c.SystemId, c.Tier, profile.Tier, Rule.Text(c.Rationale, "ai_system.rationale_missing", "The rationale"), c.Now, c.Actor.Subject, c.Actor.Role)];
    }

    private static IReadOnlyList<IAiSystemEvent> Withdraw(WithdrawAiSystem c, AiSystemProfile profile)
    {
        RequireProvider(c.Actor, profile, "withdraw it", regulators: true);
        return [new AiSystemWithdrawn(c.SystemId, Rule.Text(c.Reason, "ai_system.reason_missing", "The reason for withdrawal"), c.Recall, c.Now, c.Actor.Subject, c.Actor.Role)];
    }
}
