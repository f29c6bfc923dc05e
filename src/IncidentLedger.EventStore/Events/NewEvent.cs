namespace IncidentLedger.EventStore.Events;

/// <summary>An event to append: its payload (a registered CLR type) and optionally a caller-chosen id for idempotent retries.</summary>
public sealed record NewEvent(object Data, Guid? EventId = null);
