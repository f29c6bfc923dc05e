using System.Linq.Expressions;
using System.Text.Json;
using IncidentLedger.Domain;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.ReadModels;
using IncidentLedger.Domain.Taxonomies;
using IncidentLedger.EventStore;
using IncidentLedger.GraphQL;
using Marten;

namespace IncidentLedger.Api.GraphQL;

/// <summary>A page of the register: the rows, their cursors, and the count over every page.</summary>
public sealed record RegisterResult(IReadOnlyList<RegisterRow> Rows, int TotalCount, bool HasNextPage, bool HasPreviousPage);

/// <summary>
/// The register query in PostgreSQL: every condition of the filter and the full-text search become
/// conditions of one Marten query over the register rows (the lists as jsonb containment, the enums as
/// their stored codes, dates and flags through LINQ), ordered with the incident id as tie-breaker.
/// </summary>
internal static class RegisterSearch
{
    public const int MaxPageSize = 100;

    // The OECD ladder's order, for sorting by severity: codes are the stored enum values, ranks their order.
    private static readonly string LevelRank =
        "CASE d.data ->> 'level' " + string.Join(" ", Enum.GetValues<OecdLevel>().Select(l => $"WHEN '{Codes.Of(l)}' THEN {(int)l}")) + " END";

    public const int DefaultPageSize = 20;

    /// <summary>The full-text condition on a register row <c>d</c> (^ the search words): the expression of the register's full-text index, so PostgreSQL can use it.</summary>
    internal const string SearchCondition = "to_tsvector('english'::regconfig, d.data ->> 'searchText') @@ plainto_tsquery('english'::regconfig, ^)";

    /// <summary>One page of the register: first (after a cursor) counts forward, last (before a cursor) backward.</summary>
    public static async Task<RegisterResult> PageAsync(
        IQuerySession session, RegisterCounts counts, IncidentAccess access, RegisterFilter filter, RegisterSort order,
        int? first, string? after, int? last, string? before, CancellationToken cancellationToken)
    {
        if (first is not null && last is not null)
        {
            throw new GraphQLException("Give first (with after) to page forward or last (with before) to page backward, not both.", ErrorCodes.BadUserInput);
        }

        var size = first ?? last ?? DefaultPageSize;
        if (size is < 1 or > MaxPageSize)
        {
            throw new GraphQLException($"{(last is null ? "first" : "last")} must be from 1 to {MaxPageSize}; got {size}.", ErrorCodes.BadUserInput);
        }

        var (afterId, beforeId) = (Decode(after, "after", "endCursor"), Decode(before, "before", "startCursor"));
        var matching = Where(access.Restrict(session.Query<RegisterRow>()), filter);
        var query = Ordered(matching, order);
        if (afterId is null && beforeId is null && last is null && access.DecidedInPostgres)
        {
            // The first page when PostgreSQL decides visibility: the page reads the order's index and stops at its size, and
            // the count, only needed when the page is full, counts the matches once per state of the register.
            var firstPage = await query.Take(size).ToListAsync(cancellationToken);
            var total = firstPage.Count < size ? firstPage.Count : await counts.CountAsync(session, matching, cancellationToken);
            return new RegisterResult(firstPage, total, firstPage.Count < total, false);
        }

        // Otherwise the ordered ids of the result, then the page between the cursors (and, for operators and insurers, the file check).
        var candidates = await query.Select(r => r.IncidentId).ToListAsync(cancellationToken);
        var visible = await access.VisibleAsync(candidates, cancellationToken);
        var from = afterId is { } a ? Position(visible, a, after!, "after") + 1 : 0;
        var to = beforeId is { } b ? Position(visible, b, before!, "before") : visible.Count;
        if (to < from)
        {
            throw new GraphQLException("The before cursor comes ahead of the after cursor in this result: no incident lies between them.", ErrorCodes.BadUserInput);
        }

        var (pageStart, pageEnd) = last is null ? (from, Math.Min(to, from + size)) : (Math.Max(from, to - size), to);
        var pageIds = visible.Skip(pageStart).Take(pageEnd - pageStart).ToArray();
        var loaded = (await session.LoadManyAsync<RegisterRow>(cancellationToken, pageIds)).ToDictionary(r => r.IncidentId);
        return new RegisterResult([.. pageIds.Where(loaded.ContainsKey).Select(i => loaded[i])], visible.Count, pageEnd < visible.Count, pageStart > 0);
    }

