using System.Runtime.CompilerServices;
using IncidentLedger.Api.Log;
using IncidentLedger.EventStore;
using IncidentLedger.EventStore.Sealing;
using IncidentLedger.GraphQL;
using IncidentLedger.GraphQL.Execution;
using IncidentLedger.GraphQL.Server;
using IncidentLedger.GraphQL.Types;

namespace IncidentLedger.Api.GraphQL;

/// <summary>
/// The transparency log over GraphQL (schema/graphql/log.graphql): checkpoints, proofs, status and a live feed of
/// sealed events, served at /graphql with subscriptions over WebSocket and SSE and the GraphiQL IDE for browsers.
/// </summary>
public static class LogGraph
{
    /// <summary>The schema's SDL, embedded from schema/graphql/log.graphql.</summary>
    public static string Sdl { get; } = ReadSdl("GraphQL/log.graphql");

    /// <summary>The served schema: the log's SDL extended by the ledger's (schema/graphql/ledger.graphql), with both resolvers bound.</summary>
    public static Schema BuildSchema() => SchemaBuilder.FromSdl(Sdl)
        .AddSdl(LedgerGraph.Sdl)
        .BindDomainEnums(Sdl, LedgerGraph.Sdl)
        .BindLog()
        .BindLedger()
        .BindRecords()
        .BindMutations()
        .BindFeeds()
        .Build();

    /// <summary>Binds the log's resolvers.</summary>
    public static SchemaBuilder BindLog(this SchemaBuilder builder) => builder
        .UseDefaultResolvers()
        .BindResolver("Query", "checkpoint", async c => View(await Service<LedgerLog>(c).LatestCheckpointAsync(c.CancellationToken)))
        .BindResolver("Query", "checkpointAt", async c => View(await Service<LedgerLog>(c).CheckpointAsync(c.Argument<long>("size"), c.CancellationToken)))
        .BindResolver("Query", "verifierKeys", async c => await Service<LedgerExport>(c).VerifierKeysAsync(c.CancellationToken))
        .BindResolver("Query", "logEntry", async c => View(await Service<LedgerLog>(c).EntryAsync(c.Argument<Guid>("eventId"), c.CancellationToken)))
        .BindResolver("Query", "inclusionProof", InclusionProofAsync)
        .BindResolver("Query", "consistencyProof", ConsistencyProofAsync)
        .BindResolver("Query", "status", StatusAsync)
        .BindSubscription("Subscription", "sealedEvents", c => SealedEvents(c));

    /// <summary>Maps /graphql (the log and the ledger): resumable subscriptions (an SSE client's Last-Event-ID is the position it saw last).</summary>
    public static IEndpointConventionBuilder MapLedgerGraphQL(this IEndpointRouteBuilder endpoints, string pattern = "/graphql") =>
        endpoints.MapGraphQL(pattern, new Executor(BuildSchema()), new GraphQLServerOptions
        {
            // The log is public, but only an authenticated caller (a valid bearer token) may introspect the schema, ledger and log alike.
            IntrospectionForAuthenticatedOnly = true,
            OnConnect = Auth.LedgerAuthentication.AuthenticateConnectionAsync,
            ResumeVariable = "after",
            EventId = result => result.Data is ResultMap data ? FeedGraph.PositionOf(data) : null,
            Ide = IdeExamples.Options(endpoints.ServiceProvider, DefaultQuery),
        });

    private const string DefaultQuery = """
        # The latest signed checkpoint and how far the ledger is behind.
        query Log {
          checkpoint { origin size rootHash issuedAt cosignatures { witness cosignedAt } }
          status {
            log { size unsealed oldestUnsealedSeconds }
            projections { name sequence lagEvents status error stoppedAt }
            outbox { outgoing incoming dead }
          }
        }

        # The register as a regulator reads it (needs an Authorization: Bearer header with a regulator's token).
        query Register {
          incidents(filter: { jurisdictions: ["EU"], levels: [SERIOUS_INCIDENT, DISASTER] }, search: "driver assistance", first: 20) {
            totalCount
            edges { cursor node { incidentId title jurisdictions level status reportedAt nextDueAt } }
            pageInfo { hasNextPage endCursor }
          }
          deadlines { incidentTitle jurisdiction status dueAt overdueSeconds }
        }
        """;

    public sealed record CheckpointView(string Origin, long Size, string RootHash, string Note, DateTimeOffset IssuedAt, IReadOnlyList<CosignatureView> Cosignatures, string CosignedNote);

    public sealed record CosignatureView(string Witness, string KeyId, DateTimeOffset CosignedAt, DateTimeOffset ReceivedAt, string Line);

    public sealed record LogEntryView(long Position, Guid EventId, Guid StreamId, long Version, string EventHash, DateTimeOffset SealedAt);

