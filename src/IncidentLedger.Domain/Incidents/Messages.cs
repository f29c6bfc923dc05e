namespace IncidentLedger.Domain.Incidents;

/// <summary>A command on an incident stream.</summary>
public interface IIncidentCommand : IDomainCommand
{
    Guid IncidentId { get; }
}

/// <summary>An event of an incident stream.</summary>
public interface IIncidentEvent
{
    Guid IncidentId { get; }
}
