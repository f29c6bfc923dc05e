using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace IncidentLedger.EventStore.Outbox;

/// <summary>
/// Delivers outbox messages to webhook subscribers (ledger_webhooks) by HTTP POST, signed the way
/// Standard Webhooks are: headers webhook-id (the delivery id), webhook-timestamp (Unix seconds) and
/// webhook-signature "v1,base64(HMAC-SHA256(secret, id + "." + timestamp + "." + body))".
/// Any status other than 2xx is a failed attempt.
/// </summary>
public sealed class WebhookTransport(NpgsqlDataSource dataSource, HttpClient http, TimeProvider? clock = null) : IOutboxTransport
{
    private readonly ConcurrentDictionary<Guid, (Uri Url, byte[] Secret)> subscribers = new();
    private readonly TimeProvider clock = clock ?? TimeProvider.System;

    public async Task DeliverAsync(OutboxDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var (url, secret) = await SubscriberAsync(delivery.Message.Destination, cancellationToken);
        var body = JsonSerializer.Serialize(new { id = delivery.Message.Id, topic = delivery.Message.Topic, payload = delivery.Message.Payload });
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", delivery.Message.Id.ToString());
        request.Headers.Add("webhook-timestamp", timestamp);
        request.Headers.Add("webhook-signature", Sign(secret, delivery.Message.Id.ToString(), timestamp, body));
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }
    }

    /// <summary>The signature header value for a delivery; receivers recompute it to authenticate the sender.</summary>
    public static string Sign(byte[] secret, string id, string timestamp, string body) =>
        "v1," + Convert.ToBase64String(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));

    private async Task<(Uri Url, byte[] Secret)> SubscriberAsync(string destination, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(destination, out var id))
        {
            throw new InvalidOperationException($"Destination \"{destination}\" is not a webhook subscriber id.");
        }

        if (subscribers.TryGetValue(id, out var known))
        {
            return known;
        }

        await using var command = dataSource.CreateCommand("SELECT url, secret FROM ledger_webhooks WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException($"Webhook subscriber {id} no longer exists.");
        }

        var subscriber = (new Uri(reader.GetString(0)), Encoding.UTF8.GetBytes(reader.GetString(1)));
        subscribers[id] = subscriber;
        return subscriber;
    }
}