    public sealed record InclusionProofView(LogEntryView Entry, long TreeSize, string LeafHash, IReadOnlyList<string> Path, CheckpointView Checkpoint);

    public sealed record ConsistencyProofView(long First, long Second, IReadOnlyList<string> Path);

    public sealed record SealedEventView(long Position, Guid EventId, string StreamType, Guid StreamId, long Version, string Type, int SchemaVersion, DateTimeOffset RecordedAt, string Hash);

    public sealed record SealingStatusView(long Size, long Unsealed, double OldestUnsealedSeconds, double OldestWriterSeconds, long? CheckpointSize);

    public sealed record LedgerStatusView(SealingStatusView Log, IReadOnlyList<ProjectionProgress> Projections, MessageDepth Outbox);

    private static ValueTask<object?> InclusionProofAsync(IResolveContext c) => InclusionProofAsync(c, c.Argument<Guid>("eventId"));

    /// <summary>The inclusion proof of the event in the checkpoint the field's treeSize argument names (the latest when absent); null until one covers it.</summary>
    internal static async ValueTask<object?> InclusionProofAsync(IResolveContext c, Guid eventId)
    {
        var treeSize = c.Argument<long?>("treeSize");
        if (treeSize is < 1)
        {
            throw new GraphQLException($"treeSize must be at least 1; got {treeSize}.", ErrorCodes.BadUserInput);
        }

        var proof = await Service<LedgerLog>(c).InclusionProofAsync(eventId, treeSize, c.CancellationToken);
        return proof is null ? null : new InclusionProofView(View(proof.Entry)!, proof.TreeSize, proof.LeafHash.ToString(), [.. proof.Path.Select(h => h.ToString())], View(proof.Checkpoint)!);
    }

    private static async ValueTask<object?> ConsistencyProofAsync(IResolveContext c)
    {
        var (first, second) = (c.Argument<long>("first"), c.Argument<long>("second"));
        var (proof, problem) = await LedgerHealth.ConsistencyAsync(Service<LedgerLog>(c), first, second, c.CancellationToken);
        return proof is null
            ? throw new GraphQLException(problem!, ErrorCodes.BadUserInput)
            : new ConsistencyProofView(first, second, [.. proof.Path.Select(h => h.ToString())]);
    }

    private static async ValueTask<object?> StatusAsync(IResolveContext c)
    {
        var health = await LedgerHealth.ReadAsync(Services(c), c.CancellationToken);
        var seal = health.Log;
        return new LedgerStatusView(
            new SealingStatusView(seal.Size, seal.Unsealed, seal.OldestUnsealedSeconds, seal.OldestWriterSeconds, seal.LatestCheckpoint?.Checkpoint.Size),
            health.Projections,
            health.Messages);
    }

    private static async IAsyncEnumerable<object?> SealedEvents(IResolveContext c, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var after = c.Argument<long?>("after") ?? -1;
        if (after < -1)
        {
            throw new GraphQLException($"after is a log position (from 0), or -1 for the start; got {after}.", ErrorCodes.BadUserInput);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(c.CancellationToken, cancellationToken);
        await foreach (var sealedEvent in Service<SealedLogFeed>(c).FollowAsync(after, stop.Token))
        {
            var e = sealedEvent.Event;
            yield return new SealedEventView(sealedEvent.Position, e.EventId, e.StreamType, e.StreamId, e.Version, e.EventType, e.SchemaVersion, e.RecordedAt, e.Hash.ToString());
        }
    }

    private static CheckpointView? View(StoredCheckpoint? stored) => stored is null
        ? null
        : new CheckpointView(stored.Checkpoint.Origin, stored.Checkpoint.Size, stored.Checkpoint.Root.ToString(), stored.Note, stored.IssuedAt,
            [.. stored.Cosignatures.Select(c => new CosignatureView(c.Witness, c.KeyId.ToString("x8"), DateTimeOffset.FromUnixTimeSeconds(c.CosignedAt), c.ReceivedAt, c.ToSignature().ToLine().TrimEnd('\n')))],
            stored.CosignedNote);

    private static LogEntryView? View(LogEntry? entry) => entry is null
        ? null
        : new LogEntryView(entry.Position, entry.EventId, entry.StreamId, entry.Version, entry.EventHash.ToString(), entry.SealedAt);

    private static T Service<T>(IResolveContext context)
        where T : notnull => Services(context).GetRequiredService<T>();

    private static IServiceProvider Services(IResolveContext context) =>
        context.Services ?? throw new InvalidOperationException("The GraphQL request carries no service provider.");

    internal static string ReadSdl(string resource)
    {
        using var stream = typeof(LogGraph).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"schema/graphql/{resource["GraphQL/".Length..]} is not embedded in the API assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
