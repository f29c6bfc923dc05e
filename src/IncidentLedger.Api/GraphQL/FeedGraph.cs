using System.Runtime.CompilerServices;
using System.Text.Json;
using IncidentLedger.Domain;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.ReadModels;
using IncidentLedger.EventStore.Sealing;
using IncidentLedger.EventStore.Streams;
using IncidentLedger.EventStore.Writing;
using IncidentLedger.GraphQL;
using IncidentLedger.GraphQL.Execution;
using IncidentLedger.GraphQL.Types;
using Marten;

namespace IncidentLedger.Api.GraphQL;

/// <summary>
/// The ledger's live feeds (schema/graphql/ledger.graphql's Subscription): each follows the sealed log
/// (<see cref="SealedLogFeed"/>) from a position and passes on only what the subscriber may see, decided per event
/// on the stream's current snapshot by the same rules as the queries (<see cref="IncidentAccess"/>).
/// </summary>
public static class FeedGraph
{
    /// <summary>How often an exposure subscriber's exposure is read again while the log is moving (the liability projection follows the log within moments).</summary>
    private static readonly TimeSpan ExposureRecheck = TimeSpan.FromMilliseconds(500);

    /// <summary>How long after the last sealed event the exposure is still read again, so a projection that lags the log is waited for.</summary>
    private static readonly TimeSpan ExposureSettle = TimeSpan.FromSeconds(15);

    private static readonly string Reported = DomainEvents.Describe(typeof(IncidentReported)).Name;
    private static readonly string Breached = DomainEvents.Describe(typeof(ReportingClockBreached)).Name;

    public sealed record LedgerEventView(long Position, Guid EventId, string StreamType, Guid StreamId, long Version, string Type, DateTimeOffset RecordedAt, string Hash, string Actor, JsonElement Data);

    public sealed record IncidentUpdateView(long Position, LedgerEventView Event);

    public sealed record ExposureChangeView(long Position, ExposureReport Exposure);

    public sealed record NewIncidentView(long Position, RegisterRow Entry);

    public sealed record DeadlineBreachView(
        long Position, Guid IncidentId, string IncidentTitle, string ClockId, string RuleId, string Citation, string Jurisdiction,
        DateTimeOffset DueAt, DateTimeOffset BreachedAt, Guid? LateNotificationId);

    public static SchemaBuilder BindFeeds(this SchemaBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .BindSubscription("Subscription", "ledgerEvents", c => LedgerEvents(c))
            .BindSubscription("Subscription", "incidentUpdates", c => IncidentUpdates(c))
            .BindSubscription("Subscription", "exposureChanges", c => ExposureChanges(c))
            .BindSubscription("Subscription", "newIncidents", c => NewIncidents(c))
            .BindSubscription("Subscription", "deadlineBreaches", c => DeadlineBreaches(c))
            .BindResolver("IncidentUpdate", "incident", c =>
            {
                var update = (IncidentUpdateView)c.Parent!;
                return LedgerGraph.IncidentDetailAsync(c, update.Event.StreamId, asOf: null, logSize: update.Position + 1);
            });
    }

    /// <summary>The log position an SSE message carries as its id: the position of whatever root field it answers.</summary>
    public static string? PositionOf(ResultMap data) =>
        data.Values.FirstOrDefault() is ResultMap root && root.TryGetValue("position", out var position) && position is not null
            ? Convert.ToString(position, System.Globalization.CultureInfo.InvariantCulture)
            : null;

    private static async IAsyncEnumerable<object?> LedgerEvents(IResolveContext c, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var feed = Open(c, cancellationToken);
        await foreach (var sealedEvent in feed.FollowAsync())
        {
            if (await feed.MaySeeAsync(sealedEvent.Event))
            {
                yield return View(sealedEvent);
            }
        }
    }

    private static async IAsyncEnumerable<object?> IncidentUpdates(IResolveContext c, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var incidentId = c.Argument<Guid>("incidentId");
        var feed = Open(c, cancellationToken);
        await foreach (var sealedEvent in feed.FollowAsync())
        {
            if (sealedEvent.Event.StreamId == incidentId && await feed.MaySeeAsync(sealedEvent.Event))
            {
                yield return new IncidentUpdateView(sealedEvent.Position, View(sealedEvent));
            }
        }
    }

    private static async IAsyncEnumerable<object?> NewIncidents(IResolveContext c, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var filter = LedgerGraph.Filter(c.Argument<IReadOnlyDictionary<string, object?>>("filter"), c.Argument<string>("search"));
        var feed = Open(c, cancellationToken);
        await foreach (var sealedEvent in feed.FollowAsync())
        {
            if (sealedEvent.Event.EventType == Reported && await feed.VisibleIncidentAsync(sealedEvent.Event.StreamId) is { } incident)
            {
                var entry = RegisterRow.From(new IncidentView(incident.Id, incident.State, []) { Version = incident.Version }, LedgerView.Empty);
                if (filter.Matches(entry))
                {
                    yield return new NewIncidentView(sealedEvent.Position, entry);
                }
            }
        }
    }

