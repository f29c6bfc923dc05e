using System.Collections.Immutable;
using IncidentLedger.Api.Auth;
using IncidentLedger.Domain;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Policies;
using IncidentLedger.Domain.ReadModels;
using IncidentLedger.EventStore.Streams;
using IncidentLedger.EventStore.Writing;
using IncidentLedger.GraphQL;
using IncidentLedger.GraphQL.Execution;
using Marten;

namespace IncidentLedger.Api.GraphQL;

/// <summary>
/// Which incidents a caller may read, by the domain's <see cref="Visibility"/> rules. A regulator's
/// jurisdictions and an admin's everything are conditions PostgreSQL applies to the register; an
/// operator's or insurer's part in an incident is decided on the incident's file (its snapshot).
/// </summary>
internal sealed class IncidentAccess(Actor actor, IQuerySession session)
{
    public Actor Actor { get; } = actor;

    /// <summary>The caller's access; anonymous callers get UNAUTHENTICATED, auditors (who read the log, not incident content) FORBIDDEN.</summary>
    public static IncidentAccess For(IResolveContext context, IQuerySession session) => new(RequireReader(context), session);

    /// <summary>The caller, when it may read incident content at all: anonymous callers get UNAUTHENTICATED, auditors FORBIDDEN.</summary>
    public static Actor RequireReader(IResolveContext context)
    {
        var actor = LedgerCaller.RequireActor(context);
        return actor.Role == ActorRole.Auditor
            ? throw new GraphQLException("Auditors read the transparency log and its proofs, not incident content: use checkpoint, inclusionProof and consistencyProof.", "FORBIDDEN")
            : actor;
    }

    /// <summary>Whether <see cref="Restrict"/> alone decides what the caller sees (admins, regulators), with no file check after.</summary>
    public bool DecidedInPostgres => Actor.Role is ActorRole.Admin or ActorRole.Regulator;

    /// <summary>The register narrowed to what PostgreSQL can decide for this caller.</summary>
    public IQueryable<RegisterRow> Restrict(IQueryable<RegisterRow> rows) => Actor.Role switch
    {
        ActorRole.Admin => rows,
        ActorRole.Regulator => RegisterSearch.AnyOf(rows, "jurisdictions", [.. Regions.CoveredBy(Actor.Jurisdictions)]),
        _ => rows,
    };

    /// <summary>Of the candidate incidents (in their order), those the caller may see.</summary>
    public async Task<IReadOnlyList<Guid>> VisibleAsync(IReadOnlyList<Guid> candidates, CancellationToken cancellationToken)
    {
        if (DecidedInPostgres || candidates.Count == 0)
        {
            return candidates;
        }

        var streams = await session.LoadManyAsync<IncidentStream>(cancellationToken, candidates.Select(StreamKeys.Of));
        var files = streams.Where(s => s.State.FileOrDefault is not null).ToDictionary(s => s.State.FileOrDefault!.Id, s => s.State.FileOrDefault!);
        var view = await ViewAsync(cancellationToken);
        return [.. candidates.Where(id => files.TryGetValue(id, out var file) && Visibility.CanSee(Actor, file, view))];
    }

    /// <summary>Every incident of the register the caller may see.</summary>
    public async Task<IReadOnlyList<Guid>> VisibleIncidentIdsAsync(CancellationToken cancellationToken) =>
        await VisibleAsync(await Restrict(session.Query<RegisterRow>()).Select(r => r.IncidentId).ToListAsync(cancellationToken), cancellationToken);

    public async Task<bool> CanSeeAsync(IncidentFile file, CancellationToken cancellationToken) =>
        Visibility.CanSee(Actor, file, await ViewAsync(cancellationToken));

    // What Visibility reads from the ledger view beyond the file itself: the policies, for insurers.
    private async Task<LedgerView> ViewAsync(CancellationToken cancellationToken)
    {
        if (Actor.Role != ActorRole.Insurer)
        {
            return LedgerView.Empty;
        }

        var policies = await session.Query<PolicyStream>().ToListAsync(cancellationToken);
        return LedgerView.Empty with
        {
            Policies = policies.Where(p => p.State.TermsOrDefault is not null).ToImmutableSortedDictionary(p => p.State.TermsOrDefault!.PolicyId, p => (Policy)p.State),
        };
    }
}
