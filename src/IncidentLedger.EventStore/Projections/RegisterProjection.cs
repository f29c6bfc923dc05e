using IncidentLedger.Domain.ReadModels;
using Marten;

namespace IncidentLedger.EventStore.Projections;

/// <summary>The regulators' register: one <see cref="RegisterRow"/> per reported incident (identity: the incident id).</summary>
public sealed class RegisterProjection : LedgerViewProjection<RegisterProjection>
{
    public const string ProjectionName = "register";

    public override string Name => ProjectionName;

    protected override Task WriteAsync(IDocumentOperations operations, ViewChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(change);
        foreach (var incident in change.IncidentsToRewrite)
        {
            operations.Store(RegisterRow.From(incident, change.After));
        }

        return Task.CompletedTask;
    }
}
