using System.Collections;
using IncidentLedger.Api.Auth;
using IncidentLedger.Domain;
using IncidentLedger.Domain.AiSystems;
using IncidentLedger.Domain.Crosswalks;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Organisations;
using IncidentLedger.Domain.ReadModels;
using IncidentLedger.Domain.Taxonomies;
using IncidentLedger.EventStore.Sealing;
using IncidentLedger.EventStore.Streams;
using IncidentLedger.EventStore.Writing;
using IncidentLedger.GraphQL;
using IncidentLedger.GraphQL.Execution;
using IncidentLedger.GraphQL.Types;
using Marten;

namespace IncidentLedger.Api.GraphQL;

/// <summary>
/// The ledger's records over GraphQL (schema/graphql/ledger.graphql): an incident's timeline with integrity
/// receipts and its crosswalk reports, and the registers of AI systems and organisations. Organisations and
/// systems named by a result are loaded through one DataLoader each, so a list costs one query per kind.
/// </summary>
public static class RecordsGraph
{
    /// <summary>Binds the records' resolvers and enums onto a builder that holds the log and ledger SDL.</summary>
    public static SchemaBuilder BindRecords(this SchemaBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .BindResolver("Query", "aiSystem", AiSystemAsync)
            .BindResolver("Query", "aiSystems", AiSystemsAsync)
            .BindResolver("Query", "organisation", OrganisationAsync)
            .BindResolver("Query", "organisations", OrganisationsAsync)
            .BindResolver("Incident", "reportingOrganisation", c => OrganisationOf(c, Parent<LedgerGraph.IncidentDetail>(c).ReportingOrganisationId))
            .BindResolver("Incident", "timeline", TimelineAsync)
            .BindResolver("Incident", "crosswalks", CrosswalksAsync)
            .BindResolver("RegisterEntry", "systems", c => AiSystemsOf(c, Parent<RegisterRow>(c).SystemIds))
            .BindResolver("RegisterEntry", "providers", c => OrganisationsOf(c, Parent<RegisterRow>(c).ProviderIds))
            .BindResolver("RegisterEntry", "parties", c => OrganisationsOf(c, Parent<RegisterRow>(c).PartyIds))
            .BindResolver("InvolvedSystem", "system", c => AiSystemOf(c, Parent<InvolvedSystem>(c).SystemId))
            .BindResolver("InvolvedSystem", "provider", c => OrganisationOf(c, Parent<InvolvedSystem>(c).ProviderId))
            .BindResolver("AiSystem", "provider", c => OrganisationOf(c, Parent<AiSystemView>(c).ProviderId))
            .BindResolver("AiSystem", "developer", c => OrganisationOf(c, Parent<AiSystemView>(c).DeveloperId))
            .BindResolver("AiSystem", "foundationModel", c => AiSystemOf(c, Parent<AiSystemView>(c).FoundationModelId))
            .BindResolver("SupplyChainParty", "organisation", c => OrganisationOf(c, Parent<SupplyChainParty>(c).OrganisationId))
            .BindResolver("EventActor", "organisation", c => OrganisationOf(c, Parent<EventActorView>(c).OrganisationId))
            .BindResolver("IntegrityReceipt", "inclusionProof", c => Parent<ReceiptView>(c) is { Position: not null } sealedEvent
                ? LogGraph.InclusionProofAsync(c, sealedEvent.EventId)
                : ValueTask.FromResult<object?>(null));
    }

    public sealed record OrganisationView(Guid Id, string Name, string Country, IReadOnlyList<OrganisationKind> Kinds, string? LegalIdentifier, DateTimeOffset RegisteredAt);

    public sealed record AiSystemView(
        Guid Id, string Name, string IntendedPurpose, Sector Sector, EuRiskTier RiskTier, AutonomyClass Autonomy, string CurrentVersion,
        IReadOnlyList<SystemVersion> Versions, Guid ProviderId, Guid? DeveloperId, IReadOnlyList<SupplyChainParty> SupplyChain,
        IReadOnlyList<SupplyChainParty> RemovedParties, Guid? FoundationModelId, string? FoundationModelName, IReadOnlyList<RegistrationId> Registrations,
        DateTimeOffset RegisteredAt, bool Withdrawn, AiSystemWithdrawn? Withdrawal);

    public sealed record TimelineEventView(long Version, string Type, string Summary, EventActorView Actor, DateTimeOffset RecordedAt, ReceiptView Receipt);

    public sealed record EventActorView(string Subject, string? Role, Guid? OrganisationId);

    public sealed record ReceiptView(Guid EventId, string Hash, string? Prev, long? Position, DateTimeOffset? SealedAt);

