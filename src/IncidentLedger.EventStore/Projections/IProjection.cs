using IncidentLedger.EventStore.Events;
using Npgsql;

namespace IncidentLedger.EventStore.Projections;

/// <summary>An event at its place in the sealed log.</summary>
public sealed record SealedEvent(long Position, RecordedEvent Event);

/// <summary>
/// What a projection writes through: the transaction that also moves its checkpoint, and the
/// names of its tables (the live ones, or shadow copies while it is rebuilt).
/// </summary>
public sealed class ProjectionContext(NpgsqlConnection connection, NpgsqlTransaction transaction, string tableSuffix)
{
    public NpgsqlConnection Connection { get; } = connection;

    public NpgsqlTransaction Transaction { get; } = transaction;

    /// <summary>The actual name of one of the projection's tables (quoted for SQL).</summary>
    public string Table(string baseName) => $"\"{baseName}{tableSuffix}\"";

    public NpgsqlCommand Command(string sql) => new(sql, Connection, Transaction);

    public NpgsqlBatch Batch() => new(Connection, Transaction);
}

/// <summary>
/// A read model kept from the sealed log, in position order. Apply must be deterministic and
/// must only write the projection's own tables: the runner commits those writes and the
/// checkpoint together, so each event takes effect exactly once.
/// </summary>
public interface IProjection
{
    /// <summary>A stable name: lower-case letters, digits and underscores.</summary>
    string Name { get; }

    /// <summary>The base names of the tables this projection owns.</summary>
    IReadOnlyList<string> Tables { get; }

    /// <summary>Creates the tables (under <see cref="ProjectionContext.Table"/> names) if they do not exist.</summary>
    Task CreateAsync(ProjectionContext context, CancellationToken cancellationToken);

    /// <summary>Applies a batch of events, in position order.</summary>
    Task ApplyAsync(ProjectionContext context, IReadOnlyList<SealedEvent> events, CancellationToken cancellationToken);
}
