using IncidentLedger.Api.Domain;
using IncidentLedger.EventStore;
using IncidentLedger.EventStore.Commands;
using IncidentLedger.EventStore.Events;
using IncidentLedger.EventStore.Outbox;
using IncidentLedger.EventStore.Projections;
using IncidentLedger.EventStore.Sealing;
using IncidentLedger.Integrity.Checkpoints;
using Npgsql;

namespace IncidentLedger.Api.Hosting;

/// <summary>Wires the ledger into the host: its database, event store, signing key, sealed log and background workers.</summary>
public static class LedgerServices
{
    /// <summary>Resolves the database (starting an embedded one if none is configured), migrates it, loads the checkpoint key and registers the services.</summary>
    public static async Task AddLedgerAsync(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(LedgerOptions.Section).Get<LedgerOptions>() ?? new LedgerOptions();
        var database = await LedgerDatabase.ResolveAsync(builder.Configuration, options);

        var owner = LedgerSchema.CreateDataSource(database.ConnectionString, options.Schema, asApplicationRole: false);
        await LedgerEventStore.InitializeAsync(owner, options.Schema, options.Origin);
        var keyFile = options.CheckpointKeyFile ?? Path.Combine(options.DataDirectory, "checkpoint-key.pem");
        var key = CheckpointKeys.Load(options.Origin, keyFile, createIfMissing: database.Embedded is not null || builder.Environment.IsDevelopment());
        await LedgerExport.PublishVerifierKeyAsync(owner, options.Schema, key.VerifierKey);

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(_ => database);
        services.AddSingleton(_ => key);
        services.AddKeyedSingleton(LedgerRoles.Owner, (_, _) => owner);
        services.AddSingleton(_ => LedgerSchema.CreateDataSource(database.ConnectionString, options.Schema, asApplicationRole: true));
        services.AddSingleton(_ => DomainLedger.CreateRegistry());
        services.AddSingleton(sp => new LedgerEventStore(sp.GetRequiredService<NpgsqlDataSource>(), new EventStoreOptions
        {
            Origin = options.Origin,
            Types = sp.GetRequiredService<EventTypeRegistry>(),
            InlineProjections = [.. sp.GetServices<IInlineProjection>()],
        }));
        services.AddSingleton(sp => new CommandExecutor(sp.GetRequiredService<LedgerEventStore>()));
        services.AddSingleton<DemoLoader>();
        services.AddSingleton(sp => new LedgerLog(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton(sp => new LedgerExport(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton(sp => new SealedLogFeed(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<LedgerLog>()));
        services.AddSingleton(sp => new ProjectionAdmin(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton(sp => new LedgerSealer(sp.GetRequiredService<NpgsqlDataSource>(), options.Schema, new SealerOptions { Origin = options.Origin, Signer = key }));
        services.AddHttpClient(nameof(WebhookTransport), client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton(sp => new OutboxDispatcher(
            sp.GetRequiredService<NpgsqlDataSource>(),
            new WebhookTransport(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(WebhookTransport)))));

        if (options.RunWorkers)
        {
            services.AddHostedService<SealerWorker>();
            services.AddHostedService<OutboxWorker>();
            services.AddHostedService<ProjectionWorkers>();
        }
    }

    /// <summary>Logs where the ledger is and how to check it, once the server listens.</summary>
    public static void AnnounceLedgerOnStart(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var options = app.Services.GetRequiredService<LedgerOptions>();
            var database = app.Services.GetRequiredService<LedgerDatabase>();
            var key = app.Services.GetRequiredService<INoteSigner>();
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("IncidentLedger");
            var where = database.Embedded is { } embedded
                ? $"embedded PostgreSQL in {embedded.DataDirectory} on 127.0.0.1:{embedded.Port}"
                : "the configured PostgreSQL (ConnectionStrings:Ledger)";
            logger.LogInformation("IncidentLedger {Origin} is up at {Urls}, on {Database}, schema {Schema}.", options.Origin, string.Join(", ", app.Urls), where, options.Schema);
            logger.LogInformation("Latest signed checkpoint: {Url}/log/checkpoint. Checkpoints verify with: {VerifierKey}", app.Urls.FirstOrDefault(), key.VerifierKey);
        });
    }
}

/// <summary>Keys of the services registered more than once.</summary>
public static class LedgerRoles
{
    /// <summary>The data source that connects as the schema's owner (migrations, settings).</summary>
    public const string Owner = "owner";
}
