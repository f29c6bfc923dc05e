using IncidentLedger.Api.Commands;
using IncidentLedger.Api.Domain;
using IncidentLedger.Api.Log;
using IncidentLedger.EventStore;
using IncidentLedger.EventStore.Sealing;
using IncidentLedger.Integrity.Checkpoints;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.Events.Daemon;
using Marten;
using Marten.Exceptions;
using Npgsql;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Marten;

namespace IncidentLedger.Api.Hosting;

/// <summary>Wires the ledger into the host: its database, Marten and Wolverine, the signing key, the sealed log and the sealer.</summary>
public static class LedgerServices
{
    /// <summary>Resolves the database (starting an embedded one if none is configured), sets its schema up as the owner, loads the checkpoint key and registers the services.</summary>
    public static async Task AddLedgerAsync(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(LedgerOptions.Section).Get<LedgerOptions>() ?? new LedgerOptions();
        var database = await LedgerDatabase.ResolveAsync(builder.Configuration, options);

        await LedgerSetup.MigrateAsync(database.ConnectionString, options.Schema, options.Origin);
        var owner = LedgerSchema.CreateDataSource(database.ConnectionString, options.Schema, asApplicationRole: false);
        var keyFile = options.CheckpointKeyFile ?? Path.Combine(options.DataDirectory, "checkpoint-key.pem");
        var key = CheckpointKeys.Load(options.Origin, keyFile, createIfMissing: database.Embedded is not null || builder.Environment.IsDevelopment());
        await LedgerExport.PublishVerifierKeyAsync(owner, options.Schema, key.VerifierKey);

        var sealing = new SealerOptions { Origin = options.Origin, Signer = key };
        RequireKeepableReceipts(options, sealing);

        var services = builder.Services;
        var appConnection = LedgerSchema.ConnectionString(database.ConnectionString, options.Schema, asApplicationRole: true);
        services.AddSingleton(options);
        services.AddSingleton(_ => database);
        services.AddSingleton(_ => key);
        services.AddSingleton(TimeProvider.System);
        services.AddKeyedSingleton(LedgerRoles.Owner, (_, _) => owner);
        services.AddSingleton(_ => NpgsqlDataSource.Create(appConnection));
        services.AddMarten(marten => LedgerStore.Configure(marten, appConnection, options.Schema))
            .UseLightweightSessions()
            .AddAsyncDaemon(DaemonMode.HotCold)
            .IntegrateWithWolverine(wolverine =>
            {
                wolverine.MessageStorageSchemaName = options.Schema;
                // Wolverine's own envelope tables are the one schema change the application makes (see MigrateMessageStoreAsync).
                wolverine.AutoCreate = AutoCreate.CreateOrUpdate;
            });
        builder.Host.UseWolverine(wolverine =>
        {
            wolverine.ApplicationAssembly = typeof(LedgerServices).Assembly;
            wolverine.Policies.AutoApplyTransactions();
            wolverine.Policies.UseDurableLocalQueues();
            wolverine.AutoBuildMessageStorageOnStartup = AutoCreate.CreateOrUpdate;
            // Handler code is generated in memory at start-up (Auto mode would also write it into the
            // source tree and later load it even when stale).
            wolverine.CodeGeneration.TypeLoadMode = TypeLoadMode.Dynamic;
            // Another writer took the stream (or the idempotency key) between load and save: decide
            // again on what is there now, after a jittered pause so that many contenders spread out.
            // A command carrying an expected version then fails with the typed conflict instead.
            wolverine.OnException<ConcurrencyException>().Or<DocumentAlreadyExistsException>()
                .RetryWithCooldown(Jitter(5), Jitter(10), Jitter(20), Jitter(40), Jitter(80), Jitter(120), Jitter(160), Jitter(200), Jitter(250));
        });

        services.AddSingleton<DemoLoader>();
        services.AddSingleton(sp => new LedgerLog(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton(sp => new LedgerExport(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton(sp => new SealedLogFeed(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<LedgerLog>()));
        services.AddSingleton(sp => new LedgerSealer(sp.GetRequiredService<NpgsqlDataSource>(), options.Schema, sealing));
        services.AddSingleton<FilingReceiptIssuer>();
        services.AddSingleton(LedgerWitnesses.From(options));
        services.AddSingleton(sp => new WitnessCosignatures(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton<CosignatureCollector>();
        if (options.RunWorkers)
        {
            services.AddHostedService<SealerWorker>();
        }
    }

    /// <summary>
    /// Creates or updates Wolverine's envelope tables (inbox, outbox, scheduled messages, nodes) before the host
    /// starts. They live in the ledger's schema and belong to the application role; Marten's own tables, the event
    /// guards and the sealed log were set up by the owner, and Marten itself changes nothing (AutoCreate.None).
    /// </summary>
    public static async Task MigrateMessageStoreAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.Services.GetRequiredService<Wolverine.Persistence.Durability.IMessageStore>().Admin.MigrateAsync();
    }

    /// <summary>A receipt's promise must survive an ordinary sealer hand-over: a checkpoint interval plus a standby's retry.</summary>
    private static void RequireKeepableReceipts(LedgerOptions options, SealerOptions sealing)
    {
        var least = sealing.CheckpointEvery + sealing.LeaderRetryInterval;
        if (options.MaximumMergeDelay < least)
        {
            throw new InvalidOperationException(
                $"Ledger:MaximumMergeDelay is {options.MaximumMergeDelay}; filing receipts promise a checkpoint within it, and the sealer needs up to {least} " +
                $"(checkpoint every {sealing.CheckpointEvery}, failover within {sealing.LeaderRetryInterval}). Set it to at least {least}, e.g. \"00:05:00\".");
        }
    }

    private static TimeSpan Jitter(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds / 2 + Random.Shared.Next(milliseconds));

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
