namespace IncidentLedger.EventStore.Writing;

/// <summary>Who caused an append and in what context; stored in every event's headers and covered by its hash.</summary>
public sealed record EventMetadata
{
    public EventMetadata(string actor)
    {
        if (string.IsNullOrWhiteSpace(actor))
        {
            throw new InvalidEventException("Every event records who caused it: the metadata's actor is empty.");
        }

        Actor = actor;
    }

    /// <summary>The authenticated subject (a user or service) that caused the event.</summary>
    public string Actor { get; }

    /// <summary>The organisation the actor acted for.</summary>
    public string? Organisation { get; init; }

    /// <summary>The role the actor acted in (operator, regulator, insurer, auditor, admin).</summary>
    public string? Role { get; init; }

    public Guid? CorrelationId { get; init; }

    public Guid? CausationId { get; init; }
}
