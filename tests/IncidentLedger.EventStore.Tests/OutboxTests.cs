using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using IncidentLedger.EventStore.Outbox;
using IncidentLedger.EventStore.Streams;
using IncidentLedger.Testing;

namespace IncidentLedger.EventStore.Tests;

/// <summary>A webhook receiver on loopback that answers with scripted status codes and de-duplicates by delivery id.</summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly LoopbackHttpServer server;
    private readonly ConcurrentQueue<HttpStatusCode> script = new();

    public WebhookReceiver() => server = new LoopbackHttpServer("/hook/", ReceiveAsync);

    public string Url => server.Url.ToString();

    public ConcurrentBag<(string Id, string Timestamp, string Signature, string Body)> Requests { get; } = [];

    /// <summary>Distinct delivery ids processed: what a receiver that de-duplicates would act on.</summary>
    public ConcurrentDictionary<string, string> Processed { get; } = new();

    public HttpStatusCode Otherwise { get; set; } = HttpStatusCode.OK;

    public void Answer(params HttpStatusCode[] codes)
    {
        foreach (var code in codes)
        {
            script.Enqueue(code);
        }
    }

    private async Task ReceiveAsync(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var id = context.Request.Headers["webhook-id"] ?? "";
        Requests.Add((id, context.Request.Headers["webhook-timestamp"] ?? "", context.Request.Headers["webhook-signature"] ?? "", body));
        var status = script.TryDequeue(out var scripted) ? scripted : Otherwise;
        if (status == HttpStatusCode.OK)
        {
            Processed.TryAdd(id, body);
        }

        context.Response.StatusCode = (int)status;
    }

    public void Dispose() => server.Dispose();
}

public sealed class OutboxTests : IAsyncLifetime
{
    private const string Secret = "whsec-insurer-0123456789abcdef";
    private readonly LedgerDatabase db = new();
    private readonly WebhookReceiver receiver = new();
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private LedgerEventStore store = null!;
    private Guid subscriber;

    public async ValueTask InitializeAsync()
    {
        await db.InitializeAsync();
        store = db.CreateStore(TestEvents.Registry());
        subscriber = Guid.NewGuid();
        await db.ExecuteAsOwnerAsync($"INSERT INTO ledger_webhooks (id, url, secret, topics) VALUES ('{subscriber}', '{receiver.Url}', '{Secret}', ARRAY['incident'])");
    }

    public async ValueTask DisposeAsync()
    {
        receiver.Dispose();
        http.Dispose();
        await db.DisposeAsync();
    }

    private OutboxDispatcher Dispatcher(int maxAttempts = 5, int leaseMilliseconds = 300) => new(db.App, new WebhookTransport(db.App, http),
        new OutboxOptions { MaxAttempts = maxAttempts, BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(50), Lease = TimeSpan.FromMilliseconds(leaseMilliseconds) });

    private async Task<OutboxMessage> AppendWithMessageAsync(string text)
    {
        var message = new OutboxMessage(Guid.NewGuid(), "incident", subscriber.ToString(), JsonSerializer.SerializeToElement(new { text }));
        await store.AppendAsync(new StreamKey("incident", Guid.NewGuid()), ExpectedVersion.NoStream, [new(new NoteAdded(text))], TestEvents.By(), outbox: [message]);
        return message;
    }

    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_message_is_written_with_its_events_and_delivered_signed_after_commit()
    {
        var message = await AppendWithMessageAsync("deepfake bank run");
        Assert.Equal((1L, 0L), await OutboxDispatcher.DepthAsync(db.App));

        var pass = await Dispatcher().DispatchOnceAsync();
        Assert.Equal(new DispatchPass(1, 0, 0), pass);
        var request = Assert.Single(receiver.Requests);
        Assert.Equal(message.Id.ToString(), request.Id);
        Assert.Equal(WebhookTransport.Sign(Encoding.UTF8.GetBytes(Secret), request.Id, request.Timestamp, request.Body), request.Signature);
        Assert.NotEqual(WebhookTransport.Sign(Encoding.UTF8.GetBytes("some other secret!!"), request.Id, request.Timestamp, request.Body), request.Signature);
        Assert.Contains("deepfake bank run", request.Body, StringComparison.Ordinal);
        Assert.Equal((0L, 0L), await OutboxDispatcher.DepthAsync(db.App));
    }