    private static async ValueTask<object?> AiSystemAsync(IResolveContext c)
    {
        RequireRegisterReader(c);
        return await AiSystemOf(c, c.Argument<Guid>("id"));
    }

    private static async ValueTask<object?> AiSystemsAsync(IResolveContext c)
    {
        RequireRegisterReader(c);
        var (provider, party, model) = (c.Argument<Guid?>("providerId"), c.Argument<Guid?>("partyId"), c.Argument<Guid?>("foundationModelId"));
        var tiers = List<EuRiskTier>(c, "riskTiers");
        var withdrawn = c.Argument<bool?>("withdrawn");
        await using var session = Service<IDocumentStore>(c).QuerySession();

        // The register of systems is small next to the event log: filtered here, with the domain's own types.
        return (await session.Query<AiSystemStream>().ToListAsync(c.CancellationToken))
            .Select(s => View(s.State))
            .OfType<AiSystemView>()
            .Where(s => provider is null || s.ProviderId == provider)
            .Where(s => party is null || s.SupplyChain.Any(p => p.OrganisationId == party))
            .Where(s => model is null || s.FoundationModelId == model)
            .Where(s => tiers is null || tiers.Contains(s.RiskTier))
            .Where(s => withdrawn is null || s.Withdrawn == withdrawn)
            .OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase)
            .ThenBy(s => s.Id)
            .ToArray();
    }

    private static async ValueTask<object?> OrganisationAsync(IResolveContext c)
    {
        RequireRegisterReader(c);
        return await OrganisationOf(c, c.Argument<Guid>("id"));
    }

    private static async ValueTask<object?> OrganisationsAsync(IResolveContext c)
    {
        RequireRegisterReader(c);
        var kinds = List<OrganisationKind>(c, "kinds");
        var country = c.Argument<string>("country")?.Trim().ToUpperInvariant();
        if (country is not null && !Regions.IsValid(country))
        {
            throw new GraphQLException($"country \"{country}\" is not a country code: use ISO 3166-1 alpha-2 (e.g. DE) or a region such as EU.", ErrorCodes.BadUserInput);
        }

        await using var session = Service<IDocumentStore>(c).QuerySession();
        return (await session.Query<OrganisationStream>().ToListAsync(c.CancellationToken))
            .Select(o => View(o.State))
            .OfType<OrganisationView>()
            .Where(o => kinds is null || o.Kinds.Any(kinds.Contains))
            .Where(o => country is null || Regions.Covers(country, o.Country))
            .OrderBy(o => o.Name, StringComparer.OrdinalIgnoreCase)
            .ThenBy(o => o.Id)
            .ToArray();
    }

    // Only a visible incident resolves (LedgerGraph's incident field), so its timeline follows the incident's visibility.
    private static async ValueTask<object?> TimelineAsync(IResolveContext c)
    {
        var incident = Parent<LedgerGraph.IncidentDetail>(c);
        await using var session = Service<IDocumentStore>(c).QuerySession();
        var timeline = await IncidentTimeline.ReadAsync(session, Service<LedgerLog>(c), incident.Id, incident.Version, c.CancellationToken);
        return timeline
            .Select(r => new TimelineEventView(
                r.Entry.Version, r.Entry.EventName, r.Entry.Summary,
                new EventActorView(r.Entry.ActorSubject, r.Entry.ActorRole is "" ? null : r.Entry.ActorRole, r.Entry.ActorOrganisation),
                r.Entry.RecordedAt,
                new ReceiptView(r.EventId, r.Entry.Hash, r.Prev, r.LogEntry?.Position, r.LogEntry?.SealedAt)))
            .ToArray();
    }

    private static async ValueTask<object?> CrosswalksAsync(IResolveContext c)
    {
        var catalogue = CrosswalkCatalogue.Default;
        var ids = List<string>(c, "ids");
        var unknown = ids?.Where(id => catalogue.Definitions.All(d => d.Id != id)).ToArray() ?? [];
        if (unknown.Length > 0)
        {
            throw new GraphQLException(
                $"There is no crosswalk {string.Join(", ", unknown.Select(id => $"\"{id}\""))}; the known crosswalks are {string.Join(", ", catalogue.Definitions.Select(d => d.Id))}.",
                ErrorCodes.BadUserInput);
        }

        var incident = Parent<LedgerGraph.IncidentDetail>(c);
        await using var session = Service<IDocumentStore>(c).QuerySession();
        var (view, ledger) = await IncidentContext.LoadAsync(session, incident.State, incident.Version, c.CancellationToken);
        var definitions = ids is null ? catalogue.Definitions : ids.Distinct(StringComparer.Ordinal).Select(id => catalogue[id]);
        return definitions.Select(d => CrosswalkRenderer.Render(d, view, ledger)).ToArray();
    }

    /// <summary>The registers of systems and organisations: every authenticated caller but an auditor, who reads the log.</summary>
    private static void RequireRegisterReader(IResolveContext c)
    {
        if (LedgerCaller.RequireActor(c).Role == ActorRole.Auditor)
        {
            throw new GraphQLException("Auditors read the transparency log and its proofs, not the registers of AI systems and organisations: use checkpoint, inclusionProof and consistencyProof.", "FORBIDDEN");
        }
    }

    internal static async ValueTask<object?> OrganisationOf(IResolveContext c, Guid? id) =>
        id is { } key ? await OrganisationLoader(c).LoadAsync(key) : null;

    internal static async ValueTask<object?> AiSystemOf(IResolveContext c, Guid? id) =>
        id is { } key ? await AiSystemLoader(c).LoadAsync(key) : null;

    // Through the same loaders as one system or organisation, so a page of entries costs one batch per kind, not one per entry.
    private static async ValueTask<object?> OrganisationsOf(IResolveContext c, IReadOnlyList<Guid> ids) =>
        (await OrganisationLoader(c).LoadManyAsync(ids)).OfType<OrganisationView>().ToArray();

    private static async ValueTask<object?> AiSystemsOf(IResolveContext c, IReadOnlyList<Guid> ids) =>
        (await AiSystemLoader(c).LoadManyAsync(ids)).OfType<AiSystemView>().ToArray();

    private static DataLoader<Guid, OrganisationView> OrganisationLoader(IResolveContext c) =>
        c.DataLoader<Guid, OrganisationView>("organisations", (keys, ct) => LoadAsync<OrganisationStream, Organisation, OrganisationView>(c, keys, View, ct));

    private static DataLoader<Guid, AiSystemView> AiSystemLoader(IResolveContext c) =>
        c.DataLoader<Guid, AiSystemView>("aiSystems", (keys, ct) => LoadAsync<AiSystemStream, AiSystem, AiSystemView>(c, keys, View, ct));

    /// <summary>One LoadMany of the snapshots for every key the request asked for while the executor had other work.</summary>
    private static async ValueTask<IReadOnlyDictionary<Guid, TView>> LoadAsync<TStream, TState, TView>(IResolveContext c, IReadOnlyList<Guid> keys, Func<TState, TView?> view, CancellationToken cancellationToken)
        where TStream : LedgerStream<TState>
        where TState : class
        where TView : class
    {
        await using var session = Service<IDocumentStore>(c).QuerySession();
        var streams = await session.LoadManyAsync<TStream>(cancellationToken, keys.Select(StreamKeys.Of));
        return streams
            .Select(s => (Id: Guid.Parse(s.Id), View: view(s.State)))
            .Where(s => s.View is not null)
            .ToDictionary(s => s.Id, s => s.View!);
    }

    private static OrganisationView? View(Organisation state) => state is Organisation.Registered r
        ? new OrganisationView(r.Registration.OrganisationId, r.Name, r.Registration.Country, r.Registration.Kinds, r.Registration.LegalIdentifier, r.Registration.RegisteredAt)
        : null;

    private static AiSystemView? View(AiSystem state) => state.ProfileOrDefault is not { } p
        ? null
        : new AiSystemView(
            p.SystemId, p.Name, p.IntendedPurpose, p.Sector, p.Tier, p.Autonomy, p.CurrentVersion, p.Versions, p.ProviderId, p.DeveloperId, p.Parties,
            p.RemovedParties, p.FoundationModelId, p.FoundationModelName, p.Registrations, p.RegisteredAt,
            state is AiSystem.Withdrawn, (state as AiSystem.Withdrawn)?.Withdrawal);

    internal static T Parent<T>(IResolveContext c) =>
        c.Parent is T parent ? parent : throw new InvalidOperationException($"{c.ParentType.Name}.{c.Field.Name} resolves on a {typeof(T).Name}, not on {c.Parent?.GetType().Name ?? "null"}.");

    private static IReadOnlyList<T>? List<T>(IResolveContext c, string name) =>
        c.Arguments.TryGetValue(name, out var value) && value is IEnumerable items and not string ? [.. items.Cast<T>()] : null;

    private static T Service<T>(IResolveContext context)
        where T : notnull => (context.Services ?? throw new InvalidOperationException("The GraphQL request carries no service provider.")).GetRequiredService<T>();
}
