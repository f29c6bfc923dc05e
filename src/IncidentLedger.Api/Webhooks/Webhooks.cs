using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IncidentLedger.Api.Hosting;
using IncidentLedger.Domain;
using IncidentLedger.EventStore;
using IncidentLedger.EventStore.Writing;
using Marten;
using Wolverine;

namespace IncidentLedger.Api.Webhooks;

/// <summary>A subscriber to the ledger's events: where to POST them, the shared secret they are signed with, and which event types it wants.</summary>
public sealed record WebhookSubscription
{
    /// <summary>A name for the subscriber (in logs and delivery ids).</summary>
    public string Name { get; init; } = "";

    public Uri? Url { get; init; }

    /// <summary>The signing secret: "whsec_" followed by base64 (the Standard Webhooks form), or any other text, used as UTF-8.</summary>
    public string Secret { get; init; } = "";

    /// <summary>Event types ("incident.reported"), families ("incident.*") or everything ("*", or none listed).</summary>
    public IReadOnlyList<string> Topics { get; init; } = [];

    public bool Wants(string topic) => Topics.Count == 0 || Topics.Any(t => t == "*" || t == topic || (t.EndsWith(".*", StringComparison.Ordinal) && topic.StartsWith(t[..^1], StringComparison.Ordinal)));

    public byte[] Key => Secret.StartsWith("whsec_", StringComparison.Ordinal) ? Convert.FromBase64String(Secret["whsec_".Length..]) : Encoding.UTF8.GetBytes(Secret);
}

/// <summary>One event on its way to one subscriber. The body is fixed when the event commits, so every attempt sends the same bytes under the same id.</summary>
public sealed record WebhookDelivery(string Id, string Subscriber, string Topic, string Body);

/// <summary>A subscriber did not take a delivery (refused, unreachable, or too slow): Wolverine retries it, then dead-letters it.</summary>
public sealed class WebhookDeliveryException : Exception
{
    public WebhookDeliveryException()
    {
    }

    public WebhookDeliveryException(string message)
        : base(message)
    {
    }

    public WebhookDeliveryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Webhooks through Wolverine's transactional outbox: the deliveries for a command's events are
/// published in the command's own transaction (so they exist exactly when the events do), then
/// sent by <see cref="WebhookDeliveryHandler"/>, signed as Standard Webhooks are, retried with the
/// configured backoff and dead-lettered after the last attempt (visible in <c>ledger status</c> and /healthz).
/// </summary>
public static class Webhooks
{
    public static async Task PublishAsync(IDocumentSession session, IMessageContext messages, LedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Webhooks.Count == 0)
        {
            return;
        }

        foreach (var e in session.PendingChanges.Streams().SelectMany(s => s.Events))
        {
            var topic = DomainEvents.NameOf(e.Data);
            var body = JsonSerializer.Serialize(
                new
                {
                    id = e.Id,
                    type = topic,
                    streamId = e.StreamKey,
                    streamType = ChainedEvents.HeaderText(e, LedgerStore.Headers.StreamType),
                    version = e.Version,
                    recordedAt = e.Timestamp,
                    hash = ChainedEvents.HeaderText(e, LedgerStore.Headers.Hash),
                    data = e.Data,
                },
                DomainJson.Options);
            foreach (var subscriber in options.Webhooks.Where(s => s.Wants(topic)))
            {
                await messages.PublishAsync(new WebhookDelivery($"{e.Id:N}.{subscriber.Name}", subscriber.Name, topic, body));
            }
        }
    }

    /// <summary>The webhook-signature value: "v1," + base64(HMAC-SHA256(key, id + "." + timestamp + "." + body)).</summary>
    public static string Sign(byte[] key, string id, string timestamp, string body) =>
        "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));

    /// <summary>Refuses a subscription the ledger could never deliver to, at start-up rather than at the first event.</summary>
    public static void Validate(IReadOnlyList<WebhookSubscription> subscriptions)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        foreach (var (subscription, index) in subscriptions.Select((s, i) => (s, i)))
        {
            var where = $"Ledger:Webhooks:{index}";
            if (string.IsNullOrWhiteSpace(subscription.Name))
            {
                throw new InvalidOperationException($"{where} has no Name.");
            }

            if (subscription.Url is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            {
                throw new InvalidOperationException($"{where} ({subscription.Name}) needs an absolute http or https Url.");
            }

            if (string.IsNullOrEmpty(subscription.Secret))
            {
                throw new InvalidOperationException($"{where} ({subscription.Name}) needs a signing Secret.");
            }

            try
            {
                _ = subscription.Key;
            }
            catch (FormatException e)
            {
                throw new InvalidOperationException($"{where} ({subscription.Name}): a secret starting whsec_ must continue in base64.", e);
            }
        }

        if (subscriptions.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidOperationException($"Two webhook subscriptions are named {twice.Key}.");
        }
    }
}

/// <summary>Sends one delivery. Anything but a 2xx answer within the timeout is a failed attempt.</summary>
public static class WebhookDeliveryHandler
{
    public const string HttpClientName = "webhooks";

    public static async Task Handle(WebhookDelivery delivery, IHttpClientFactory clients, LedgerOptions options, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(options);
        var subscriber = options.Webhooks.FirstOrDefault(s => s.Name == delivery.Subscriber)
            ?? throw new WebhookDeliveryException($"Webhook subscriber {delivery.Subscriber} is no longer configured.");
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, subscriber.Url) { Content = new StringContent(delivery.Body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")) };
        request.Headers.Add("webhook-id", delivery.Id);
        request.Headers.Add("webhook-timestamp", timestamp);
        request.Headers.Add("webhook-signature", Webhooks.Sign(subscriber.Key, delivery.Id, timestamp, delivery.Body));
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new WebhookDeliveryException($"{subscriber.Name} ({subscriber.Url}) answered {(int)response.StatusCode} to delivery {delivery.Id}.");
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new WebhookDeliveryException($"{subscriber.Name} ({subscriber.Url}) could not be reached for delivery {delivery.Id}: {e.Message}", e);
        }
    }
}
