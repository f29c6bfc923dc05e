using IncidentLedger.EventStore;
using IncidentLedger.EventStore.Events;
using Npgsql;
using Xunit;

namespace IncidentLedger.Testing;

/// <summary>
/// One database schema for one test class, migrated, with an owner connection (for what only
/// an administrator or an attacker could do) and the insert-only application role.
/// Classes get their own schemas, so they run in parallel without seeing each other's rows.
/// </summary>
public class LedgerDatabase : IAsyncLifetime
{
    public const string Origin = "incidentledger.test/log";

    public string Schema { get; } = "t_" + Guid.NewGuid().ToString("N")[..16];

    public string ConnectionString { get; private set; } = "";

    /// <summary>Connections as the schema's owner (a superuser in the private cluster).</summary>
    public NpgsqlDataSource Owner { get; private set; } = null!;

    /// <summary>Connections as the application role, which may only read and insert events.</summary>
    public NpgsqlDataSource App { get; private set; } = null!;

    public virtual async ValueTask InitializeAsync()
    {
        ConnectionString = await TestPostgres.GetConnectionStringAsync();
        Owner = LedgerSchema.CreateDataSource(ConnectionString, Schema, asApplicationRole: false);
        await LedgerEventStore.InitializeAsync(Owner, Schema, Origin);
        App = LedgerSchema.CreateDataSource(ConnectionString, Schema, asApplicationRole: true, maxPoolSize: 100);
    }

    public LedgerEventStore CreateStore(EventTypeRegistry types, int maxEventBytes = 256 * 1024, IReadOnlyList<EventStore.Projections.IInlineProjection>? inline = null) =>
        new(App, new EventStoreOptions { Origin = Origin, Types = types, MaxEventBytes = maxEventBytes, InlineProjections = inline ?? [] });

    /// <summary>The checkpoint key of this test ledger.</summary>
    public Integrity.Checkpoints.EcdsaNoteKey CheckpointKey { get; } = Integrity.Checkpoints.EcdsaNoteKey.Generate(Origin);

    public EventStore.Sealing.LedgerSealer CreateSealer(Func<EventStore.Sealing.SealerOptions, EventStore.Sealing.SealerOptions>? configure = null)
    {
        var options = new EventStore.Sealing.SealerOptions { Origin = Origin, Signer = CheckpointKey, CheckpointEveryEvents = 100 };
        return new(App, Schema, configure?.Invoke(options) ?? options);
    }

    public EventStore.Sealing.LedgerLog Log => new(App);

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
        await App.DisposeAsync();
        await using (var command = Owner.CreateCommand($"DROP SCHEMA \"{Schema}\" CASCADE"))
        {
            await command.ExecuteNonQueryAsync();
        }

        await Owner.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
