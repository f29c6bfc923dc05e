using IncidentLedger.Domain;
using IncidentLedger.Domain.Deadlines;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.ReadModels;
using IncidentLedger.Domain.Taxonomies;
using IncidentLedger.EventStore.Projections;
using IncidentLedger.EventStore.Streams;
using IncidentLedger.EventStore.Writing;
using IncidentLedger.GraphQL;
using IncidentLedger.GraphQL.Execution;
using IncidentLedger.GraphQL.Types;
using Marten;
using Npgsql;

namespace IncidentLedger.Api.GraphQL;

/// <summary>
/// The ledger's queries over GraphQL (schema/graphql/ledger.graphql, extending the log's Query): the register,
/// one incident now or as of a date or log size, accountability, deadlines, statistics and exposure, each
/// answering only with what the caller's role may see (<see cref="IncidentAccess"/>).
/// </summary>
public static class LedgerGraph
{
    /// <summary>The schema's SDL, embedded from schema/graphql/ledger.graphql.</summary>
    public static string Sdl { get; } = LogGraph.ReadSdl("GraphQL/ledger.graphql");

    /// <summary>Binds the ledger's resolvers and enums onto a builder that holds the log and ledger SDL.</summary>
    public static SchemaBuilder BindLedger(this SchemaBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .BindEnum<RegisterSort>("IncidentOrder")
            .BindResolver("Query", "incidents", IncidentsAsync)
            .BindResolver("Query", "incident", IncidentAsync)
            .BindResolver("Query", "accountability", AccountabilityAsync)
            .BindResolver("Query", "deadlines", DeadlinesAsync)
            .BindResolver("Query", "statistics", StatisticsAsync)
            .BindResolver("Query", "exposure", ExposureAsync)
            .BindResolver("PolicyExposure", "incidentIds", c => ExposureIncidentsOf(c, RecordsGraph.Parent<PolicyExposure>(c).PolicyId))
            .BindResolver("Accumulation", "incidentIds", c => ExposureIncidentsOf(c, RecordsGraph.Parent<Accumulation>(c).FoundationModelId));
    }

    public sealed record ConnectionView(int TotalCount, IReadOnlyList<EdgeView> Edges, IReadOnlyList<RegisterRow> Nodes, PageInfoView PageInfo);

    public sealed record EdgeView(string Cursor, RegisterRow Node);

    public sealed record PageInfoView(bool HasNextPage, bool HasPreviousPage, string? StartCursor, string? EndCursor);

    public sealed record IncidentDetail(
        Guid Id, long Version, DateTimeOffset? LastRecordedAt, IncidentStatus Status, string Title, string Description, string CausalStatement,
        OecdLevel Level, IReadOnlyList<EuCriterion> EuCriteria, IReadOnlyList<HarmType> HarmTypes, Sector Sector, IReadOnlyList<string> Jurisdictions,
        DateTimeOffset OccurredAt, DateTimeOffset BecameAwareAt, DateTimeOffset ReportedAt, DateTimeOffset? ClosedAt, int? PeopleAffected,
        ReporterRole ReporterRole, Guid ReportingOrganisationId, IReadOnlyList<InvolvedSystem> Systems, Incident State);

    public sealed record DeadlineView(
        Guid IncidentId, string IncidentTitle, string ClockId, string RuleId, string Citation, string Jurisdiction, PartyRole ObligedParty,
        IReadOnlyList<string> Recipients, DateTimeOffset StartsAt, DateTimeOffset DueAt, ClockStatus Status, bool BreachRecorded,
        DateTimeOffset? NotifiedAt, double OverdueSeconds, double? RemainingSeconds);

    private static async ValueTask<object?> IncidentsAsync(IResolveContext c)
    {
        await using var session = Service<IDocumentStore>(c).QuerySession();
        var access = IncidentAccess.For(c, session);
        var page = await RegisterSearch.PageAsync(
            session, Service<RegisterCounts>(c), access, Filter(c.Argument<IReadOnlyDictionary<string, object?>>("filter"), c.Argument<string>("search")),
            c.Argument<RegisterSort?>("orderBy") ?? RegisterSort.ReportedAtDesc,
            c.Argument<int?>("first"), c.Argument<string>("after"), c.Argument<int?>("last"), c.Argument<string>("before"), c.CancellationToken);
        var edges = page.Rows.Select(r => new EdgeView(Register.EncodeCursor(r.IncidentId), r)).ToArray();
        return new ConnectionView(page.TotalCount, edges, page.Rows, new PageInfoView(page.HasNextPage, page.HasPreviousPage, edges.FirstOrDefault()?.Cursor, edges.LastOrDefault()?.Cursor));
    }

