using IncidentLedger.EventStore;
using JasperFx.Events;
using Marten;

namespace IncidentLedger.Load.Harness;

/// <summary>
/// The baseline event store: plain Marten in a schema of its own on the benchmark's server, appending as the
/// ledger does (string stream keys, quick appends with server timestamps, headers), with no snapshot, hash,
/// trigger, sealing queue or projection. Dropped with its schema when disposed.
/// </summary>
public sealed class PlainMarten : IAsyncDisposable
{
    private readonly BenchDatabase database;

    private PlainMarten(BenchDatabase database, string schema, DocumentStore store)
    {
        this.database = database;
        Schema = schema;
        Store = store;
    }

    public string Schema { get; }

    public DocumentStore Store { get; }

    public static async Task<PlainMarten> CreateAsync(BenchDatabase database, string schema)
    {
        var store = DocumentStore.For(o =>
        {
            o.Connection(LedgerSchema.ConnectionString(database.ConnectionString, schema, asApplicationRole: false, maxPoolSize: 64));
            o.DatabaseSchemaName = schema;
            o.Events.StreamIdentity = StreamIdentity.AsString;
            o.Events.AppendMode = EventAppendMode.QuickWithServerTimestamps;
            o.Events.MetadataConfig.HeadersEnabled = true;
        });
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        return new PlainMarten(database, schema, store);
    }

    /// <summary>
    /// Leaves the event tables (made by the first append) out of autovacuum, so a baseline run leaves no vacuum or analyze
    /// behind it to run during the next measurement; the schema is dropped before its tables grow to need them.
    /// </summary>
    public Task LeaveOutOfAutovacuumAsync() =>
        database.ExecuteAsync($"ALTER TABLE \"{Schema}\".mt_events SET (autovacuum_enabled = false); ALTER TABLE \"{Schema}\".mt_streams SET (autovacuum_enabled = false)");

    public async ValueTask DisposeAsync()
    {
        Store.Dispose();
        await database.ExecuteAsync($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE");
    }
}