    [Fact]
    public async Task A_rejected_append_writes_no_message()
    {
        var stream = new StreamKey("incident", Guid.NewGuid());
        await store.AppendAsync(stream, ExpectedVersion.NoStream, [new(new NoteAdded("first"))], TestEvents.By());
        var message = new OutboxMessage(Guid.NewGuid(), "incident", subscriber.ToString(), JsonSerializer.SerializeToElement(new { x = 1 }));
        await Assert.ThrowsAsync<ConcurrencyException>(() => store.AppendAsync(stream, ExpectedVersion.NoStream, [new(new NoteAdded("stale"))], TestEvents.By(), outbox: [message]));
        Assert.Equal((0L, 0L), await OutboxDispatcher.DepthAsync(db.App));
    }

    [Fact]
    public async Task A_failed_delivery_is_retried_with_backoff_under_the_same_delivery_id()
    {
        var message = await AppendWithMessageAsync("retry me");
        receiver.Answer(HttpStatusCode.InternalServerError, HttpStatusCode.ServiceUnavailable);
        var dispatcher = Dispatcher();

        Assert.Equal(new DispatchPass(0, 1, 0), await dispatcher.DispatchOnceAsync());
        Assert.Contains("500", await db.ScalarAsync<string>("SELECT last_error FROM ledger_outbox"), StringComparison.Ordinal);
        await UntilAsync(async () => (await dispatcher.DispatchOnceAsync()).Delivered == 1);

        Assert.Equal(3, receiver.Requests.Count);
        Assert.All(receiver.Requests, r => Assert.Equal(message.Id.ToString(), r.Id));
        Assert.Single(receiver.Processed);
    }

    [Fact]
    public async Task A_message_that_keeps_failing_is_dead_lettered_with_its_last_error()
    {
        await AppendWithMessageAsync("never accepted");
        receiver.Otherwise = HttpStatusCode.BadGateway;
        var dispatcher = Dispatcher(maxAttempts: 3);
        await UntilAsync(async () => (await dispatcher.DispatchOnceAsync()).DeadLettered == 1);

        Assert.Equal(3, receiver.Requests.Count);
        Assert.Equal((0L, 1L), await OutboxDispatcher.DepthAsync(db.App));
        Assert.Contains("502", await db.ScalarAsync<string>("SELECT last_error FROM ledger_outbox_dead"), StringComparison.Ordinal);
        Assert.Equal(3, await db.ScalarAsync<int>("SELECT attempts FROM ledger_outbox_dead"));
    }

    [Fact]
    public async Task A_dispatcher_that_dies_after_claiming_loses_nothing_the_lease_brings_it_back_and_the_receiver_sees_one_delivery()
    {
        var message = await AppendWithMessageAsync("claimed then crashed");
        using var kill = new CancellationTokenSource();
        var crashed = new OutboxDispatcher(db.App, new CrashingTransport(kill), new OutboxOptions { Lease = TimeSpan.FromMilliseconds(300) });
        await Assert.ThrowsAsync<OperationCanceledException>(() => crashed.DispatchOnceAsync(kill.Token));

        // Claimed and leased: invisible to others until the lease runs out.
        Assert.Equal(new DispatchPass(0, 0, 0), await Dispatcher().DispatchOnceAsync());
        await UntilAsync(async () => (await Dispatcher().DispatchOnceAsync()).Delivered == 1);
        Assert.Equal(message.Id.ToString(), Assert.Single(receiver.Processed).Key);
    }

    [Fact]
    public async Task Dispatchers_racing_deliver_each_message_once()
    {
        for (var i = 0; i < 40; i++)
        {
            await AppendWithMessageAsync($"message {i}");
        }

        // Leases far longer than a delivery: any second delivery would be a claiming bug, not a lease running out.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var dispatcher = Dispatcher(leaseMilliseconds: 60_000);
            while ((await OutboxDispatcher.DepthAsync(db.App)).Pending > 0)
            {
                await dispatcher.DispatchOnceAsync();
            }
        })));
        Assert.Equal(40, receiver.Requests.Count);
        Assert.Equal(40, receiver.Processed.Count);
    }

    /// <summary>The process is killed while delivering: after the claim, before any outcome is recorded.</summary>
    private sealed class CrashingTransport(CancellationTokenSource kill) : IOutboxTransport
    {
        public async Task DeliverAsync(OutboxDelivery delivery, CancellationToken cancellationToken)
        {
            await kill.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}
