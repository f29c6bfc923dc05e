using IncidentLedger.Domain;
using IncidentLedger.EventStore;
using IncidentLedger.EventStore.Sealing;
using IncidentLedger.EventStore.Writing;
using IncidentLedger.Integrity.Checkpoints;
using Marten;
using Npgsql;
using Xunit;

namespace IncidentLedger.Testing;

/// <summary>
/// One ledger schema for one test class, set up by its owner, with a Marten store that works as the
/// insert-only application role, and an owner connection (for what only an administrator or an
/// attacker could do). Classes get their own schemas, so they run in parallel without seeing each
/// other's rows.
/// </summary>
public class LedgerDatabase : IAsyncLifetime
{
    public const string Origin = "incidentledger.test/log";

    public string Schema { get; } = "t_" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>The server's connection string (no schema, no role).</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>Connections as the schema's owner (a superuser in the private cluster).</summary>
    public NpgsqlDataSource Owner { get; private set; } = null!;

    /// <summary>Connections as the application role, which may only read and insert events.</summary>
    public NpgsqlDataSource App { get; private set; } = null!;

    /// <summary>The Marten store, connected as the application role.</summary>
    public DocumentStore Store { get; private set; } = null!;

    /// <summary>Extra Marten configuration (an upcaster, a projection) applied to both the owner's setup and the store.</summary>
    protected virtual void Configure(StoreOptions options)
    {
    }

    public virtual async ValueTask InitializeAsync()
    {
        ConnectionString = await TestPostgres.GetConnectionStringAsync();
        await LedgerSetup.MigrateAsync(ConnectionString, Schema, Origin, Configure);
        Owner = LedgerSchema.CreateDataSource(ConnectionString, Schema, asApplicationRole: false);
        App = LedgerSchema.CreateDataSource(ConnectionString, Schema, asApplicationRole: true, maxPoolSize: 100);
        Store = OpenStore();
    }

    /// <summary>Another document store on this ledger, configured as <see cref="Store"/> is: what a second node (or a restarted one) has, with projections that remember nothing.</summary>
    public DocumentStore OpenStore() => DocumentStore.For(options =>
    {
        LedgerStore.Configure(options, LedgerSchema.ConnectionString(ConnectionString, Schema, asApplicationRole: true, maxPoolSize: 100), Schema);
        Configure(options);
    });

    /// <summary>Runs one domain command through the write path in its own session and commits it.</summary>
    public async Task<WriteOutcome> RunAsync(object command, CommandContext? context = null)
    {
        await using var session = Store.LightweightSession();
        var actor = ((IDomainCommand)command).Actor;
        var outcome = await LedgerWriter.DecideAsync(session, command, LedgerWriter.MetadataOf(actor), context ?? new CommandContext(), Origin, DateTimeOffset.UtcNow);
        await session.SaveChangesAsync();
        return outcome;
    }

    /// <summary>Writes <paramref name="streams"/> organisation streams of <paramref name="eventsEach"/> events (a registration, then renames); returns the event ids in write order.</summary>
    public async Task<List<Guid>> WriteOrganisationsAsync(int streams, int eventsEach)
    {
        var ids = new List<Guid>();
        for (var s = 0; s < streams; s++)
        {
            var id = Guid.NewGuid();
            for (var v = 0; v < eventsEach; v++)
            {
                var outcome = await RunAsync(v == 0 ? Organisations.Register(id) : Organisations.Rename(id, $"Acme {s}/{v}"), new CommandContext { ExpectedVersion = v });
                ids.Add(outcome.Events[0].EventId);
            }
        }

        return ids;
    }

    private readonly NSecEd25519Signer checkpointSigner = NSecEd25519Signer.Generate();

    public LedgerDatabase() => CheckpointKey = Ed25519NoteKey.ForSigner(Origin, checkpointSigner);

    /// <summary>The checkpoint key of this test ledger: Ed25519 held by NSec, the kind the ledger generates (<see cref="CheckpointKeys"/>).</summary>
    public Ed25519NoteKey CheckpointKey { get; }

    public LedgerSealer CreateSealer(Func<SealerOptions, SealerOptions>? configure = null)
    {
        var options = new SealerOptions { Origin = Origin, Signer = CheckpointKey, CheckpointEveryEvents = 100 };
        return new(App, Schema, configure?.Invoke(options) ?? options);
    }

    public LedgerLog Log => new(App);

    public LedgerExport Export => new(App);

    /// <summary>Runs SQL as the owner and returns the number of rows affected.</summary>
    public async Task<int> ExecuteAsOwnerAsync(string sql)
    {
        await using var command = Owner.CreateCommand(sql);
        return await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = Owner.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public virtual async ValueTask DisposeAsync()
    {
        Store.Dispose();
        await App.DisposeAsync();
        await using (var command = Owner.CreateCommand($"DROP SCHEMA \"{Schema}\" CASCADE"))
        {
            await command.ExecuteNonQueryAsync();
        }

        await Owner.DisposeAsync();
        checkpointSigner.Dispose();
        GC.SuppressFinalize(this);
    }
}