    private static async IAsyncEnumerable<object?> DeadlineBreaches(IResolveContext c, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var jurisdiction = LedgerGraph.JurisdictionArgument(c);
        var feed = Open(c, cancellationToken);
        await foreach (var sealedEvent in feed.FollowAsync())
        {
            if (sealedEvent.Event.EventType != Breached || await feed.VisibleIncidentAsync(sealedEvent.Event.StreamId) is not { } incident)
            {
                continue;
            }

            var breach = sealedEvent.Event.Data.Deserialize<ReportingClockBreached>(DomainJson.Options)!;
            if (incident.State.FileOrDefault is { } file && file.Clocks.TryGetValue(breach.ClockId, out var clock)
                && (jurisdiction is null || Regions.Covers(jurisdiction, clock.Jurisdiction)))
            {
                yield return new DeadlineBreachView(
                    sealedEvent.Position, file.Id, file.Title, clock.ClockId, clock.RuleId, clock.Citation, clock.Jurisdiction, breach.DueAt, breach.BreachedAt, breach.LateNotificationId);
            }
        }
    }

    private static async IAsyncEnumerable<object?> ExposureChanges(IResolveContext c, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var feed = Open(c, cancellationToken);

        // The log's size now; every sealed event after it may change the exposure once the liability projection has folded it.
        // The exposure is read after it (nothing sealed in between goes unnoticed) and before following the log, so a caller
        // who may not read exposure is refused at once.
        long seen = (await feed.Service<LedgerLog>().StatusAsync(feed.Stop)).Size;
        var exposure = await feed.ExposureAsync();
        long movedAt = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(feed.Stop);
        var following = Task.Run(
            async () =>
            {
                await foreach (var sealedEvent in feed.Service<SealedLogFeed>().FollowAsync(Volatile.Read(ref seen) - 1, stop.Token))
                {
                    Volatile.Write(ref seen, sealedEvent.Position + 1);
                    Volatile.Write(ref movedAt, Environment.TickCount64);
                }
            },
            stop.Token);

        try
        {
            string? last = null;
            while (!stop.IsCancellationRequested)
            {
                if (last is null || Environment.TickCount64 - Volatile.Read(ref movedAt) < ExposureSettle.TotalMilliseconds)
                {
                    var at = Volatile.Read(ref seen);
                    exposure = last is null ? exposure : await feed.ExposureAsync();
                    var shape = JsonSerializer.Serialize(exposure with { AsOf = default }, DomainJson.Options);
                    if (shape != last)
                    {
                        last = shape;
                        yield return new ExposureChangeView(at, exposure);
                    }
                }

                await Task.WhenAny(following, Task.Delay(ExposureRecheck, stop.Token));
                if (following.IsFaulted)
                {
                    await following;
                }
            }
        }
        finally
        {
            // The subscriber went away: stop following the log for it.
            await stop.CancelAsync();
        }
    }

    private static Follower Open(IResolveContext c, CancellationToken cancellationToken)
    {
        var after = c.Argument<long?>("after") ?? -1;
        if (after < -1)
        {
            throw new GraphQLException($"after is a log position (from 0), or -1 for the start; got {after}.", ErrorCodes.BadUserInput);
        }

        var services = c.Services ?? throw new InvalidOperationException("The GraphQL request carries no service provider.");
        return new Follower(IncidentAccess.RequireReader(c), services, services.GetRequiredService<IDocumentStore>(), after, CancellationTokenSource.CreateLinkedTokenSource(c.CancellationToken, cancellationToken).Token);
    }

    private static LedgerEventView View(SealedEvent sealedEvent)
    {
        var e = sealedEvent.Event;
        return new LedgerEventView(sealedEvent.Position, e.EventId, e.StreamType, e.StreamId, e.Version, e.EventType, e.RecordedAt, e.Hash.ToString(), e.Actor, e.Data);
    }

    /// <summary>One subscriber's view of the sealed log: where it starts, who it is, and what it may see.</summary>
    private sealed class Follower(Actor actor, IServiceProvider services, IDocumentStore store, long after, CancellationToken stop)
    {
        public Actor Actor => actor;

        public CancellationToken Stop => stop;

        public T Service<T>()
            where T : notnull => services.GetRequiredService<T>();

        public IAsyncEnumerable<SealedEvent> FollowAsync() => Service<SealedLogFeed>().FollowAsync(after, stop);

        /// <summary>Whether the subscriber may see an event: an incident's if it may see the incident, a policy's if it writes or holds it, systems' and organisations' always.</summary>
        public async Task<bool> MaySeeAsync(StoredEvent e) => e.StreamType switch
        {
            _ when actor.Role == ActorRole.Admin => true,
            StreamTypes.Incident => await VisibleIncidentAsync(e.StreamId) is not null,
            StreamTypes.Policy => await PolicyVisibleAsync(e.StreamId),
            _ => true,
        };

        /// <summary>The incident's snapshot when it is reported and the subscriber may see it (by its current state).</summary>
        public async Task<(Guid Id, Incident State, long Version)?> VisibleIncidentAsync(Guid incidentId)
        {
            await using var session = store.QuerySession();
            var snapshot = await session.LoadAsync<IncidentStream>(StreamKeys.Of(incidentId), stop);
            return snapshot?.State.FileOrDefault is { } file && await new IncidentAccess(actor, session).CanSeeAsync(file, stop)
                ? (incidentId, snapshot.State, snapshot.Version)
                : null;
        }

        public async Task<ExposureReport> ExposureAsync()
        {
            await using var session = store.QuerySession();
            return await LedgerGraph.ExposureOfAsync(session, actor, stop);
        }

        private async Task<bool> PolicyVisibleAsync(Guid policyId)
        {
            await using var session = store.QuerySession();
            var terms = (await session.LoadAsync<PolicyStream>(StreamKeys.Of(policyId), stop))?.State.TermsOrDefault;
            return terms is not null && (terms.InsurerId == actor.OrganisationId || terms.InsuredId == actor.OrganisationId);
        }
    }
}
