using IncidentLedger.EventStore.Migrations;
using JasperFx;
using Marten;
using Npgsql;

namespace IncidentLedger.EventStore;

/// <summary>The database belongs to another ledger (its recorded origin differs).</summary>
public sealed class LedgerOriginMismatchException(string message) : Exception(message);

/// <summary>
/// Prepares a ledger's schema as its owner, the only role that may change it: Marten's tables
/// (events, streams, documents), then our numbered migrations (guards on mt_events, the sealed
/// log), then the application role's grants and the ledger's origin. Any number of nodes may run it
/// at once; they take turns on an advisory lock. The application itself runs with AutoCreate.None.
/// </summary>
public static class LedgerSetup
{
    public static async Task MigrateAsync(string connectionString, string schema, string origin, Action<StoreOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        LedgerSchema.Validate(schema);
        await using var owner = LedgerSchema.CreateDataSource(connectionString, schema, asApplicationRole: false);
        await using var guard = await owner.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(guard, $"SELECT pg_advisory_lock(hashtextextended('incident-ledger/setup/{schema}', 0))", cancellationToken);
        try
        {
            await ExecuteAsync(guard, $"CREATE SCHEMA IF NOT EXISTS \"{schema}\"", cancellationToken);
            using (var store = DocumentStore.For(options =>
            {
                LedgerStore.Configure(options, owner.ConnectionString, schema);
                configure?.Invoke(options);
                options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
                // This store only applies the schema; the projections run on a host's daemon.
                options.Projections.AsyncMode = JasperFx.Events.Daemon.DaemonMode.ExternallyManaged;
            }))
            {
                await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            }

            await Migrator.MigrateAsync(owner, schema, cancellationToken);
            await ExecuteAsync(guard, $"SET search_path TO \"{schema}\"; {Migrator.Grants}; {Migrator.Storage}; RESET search_path", cancellationToken);
            await RecordOriginAsync(owner, schema, origin, cancellationToken);
        }
        finally
        {
            await ExecuteAsync(guard, $"SELECT pg_advisory_unlock(hashtextextended('incident-ledger/setup/{schema}', 0))", CancellationToken.None);
        }
    }

    private static async Task RecordOriginAsync(NpgsqlDataSource owner, string schema, string origin, CancellationToken cancellationToken)
    {
        await using (var insert = owner.CreateCommand($"INSERT INTO \"{schema}\".ledger_settings (name, value) VALUES ('origin', $1) ON CONFLICT (name) DO NOTHING"))
        {
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = origin });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var select = owner.CreateCommand($"SELECT value FROM \"{schema}\".ledger_settings WHERE name = 'origin'");
        var recorded = (string?)await select.ExecuteScalarAsync(cancellationToken);
        if (recorded != origin)
        {
            throw new LedgerOriginMismatchException(
                $"Schema \"{schema}\" holds the ledger \"{recorded}\", not \"{origin}\". Point Ledger:Origin at \"{recorded}\" or use another schema.");
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
