using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using IncidentLedger.Domain.ReadModels;
using IncidentLedger.EventStore.Projections;
using Marten;
using Marten.Linq;

namespace IncidentLedger.Api.GraphQL;

/// <summary>
/// The register's totalCount, counted once per query and caller (the count's SQL and parameters, which hold the
/// caller's jurisdictions) for each state of the register read model. The register projection writes its mark (the
/// last event it applied) in the same transaction as its rows, so a count taken at one mark holds until the mark
/// moves: a page then costs the page and the mark, not a count of every match.
/// </summary>
public sealed class RegisterCounts
{
    private const int Capacity = 4096;

    private readonly ConcurrentDictionary<string, (long Mark, int Count)> known = new(StringComparer.Ordinal);

    public async Task<int> CountAsync(IQuerySession session, IQueryable<RegisterRow> matching, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var mark = (await session.LoadAsync<ViewMark<RegisterProjection>>(ViewMark<RegisterProjection>.Key, cancellationToken))?.Sequence ?? 0;
        var key = KeyOf(matching.ToCommand(FetchType.Count));
        if (known.TryGetValue(key, out var counted) && counted.Mark == mark)
        {
            return counted.Count;
        }

        // A count taken after the mark was read can only be as new or newer than that mark: never older than what it is kept for.
        var count = await matching.CountAsync(cancellationToken);
        if (known.Count >= Capacity)
        {
            known.Clear();
        }

        known[key] = (mark, count);
        return count;
    }

    private static string KeyOf(Npgsql.NpgsqlCommand command)
    {
        var key = new StringBuilder(command.CommandText);
        foreach (Npgsql.NpgsqlParameter parameter in command.Parameters)
        {
            key.Append('\n').Append(JsonSerializer.Serialize(parameter.Value));
        }

        return key.ToString();
    }
}
