using System.Linq.Expressions;
using JasperFx;
using Marten;
using Marten.Exceptions;
using Marten.Services.BatchQuerying;

namespace IncidentLedger.EventStore.Projections;

/// <summary>An event a projection was told to pass over: which, why and on whose word. Recorded once, never changed.</summary>
public sealed class ProjectionSkip
{
    /// <summary>"{projection}:{sequence}".</summary>
    public string Id { get; set; } = "";

    public string Projection { get; set; } = "";

    public long Sequence { get; set; }

    public string Reason { get; set; } = "";

    public string Author { get; set; } = "";

    public DateTimeOffset RecordedAt { get; set; }
}

/// <summary>Recording and reading the skips of the read-model projections.</summary>
public static class ProjectionSkips
{
    public static string IdOf(string projection, long sequence) => $"{projection}:{sequence}";

    /// <summary>
    /// Records that <paramref name="projection"/> passes over event <paramref name="sequence"/>. The
    /// projection must be one of the ledger's, the event must exist, and a reason and an author are
    /// required; a skip already recorded is refused rather than rewritten.
    /// </summary>
    public static async Task<ProjectionSkip> RecordAsync(IDocumentStore store, string projection, long sequence, string reason, string author, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!LedgerProjections.Names.Contains(projection, StringComparer.Ordinal))
        {
            throw new ArgumentException($"\"{projection}\" is not a read-model projection; choose one of {string.Join(", ", LedgerProjections.Names)}.", nameof(projection));
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException("A skip needs a reason: say why the event cannot be applied.", nameof(reason));
        }

        if (string.IsNullOrWhiteSpace(author))
        {
            throw new ArgumentException("A skip needs an author: say who decided it.", nameof(author));
        }

        await using var session = store.LightweightSession();
        var exists = await session.Events.QueryAllRawEvents().AnyAsync(e => e.Sequence == sequence, cancellationToken);
        if (!exists)
        {
            throw new ArgumentException($"There is no event with sequence number {sequence}.", nameof(sequence));
        }

        var skip = new ProjectionSkip
        {
            Id = IdOf(projection, sequence),
            Projection = projection,
            Sequence = sequence,
            Reason = reason.Trim(),
            Author = author.Trim(),
            RecordedAt = now,
        };
        session.Insert(skip);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (DocumentAlreadyExistsException e)
        {
            throw new InvalidOperationException($"Event {sequence} is already skipped by {projection}.", e);
        }

        return skip;
    }

    /// <summary>The sequence numbers up to <paramref name="to"/> that <paramref name="projection"/> skips, read in <paramref name="batch"/> (with the other queries a projection makes before each batch).</summary>
    public static Task<IReadOnlyList<long>> Skipped(IBatchedQuery batch, string projection, long to)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return batch.Query<ProjectionSkip>().Where(ByProjection(projection)).Where(To(to)).Select(s => s.Sequence).ToList();
    }

    // Conditions with constant values: Marten compiles a lambda for every captured variable on every query.
    private static Expression<Func<ProjectionSkip, bool>> ByProjection(string projection) => ConstantConditions.Compared((ProjectionSkip s) => s.Projection, ExpressionType.Equal, projection);

    private static Expression<Func<ProjectionSkip, bool>> To(long to) => ConstantConditions.Compared((ProjectionSkip s) => s.Sequence, ExpressionType.LessThanOrEqual, to);

    public static async Task<IReadOnlyList<ProjectionSkip>> AllAsync(IQuerySession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return await session.Query<ProjectionSkip>().OrderBy(s => s.Sequence).ToListAsync(cancellationToken);
    }
}
