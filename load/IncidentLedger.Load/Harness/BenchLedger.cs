using IncidentLedger.EventStore;
using IncidentLedger.Domain;
using IncidentLedger.Domain.Organisations;
using IncidentLedger.EventStore.Writing;
using Marten;
using IncidentLedger.EventStore.Sealing;
using IncidentLedger.Integrity.Checkpoints;
using Npgsql;

namespace IncidentLedger.Load.Harness;

/// <summary>A throwaway ledger in its own schema of the benchmark database, dropped when disposed.</summary>
public sealed class BenchLedger : IAsyncDisposable
{
    public const string Origin = "incidentledger.bench/log";

    private BenchLedger(string schema, NpgsqlDataSource owner, NpgsqlDataSource app, DocumentStore store)
    {
        Schema = schema;
        Owner = owner;
        App = app;
        Store = store;
    }

    public string Schema { get; }

    public NpgsqlDataSource Owner { get; }

    public NpgsqlDataSource App { get; }

    public DocumentStore Store { get; }

    private static readonly Actor Bench = new("bench-operator", Guid.Parse("00000000-0000-0000-0000-0000000be0c4"), ActorRole.Admin, []);

    /// <summary>Appends one event through the ledger's write path: the stream's registration at version 0, a rename after; returns the new version.</summary>
    public async Task<long> AppendAsync(Guid streamId, long version, CancellationToken cancellationToken = default)
    {
        await using var session = Store.LightweightSession();
        object command = version == 0
            ? new RegisterOrganisation(streamId, "Bench Ltd", "DE", [OrganisationKind.Company], null, Bench, DateTimeOffset.UtcNow)
            : new RenameOrganisation(streamId, $"Bench Ltd {version}", "Follow-up: the deployer rolled the model back to the previous version.", Bench, DateTimeOffset.UtcNow);
        var outcome = await LedgerWriter.DecideAsync(session, command, LedgerWriter.MetadataOf(Bench), new CommandContext { ExpectedVersion = version }, Origin, DateTimeOffset.UtcNow, cancellationToken);
        await session.SaveChangesAsync(cancellationToken);
        return outcome.Version;
    }

    /// <summary>Runs any domain command through the write path in a session of its own.</summary>
    public async Task<WriteOutcome> RunAsync(object command, CancellationToken cancellationToken = default)
    {
        await using var session = Store.LightweightSession();
        var actor = ((IDomainCommand)command).Actor;
        var outcome = await LedgerWriter.DecideAsync(session, command, LedgerWriter.MetadataOf(actor), new CommandContext(), Origin, DateTimeOffset.UtcNow, cancellationToken);
        await session.SaveChangesAsync(cancellationToken);
        return outcome;
    }

    public static async Task<BenchLedger> CreateAsync(BenchDatabase database, EcdsaNoteKey? key = null, Action<StoreOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        var schema = "bench_" + Guid.NewGuid().ToString("N")[..8];
        var owner = LedgerSchema.CreateDataSource(database.ConnectionString, schema, asApplicationRole: false);
        await LedgerSetup.MigrateAsync(database.ConnectionString, schema, Origin, configure, cancellationToken: cancellationToken);
        if (key is not null)
        {
            await LedgerExport.PublishVerifierKeyAsync(owner, schema, key.VerifierKey, cancellationToken);
        }

        var app = LedgerSchema.CreateDataSource(database.ConnectionString, schema, asApplicationRole: true, maxPoolSize: 64);
        var store = DocumentStore.For(o =>
        {
            LedgerStore.Configure(o, LedgerSchema.ConnectionString(database.ConnectionString, schema, asApplicationRole: true, maxPoolSize: 64), schema);
            // The scenarios start the daemon themselves when they measure it (BuildProjectionDaemonAsync).
            o.Projections.AsyncMode = JasperFx.Events.Daemon.DaemonMode.ExternallyManaged;
            configure?.Invoke(o);
        });
        return new BenchLedger(schema, owner, app, store);
    }

    public LedgerSealer Sealer(EcdsaNoteKey key, Func<SealerOptions, SealerOptions>? configure = null)
    {
        var options = new SealerOptions { Origin = Origin, Signer = key };
        return new LedgerSealer(App, Schema, configure?.Invoke(options) ?? options);
    }

    /// <summary>p50, p99 and max of a column of milliseconds computed by <paramref name="sql"/> (which must name it ms).</summary>
    public async Task<(double P50, double P99, double Max)> PercentilesAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var command = Owner.CreateCommand($"SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), percentile_cont(0.99) WITHIN GROUP (ORDER BY ms), max(ms) FROM ({sql}) samples");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2));
    }

    public async ValueTask DisposeAsync()
    {
        Store.Dispose();
        await App.DisposeAsync();
        await using (var drop = Owner.CreateCommand($"DROP SCHEMA {Schema} CASCADE"))
        {
            await drop.ExecuteNonQueryAsync();
        }

        await Owner.DisposeAsync();
    }
}
