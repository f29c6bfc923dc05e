using IncidentLedger.EventStore;
using JasperFx.Events;
using Marten;
using Npgsql;

namespace IncidentLedger.Load.Harness;

/// <summary>
/// The baseline event store: plain Marten in a schema of its own on the benchmark's server, appending as the
/// ledger does (string stream keys, quick appends with server timestamps, headers), with no snapshot, hash,
/// trigger, sealing queue or projection. Dropped with its schema when disposed.
/// </summary>
public sealed class PlainMarten : IAsyncDisposable
{
    private readonly string connectionString;

    private PlainMarten(string connectionString, string schema, DocumentStore store)
    {
        this.connectionString = connectionString;
        Schema = schema;
        Store = store;
    }

    public string Schema { get; }

    public DocumentStore Store { get; }

    public static async Task<PlainMarten> CreateAsync(string connectionString, string schema)
    {
        var store = DocumentStore.For(o =>
        {
            o.Connection(LedgerSchema.ConnectionString(connectionString, schema, asApplicationRole: false, maxPoolSize: 64));
            o.DatabaseSchemaName = schema;
            o.Events.StreamIdentity = StreamIdentity.AsString;
            o.Events.AppendMode = EventAppendMode.QuickWithServerTimestamps;
            o.Events.MetadataConfig.HeadersEnabled = true;
        });
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        return new PlainMarten(connectionString, schema, store);
    }

    /// <summary>
    /// Leaves the event tables (made by the first append) out of autovacuum, so a baseline run leaves no vacuum or analyze
    /// behind it to run during the next measurement; the schema is dropped before its tables grow to need them.
    /// </summary>
    public async Task LeaveOutOfAutovacuumAsync()
    {
        await using var source = NpgsqlDataSource.Create(connectionString);
        await using var alter = source.CreateCommand($"ALTER TABLE \"{Schema}\".mt_events SET (autovacuum_enabled = false); ALTER TABLE \"{Schema}\".mt_streams SET (autovacuum_enabled = false)");
        await alter.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Store.Dispose();
        await using var source = NpgsqlDataSource.Create(connectionString);
        await using var drop = source.CreateCommand($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE");
        await drop.ExecuteNonQueryAsync();
    }
}
