using IncidentLedger.EventStore.Events;
using Npgsql;

namespace IncidentLedger.EventStore.Projections;

/// <summary>
/// A read model updated inside the append transaction, so the writer and every reader see it at
/// once (an incident's current state). If it throws, the append fails and nothing is written.
/// </summary>
public interface IInlineProjection
{
    /// <summary>The tables it writes, created by <see cref="CreateAsync"/>.</summary>
    Task CreateAsync(NpgsqlConnection connection, CancellationToken cancellationToken);

    /// <summary>Applies one append's events, in version order, in the append's transaction.</summary>
    Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<RecordedEvent> appended, CancellationToken cancellationToken);
}