    private static async ValueTask<object?> IncidentAsync(IResolveContext c)
    {
        var (id, asOf, logSize) = (c.Argument<Guid>("id"), c.Argument<DateTimeOffset?>("asOf"), c.Argument<long?>("atLogSize"));
        if (asOf is not null && logSize is not null)
        {
            throw new GraphQLException("Give asOf or atLogSize, not both: one moment to read the incident at.", ErrorCodes.BadUserInput);
        }

        if (logSize is < 0)
        {
            throw new GraphQLException($"atLogSize is a size of the transparency log (0 or more); got {logSize}.", ErrorCodes.BadUserInput);
        }

        return await IncidentDetailAsync(c, id, asOf, logSize);
    }

    /// <summary>One incident's file now, as of a moment or at a log size; null when it does not exist then or the caller may not see it.</summary>
    internal static async ValueTask<object?> IncidentDetailAsync(IResolveContext c, Guid id, DateTimeOffset? asOf, long? logSize)
    {
        await using var session = Service<IDocumentStore>(c).QuerySession();
        var access = IncidentAccess.For(c, session);
        StreamAsOf? state;
        if (asOf is { } at)
        {
            state = await StreamHistory.AsOfAsync(session, id, at, c.CancellationToken);
        }
        else if (logSize is { } size)
        {
            state = await StreamHistory.AtLogSizeAsync(session, Service<NpgsqlDataSource>(c), id, size, c.CancellationToken);
        }
        else
        {
            var key = StreamKeys.Of(id);
            var snapshot = await session.LoadAsync<IncidentStream>(key, c.CancellationToken);
            var stream = snapshot is null ? null : await session.Events.FetchStreamStateAsync(key, c.CancellationToken);
            state = snapshot is null ? null : new StreamAsOf(id, StreamTypes.Incident, snapshot.Version, stream?.LastTimestamp, snapshot.State);
        }

        if (state?.State is not Incident incident || incident.FileOrDefault is not { } file || !await access.CanSeeAsync(file, c.CancellationToken))
        {
            return null;
        }

        return new IncidentDetail(
            file.Id, state.Version, state.LastRecordedAt, incident.Status, file.Title, file.Description, file.CausalLink.Statement,
            file.Classification.Level, file.Classification.EuCriteria, file.Classification.HarmTypes, file.Sector, file.Jurisdictions,
            file.OccurredAt, file.BecameAwareAt, file.ReportedAt, incident is Incident.Closed closed ? closed.Closure.ClosedAt : null, file.PeopleAffected,
            file.ReporterRole, file.ReportingOrganisationId, file.Systems, incident);
    }

    private static async ValueTask<object?> AccountabilityAsync(IResolveContext c)
    {
        await using var session = Service<IDocumentStore>(c).QuerySession();
        var visible = await IncidentAccess.For(c, session).VisibleIncidentIdsAsync(c.CancellationToken);
        var only = c.Argument<Guid?>("incidentId");
        var ids = only is { } one ? visible.Where(v => v == one).ToArray() : visible;
        return (await ReadModelQueries.AccountabilityAsync(session, ids, c.CancellationToken)).SelectMany(a => a.Cells).ToArray();
    }

    private static async ValueTask<object?> DeadlinesAsync(IResolveContext c)
    {
        var jurisdiction = JurisdictionArgument(c);
        await using var session = Service<IDocumentStore>(c).QuerySession();
        var visible = await IncidentAccess.For(c, session).VisibleIncidentIdsAsync(c.CancellationToken);
        var board = await ReadModelQueries.DeadlineBoardAsync(session, c.Argument<DateTimeOffset?>("asOf") ?? DateTimeOffset.UtcNow, visible, c.CancellationToken);
        return board
            .Where(r => jurisdiction is null || Regions.Covers(jurisdiction, r.Jurisdiction))
            .Select(r => new DeadlineView(
                r.IncidentId, r.IncidentTitle, r.ClockId, r.RuleId, r.Citation, r.Jurisdiction, r.ObligedParty, [.. r.Recipients.Select(x => Codes.Of(x))],
                r.StartsAt, r.DueAt, r.Status, r.BreachRecorded, r.NotifiedAt, r.OverdueBy.TotalSeconds, r.Remaining?.TotalSeconds))
            .ToArray();
    }

