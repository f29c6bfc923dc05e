using IncidentLedger.Domain.Deadlines;
using IncidentLedger.Domain.ReadModels;
using Marten;

namespace IncidentLedger.EventStore.Projections;

/// <summary>One reporting clock of one incident as recorded; its standing at a given time comes from <see cref="DeadlineBoard.Row(Guid, string, ReportingClock, DateTimeOffset)"/>.</summary>
public sealed record DeadlineClock(string Id, Guid IncidentId, string IncidentTitle, string Jurisdiction, DateTimeOffset DueAt, ClockStatus Status, ReportingClock Clock)
{
    public static string IdOf(Guid incidentId, string clockId) => $"{incidentId:D}/{clockId}";

    public DeadlineRow RowAt(DateTimeOffset asOf) => DeadlineBoard.Row(IncidentId, IncidentTitle, Clock, asOf);
}

/// <summary>The deadline board: every reporting clock of every reported incident.</summary>
public sealed class DeadlineProjection : LedgerViewProjection<DeadlineProjection>
{
    public const string ProjectionName = "deadlines";

    public override string Name => ProjectionName;

    protected override Task WriteAsync(IDocumentOperations operations, ViewChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(change);
        foreach (var incident in change.ChangedIncidents)
        {
            var file = incident.File;
            foreach (var clock in file.Clocks.Values)
            {
                operations.Store(new DeadlineClock(DeadlineClock.IdOf(file.Id, clock.ClockId), file.Id, file.Title, clock.Jurisdiction, clock.DueAt, clock.Status, clock));
            }
        }

        return Task.CompletedTask;
    }
}
