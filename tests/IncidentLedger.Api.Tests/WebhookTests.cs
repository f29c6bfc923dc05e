using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IncidentLedger.Api.Commands;
using IncidentLedger.Api.Webhooks;
using IncidentLedger.EventStore;
using IncidentLedger.EventStore.Writing;
using IncidentLedger.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wolverine;

namespace IncidentLedger.Api.Tests;

/// <summary>Webhooks through Wolverine's outbox: signed, retried with backoff, then dead-lettered and counted in status.</summary>
public sealed class WebhookTests
{
    private const string Secret = "whsec_c2VjcmV0LWZvci10ZXN0cw==";

    private sealed record Received(string Id, string Timestamp, string Signature, string Body);

    private static LedgerApiFactory NodeDeliveringTo(Uri url, string topics = "organisation.*")
    {
        var node = new LedgerApiFactory();
        node.Settings["Ledger:Webhooks:0:Name"] = "insurer";
        node.Settings["Ledger:Webhooks:0:Url"] = url.ToString();
        node.Settings["Ledger:Webhooks:0:Secret"] = Secret;
        node.Settings["Ledger:Webhooks:0:Topics:0"] = topics;
        node.Settings["Ledger:WebhookRetryDelays:0"] = "00:00:00.200";
        node.Settings["Ledger:WebhookRetryDelays:1"] = "00:00:00.400";
        node.Settings["Ledger:WebhookTimeout"] = "00:00:02";
        return node;
    }

    private static async Task<WriteOutcome> RegisterAsync(LedgerApiFactory node)
    {
        await using var scope = node.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync<WriteOutcome>(LedgerCommand.For(Organisations.Register(Guid.NewGuid())));
    }

    private static async Task<MessageDepth> MessagesAsync(LedgerApiFactory node) =>
        await LedgerStatus.MessagesAsync(node.Services.GetRequiredService<NpgsqlDataSource>());

    [Fact]
    public async Task An_event_is_posted_once_signed_the_standard_webhooks_way_with_its_hash()
    {
        var received = new ConcurrentQueue<Received>();
        using var receiver = new LoopbackHttpServer("/hook/", async context =>
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            received.Enqueue(new Received(context.Request.Headers["webhook-id"]!, context.Request.Headers["webhook-timestamp"]!, context.Request.Headers["webhook-signature"]!, await reader.ReadToEndAsync()));
            context.Response.StatusCode = 204;
        });
        await using var node = NodeDeliveringTo(receiver.Url);
        await node.InitializeAsync();
        _ = node.Server;

        var outcome = await RegisterAsync(node);
        await Eventually.HoldsAsync(() => Task.FromResult(!received.IsEmpty), "the delivery", TimeSpan.FromSeconds(30));
        await Task.Delay(500);

        var delivery = Assert.Single(received);
        Assert.Equal(Webhooks.Webhooks.Sign(Convert.FromBase64String(Secret["whsec_".Length..]), delivery.Id, delivery.Timestamp, delivery.Body), delivery.Signature);
        using var body = JsonDocument.Parse(delivery.Body);
        Assert.Equal("organisation.registered", body.RootElement.GetProperty("type").GetString());
        Assert.Equal(outcome.Events[0].EventId, body.RootElement.GetProperty("id").GetGuid());
        Assert.Equal(outcome.Events[0].Hash, body.RootElement.GetProperty("hash").GetString());
        Assert.Equal(outcome.StreamKey, body.RootElement.GetProperty("streamId").GetString());
        Assert.StartsWith($"{outcome.Events[0].EventId:N}.", delivery.Id, StringComparison.Ordinal);
        Assert.Equal(new MessageDepth(0, 0, 0), await MessagesAsync(node));
    }

    [Fact]
    public async Task A_refused_delivery_is_retried_with_the_same_id_and_body_until_taken()
    {
        var attempts = new ConcurrentQueue<Received>();
        using var receiver = new LoopbackHttpServer("/flaky/", async context =>
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            attempts.Enqueue(new Received(context.Request.Headers["webhook-id"]!, "", "", await reader.ReadToEndAsync()));
            context.Response.StatusCode = attempts.Count < 3 ? 503 : 200;
        });
        await using var node = NodeDeliveringTo(receiver.Url);
        await node.InitializeAsync();
        _ = node.Server;

        await RegisterAsync(node);
        await Eventually.HoldsAsync(() => Task.FromResult(attempts.Count >= 3), "three attempts", TimeSpan.FromSeconds(30));
        await Task.Delay(800);

        Assert.Equal(3, attempts.Count);
        Assert.Single(attempts.Select(a => (a.Id, a.Body)).Distinct());
        Assert.Equal(0, (await MessagesAsync(node)).Dead);
    }

    [Fact]
    public async Task A_delivery_no_attempt_gets_through_is_dead_lettered_and_counted_in_status_and_healthz()
    {
        var attempts = 0;
        using var receiver = new LoopbackHttpServer("/down/", context =>
        {
            Interlocked.Increment(ref attempts);
            context.Response.StatusCode = 500;
            return Task.CompletedTask;
        });
        await using var node = NodeDeliveringTo(receiver.Url, topics: "*");
        await node.InitializeAsync();
        _ = node.Server;

        await RegisterAsync(node);
        await Eventually.HoldsAsync(async () => (await MessagesAsync(node)).Dead == 1, "the dead letter", TimeSpan.FromSeconds(30));

        Assert.Equal(3, attempts);
        using var client = node.CreateClient();
        var health = await client.GetFromJsonAsync<JsonElement>("/healthz");
        Assert.Equal(1, health.GetProperty("outbox").GetProperty("dead").GetInt64());
    }

    [Fact]
    public async Task Events_no_subscriber_wants_are_not_sent_and_bad_subscriptions_stop_the_start()
    {
        var posts = 0;
        using var receiver = new LoopbackHttpServer("/quiet/", context =>
        {
            Interlocked.Increment(ref posts);
            return Task.CompletedTask;
        });
        await using (var node = NodeDeliveringTo(receiver.Url, topics: "incident.*"))
        {
            await node.InitializeAsync();
            _ = node.Server;
            await RegisterAsync(node);
            await Task.Delay(800);
            Assert.Equal(0, posts);
        }

        await using var bad = NodeDeliveringTo(new Uri("ftp://127.0.0.1/nowhere"));
        await bad.InitializeAsync();
        var error = Assert.Throws<InvalidOperationException>(() => bad.Server);
        Assert.Contains("needs an absolute http or https Url", error.Message, StringComparison.Ordinal);
    }
}