    /// <summary>The jurisdiction argument, normalised; a code that is neither ISO 3166-1 alpha-2 nor a region is BAD_USER_INPUT.</summary>
    internal static string? JurisdictionArgument(IResolveContext c)
    {
        var jurisdiction = c.Argument<string>("jurisdiction")?.Trim().ToUpperInvariant();
        return jurisdiction is not null && !Regions.IsValid(jurisdiction)
            ? throw new GraphQLException($"jurisdiction \"{jurisdiction}\" is not a jurisdiction code: use ISO 3166-1 alpha-2 (e.g. DE) or a region such as EU.", ErrorCodes.BadUserInput)
            : jurisdiction;
    }

    private static async ValueTask<object?> StatisticsAsync(IResolveContext c)
    {
        await using var session = Service<IDocumentStore>(c).QuerySession();
        var visible = await IncidentAccess.For(c, session).VisibleIncidentIdsAsync(c.CancellationToken);
        return await ReadModelQueries.StatisticsAsync(session, visible, c.CancellationToken);
    }

    private static async ValueTask<object?> ExposureAsync(IResolveContext c)
    {
        await using var session = Service<IDocumentStore>(c).QuerySession();
        return await ExposureOfAsync(session, IncidentAccess.RequireReader(c), c.CancellationToken);
    }

    /// <summary>The incidents a policy responds to or an accumulation counts, loaded for every exposure of the request at once.</summary>
    private static async ValueTask<object?> ExposureIncidentsOf(IResolveContext c, Guid exposureId) =>
        await c.DataLoader<Guid, IReadOnlyList<Guid>>("exposureIncidents", async (keys, ct) =>
        {
            await using var session = Service<IDocumentStore>(c).QuerySession();
            return await ReadModelQueries.ExposureIncidentsAsync(session, keys, ct);
        }).LoadAsync(exposureId);

    /// <summary>The part of the liability exposure an actor may read now; regulators get FORBIDDEN.</summary>
    internal static async Task<ExposureReport> ExposureOfAsync(IQuerySession session, Actor actor, CancellationToken cancellationToken) =>
        actor.Role == ActorRole.Regulator
            ? throw new GraphQLException("Liability exposure is for insurers and the operators insured: a regulator reads incidents, accountability, deadlines and statistics, and follows newIncidents and deadlineBreaches.", "FORBIDDEN")
            : Visibility.Exposure(actor, await ReadModelQueries.ExposureAsync(session, DateTimeOffset.UtcNow, cancellationToken));

    /// <summary>The domain's register filter from the IncidentFilter argument and the search text.</summary>
    internal static RegisterFilter Filter(IReadOnlyDictionary<string, object?>? f, string? search) => f is null
        ? new RegisterFilter(Text: search)
        : new RegisterFilter(
            Jurisdictions: List<string>(f, "jurisdictions"), Sectors: List<Sector>(f, "sectors"), SystemIds: List<Guid>(f, "systemIds"), ProviderIds: List<Guid>(f, "providerIds"), PartyIds: List<Guid>(f, "partyIds"),
            Levels: List<OecdLevel>(f, "levels"), EuCriteria: List<EuCriterion>(f, "euCriteria"), HarmTypes: List<HarmType>(f, "harmTypes"), Statuses: List<IncidentStatus>(f, "statuses"),
            BecameAwareFrom: Value<DateTimeOffset?>(f, "becameAwareFrom"), BecameAwareTo: Value<DateTimeOffset?>(f, "becameAwareTo"),
            ReportedFrom: Value<DateTimeOffset?>(f, "reportedFrom"), ReportedTo: Value<DateTimeOffset?>(f, "reportedTo"),
            Text: search, HasBreachedClock: Value<bool?>(f, "hasBreachedClock"), Disputed: Value<bool?>(f, "disputed"));

    private static IReadOnlyList<T>? List<T>(IReadOnlyDictionary<string, object?> input, string name) =>
        input.TryGetValue(name, out var value) && value is System.Collections.IEnumerable items and not string ? [.. items.Cast<T>()] : null;

    private static T? Value<T>(IReadOnlyDictionary<string, object?> input, string name) =>
        input.TryGetValue(name, out var value) && value is T typed ? typed : default;

    private static T Service<T>(IResolveContext context)
        where T : notnull => (context.Services ?? throw new InvalidOperationException("The GraphQL request carries no service provider.")).GetRequiredService<T>();
}
