using IncidentLedger.Domain.ReadModels;
using JasperFx.Events.Projections;
using Marten;

namespace IncidentLedger.EventStore.Projections;

/// <summary>
/// The read models on Marten's async daemon and the documents they write, with the indexes the
/// register's filters use: jurisdiction, sector, system, provider, party, OECD level, EU criteria,
/// harm types, status, dates, and full-text search over title and description.
/// </summary>
public static class LedgerProjections
{
    public static IReadOnlyList<string> Names { get; } =
    [
        RegisterProjection.ProjectionName,
        AccountabilityProjection.ProjectionName,
        LiabilityProjection.ProjectionName,
        DeadlineProjection.ProjectionName,
        StatisticsProjection.ProjectionName,
    ];

    public static void Configure(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var shared = new SharedFolds();
        Add(options, new RegisterProjection { Shared = shared });
        Add(options, new AccountabilityProjection { Shared = shared });
        Add(options, new LiabilityProjection { Shared = shared });
        Add(options, new DeadlineProjection { Shared = shared });
        Add(options, new StatisticsProjection { Shared = shared });

        options.Schema.For<ProjectionFault>();
        options.Schema.For<ProjectionRebuild>();
        options.Schema.For<ProjectionRebuildClaim>();
        options.Schema.For<ProjectionSkip>().Index(s => s.Projection).Index(s => s.Sequence);

        options.Schema.For<RegisterRow>()
            .Identity(r => r.IncidentId)
            .Index(r => r.Status)
            .Index(r => r.Sector)
            .Index(r => r.Level)
            .Index(r => r.OccurredAt)
            .Index(r => r.ReportedAt)
            .Index(r => r.NextDueAt)
            // Containment over the identifier lists, the register's selective filters: systems, providers, parties.
            // (The categories, which match a large share of the register, are read through the order's index instead.)
            .GinIndexJsonDataMember(r => r.SystemIds)
            .GinIndexJsonDataMember(r => r.ProviderIds)
            .GinIndexJsonDataMember(r => r.PartyIds)
            .FullTextIndex(r => r.SearchText);

        options.Schema.For<IncidentAccountability>().Identity(a => a.IncidentId);
        options.Schema.For<DeadlineClock>().Index(c => c.IncidentId).Index(c => c.DueAt).Index(c => c.Status).Index(c => c.Jurisdiction);
        options.Schema.For<IncidentStatisticsKeys>().Identity(s => s.IncidentId);
        options.Schema.For<PartyExposure>().Identity(p => p.OrganisationId);
        options.Schema.For<SystemExposure>().Identity(s => s.SystemId).Index(s => s.ProviderId);
        options.Schema.For<PolicyExposure>().Identity(p => p.PolicyId).Index(p => p.InsurerId).Index(p => p.InsuredId);
        options.Schema.For<Accumulation>().Identity(a => a.FoundationModelId);
        options.Schema.For<ExposureIncident>().Identity(x => x.Id).Index(x => x.ExposureId);
    }

    /// <summary>Events per batch of most read models: larger than Marten's 500, so the per-batch work (the mark, the skips) is shared by more events.</summary>
    public const int BatchSize = 2000;

    private static void Add<TProjection>(StoreOptions options, TProjection projection)
        where TProjection : LedgerViewProjection<TProjection>
    {
        options.Schema.For<ViewMark<TProjection>>().DocumentAlias($"view_{projection.Name}_mark");
        options.Projections.Add(projection, ProjectionLifecycle.Async, projection.Name, async =>
        {
            async.BatchSize = projection.BatchSize;
            // A rebuild forgets the projection's mark (so its view is folded again); the documents readers use are rewritten in place.
            async.DeleteViewTypeOnTeardown<ViewMark<TProjection>>();
        });
    }
}
