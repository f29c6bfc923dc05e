using IncidentLedger.Domain.ReadModels;
using Marten;

namespace IncidentLedger.EventStore.Projections;

/// <summary>The accountability cells of one incident, and the parties they name (for "where is this party held accountable").</summary>
public sealed record IncidentAccountability(Guid IncidentId, string Title, IReadOnlyList<AccountabilityCell> Cells, IReadOnlyList<Guid> PartyIds);

/// <summary>The accountability matrix, one document per reported incident.</summary>
public sealed class AccountabilityProjection : LedgerViewProjection<AccountabilityProjection>
{
    public const string ProjectionName = "accountability";

    public override string Name => ProjectionName;

    protected override Task WriteAsync(IDocumentOperations operations, ViewChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(change);
        foreach (var incident in change.IncidentsToRewrite)
        {
            var cells = AccountabilityMatrix.For(incident, change.After);
            operations.Store(new IncidentAccountability(incident.IncidentId, incident.File.Title, cells, cells.Select(c => c.PartyId).Distinct().Order().ToArray()));
        }

        return Task.CompletedTask;
    }
}
