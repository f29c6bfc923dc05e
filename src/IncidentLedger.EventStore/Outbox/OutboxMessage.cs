using System.Text.Json;

namespace IncidentLedger.EventStore.Outbox;

/// <summary>
/// A message to deliver after the append that carries it commits: written in the same transaction,
/// so it exists exactly when the events do. <see cref="Id"/> is the delivery id receivers de-duplicate on.
/// </summary>
public sealed record OutboxMessage(Guid Id, string Topic, string Destination, JsonElement Payload);

/// <summary>A claimed message, with how often delivery was tried (this try included).</summary>
public sealed record OutboxDelivery(OutboxMessage Message, int Attempt, DateTimeOffset CreatedAt);

/// <summary>Delivers one message; throws (or returns false) when the destination did not take it.</summary>
public interface IOutboxTransport
{
    Task DeliverAsync(OutboxDelivery delivery, CancellationToken cancellationToken);
}