    private static Guid? Decode(string? cursor, string argument, string source)
    {
        if (cursor is null)
        {
            return null;
        }

        try
        {
            return Register.DecodeCursor(cursor);
        }
        catch (ArgumentException e)
        {
            throw new GraphQLException($"{argument}: {e.Message.Split(" (Parameter", 2)[0]} Pass the {source} of a page of this query, or leave {argument} out.", ErrorCodes.BadUserInput);
        }
    }

    private static int Position(IReadOnlyList<Guid> ids, Guid id, string cursor, string argument)
    {
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i] == id)
            {
                return i;
            }
        }

        throw new GraphQLException($"The {argument} cursor \"{cursor}\" does not point at an incident of this result (the filter, search or order changed, or the incident is not visible to you). Start again without {argument}.", ErrorCodes.BadUserInput);
    }

    private static IQueryable<RegisterRow> Where(IQueryable<RegisterRow> rows, RegisterFilter f)
    {
        rows = AnyOf(rows, "jurisdictions", f.Jurisdictions is null ? null : Regions.CoveredBy(f.Jurisdictions.Select(j => j.Trim().ToUpperInvariant())));
        rows = OneOf(rows, "sector", f.Sectors);
        rows = AnyOf(rows, "systemIds", f.SystemIds?.Select(Id).ToArray(), selective: true);
        rows = AnyOf(rows, "providerIds", f.ProviderIds?.Select(Id).ToArray(), selective: true);
        rows = AnyOf(rows, "partyIds", f.PartyIds?.Select(Id).ToArray(), selective: true);
        rows = OneOf(rows, "level", f.Levels);
        rows = AnyOf(rows, "euCriteria", f.EuCriteria?.Select(c => Codes.Of(c)).ToArray());
        rows = AnyOf(rows, "harmTypes", f.HarmTypes?.Select(h => Codes.Of(h)).ToArray());
        rows = OneOf(rows, "status", f.Statuses);
        if (f.OccurredFrom is { } occurredFrom)
        {
            rows = rows.WhereCompared(r => r.OccurredAt, ExpressionType.GreaterThanOrEqual, occurredFrom);
        }

        if (f.OccurredTo is { } occurredTo)
        {
            rows = rows.WhereCompared(r => r.OccurredAt, ExpressionType.LessThanOrEqual, occurredTo);
        }

        if (f.BecameAwareFrom is { } awareFrom)
        {
            rows = rows.WhereCompared(r => r.BecameAwareAt, ExpressionType.GreaterThanOrEqual, awareFrom);
        }

        if (f.BecameAwareTo is { } awareTo)
        {
            rows = rows.WhereCompared(r => r.BecameAwareAt, ExpressionType.LessThanOrEqual, awareTo);
        }

        if (f.ReportedFrom is { } reportedFrom)
        {
            rows = rows.WhereCompared(r => r.ReportedAt, ExpressionType.GreaterThanOrEqual, reportedFrom);
        }

        if (f.ReportedTo is { } reportedTo)
        {
            rows = rows.WhereCompared(r => r.ReportedAt, ExpressionType.LessThanOrEqual, reportedTo);
        }

        if (f.HasBreachedClock is { } breached)
        {
            rows = breached ? rows.Where(r => r.BreachedClocks > 0) : rows.Where(r => r.BreachedClocks == 0);
        }

        if (f.Disputed is { } disputed)
        {
            rows = rows.WhereCompared(r => r.Disputed, ExpressionType.Equal, disputed);
        }

        if (f.Text is { } search && !string.IsNullOrWhiteSpace(search))
        {
            // The register's search text (title, description, causal statement, system and provider names), lower-cased by the projection.
            rows = rows.WhereSql(SearchCondition, search.Trim());
        }

        return rows;
    }

    private static IQueryable<RegisterRow> Ordered(IQueryable<RegisterRow> rows, RegisterSort order) => order switch
    {
        RegisterSort.ReportedAtAsc => rows.OrderBy(r => r.ReportedAt).ThenBy(r => r.IncidentId),
        RegisterSort.OccurredAtDesc => rows.OrderByDescending(r => r.OccurredAt).ThenBy(r => r.IncidentId),
        RegisterSort.SeverityDesc => rows.OrderBySql(LevelRank + " DESC").ThenBySql("CAST(d.data ->> 'reportedAt' AS timestamptz) DESC").ThenBySql("d.id"),
        RegisterSort.NextDeadlineAsc => rows.OrderBy(r => r.NextDueAt).ThenBy(r => r.IncidentId),
        RegisterSort.Title => rows.OrderBy(r => r.Title).ThenBy(r => r.IncidentId),
        _ => rows.OrderByDescending(r => r.ReportedAt).ThenBy(r => r.IncidentId),
    };

    /// <summary>
    /// A list of the row holds any of the values (the stored strings: codes, upper-case jurisdictions, lower-case UUIDs).
    /// Identifiers (systems, providers, parties) pick out few incidents, so they are jsonb containments, one per value,
    /// which the register's GIN index over that list serves (<see cref="ContainsCondition"/>). Categories (jurisdictions,
    /// EU criteria, harm types) match a large share of the register, where reading the order's index and stopping at the
    /// page beats collecting every match from an index and sorting it, so they are a plain "any of" that no index serves.
    /// </summary>
    internal static IQueryable<RegisterRow> AnyOf(IQueryable<RegisterRow> rows, string member, IReadOnlyList<string>? values, bool selective = false)
    {
        if (values is null)
        {
            return rows;
        }

        if (values.Count == 0)
        {
            return rows.WhereSql("false");
        }

        if (!selective)
        {
            // The function, not the ?| operator: PostgreSQL estimates a third of the rows for it (about right for these lists) and
            // so walks the order's index, where it estimates almost none for the operator and sorts every match instead.
            return rows.WhereSql($"jsonb_exists_any(d.data -> '{member}', ^)", (object)values.ToArray());
        }

        var contained = values.Select(v => (object)JsonSerializer.Serialize(new[] { v })).ToArray();
        return rows.WhereSql("(" + string.Join(" OR ", contained.Select(_ => ContainsCondition(member))) + ")", contained);
    }

    /// <summary>The list <paramref name="member"/> of a register row <c>d</c> holds the values of a JSON array (^): the expression of that list's GIN index.</summary>
    internal static string ContainsCondition(string member) => $"d.data -> '{member}' @> ^::jsonb";

    // A single enum of the row is one of the values.
    private static IQueryable<RegisterRow> OneOf<TEnum>(IQueryable<RegisterRow> rows, string member, IReadOnlyList<TEnum>? values)
        where TEnum : struct, Enum =>
        values is null ? rows : rows.WhereSql($"d.data ->> '{member}' = ANY(^)", (object)values.Select(v => Codes.Of(v)).ToArray());

    private static string Id(Guid id) => id.ToString("D");
}
