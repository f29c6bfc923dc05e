using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace IncidentLedger.EventStore.Migrations;

/// <summary>One numbered SQL file from schema/postgres, embedded in this assembly.</summary>
public sealed record Migration(int Id, string Name, string Sql)
{
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));
}

/// <summary>
/// Applies the embedded migrations to one schema, in order, each once, inside one transaction
/// under an advisory lock, so any number of nodes may start at once.
/// </summary>
public static class Migrator
{
    public static IReadOnlyList<Migration> Embedded { get; } = LoadEmbedded();

    /// <summary>The application role's grants (schema/postgres/grants.sql), applied at every start after the tables exist.</summary>
    public static string Grants { get; } = ReadResource("Grants.sql");

    /// <summary>How the tables store large values (schema/postgres/storage.sql), applied at every start after the tables exist.</summary>
    public static string Storage { get; } = ReadResource("Storage.sql");

    private static string ReadResource(string name)
    {
        using var stream = typeof(Migrator).Assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"The resource {name} is missing from the build.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Creates the schema if needed and applies what is missing; returns the ids applied now.</summary>
    public static async Task<IReadOnlyList<int>> MigrateAsync(NpgsqlDataSource owner, string schema, CancellationToken cancellationToken = default)
    {
        LedgerSchema.Validate(schema);
        await using var connection = await owner.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, $"""
            SELECT pg_advisory_xact_lock(hashtextextended('incident-ledger/migrations/' || @schema, 0));
            CREATE SCHEMA IF NOT EXISTS "{schema}";
            SET LOCAL search_path TO "{schema}";
            CREATE TABLE IF NOT EXISTS ledger_migrations (
                id         integer     PRIMARY KEY,
                name       text        NOT NULL,
                checksum   text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            );
            """, cancellationToken, ("schema", schema));

        var applied = new Dictionary<int, (string Name, string Checksum)>();
        await using (var command = new NpgsqlCommand("SELECT id, name, checksum FROM ledger_migrations", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                applied[reader.GetInt32(0)] = (reader.GetString(1), reader.GetString(2));
            }
        }

        var newlyApplied = new List<int>();
        foreach (var migration in Embedded)
        {
            if (applied.TryGetValue(migration.Id, out var existing))
            {
                if (existing.Checksum != migration.Checksum)
                {
                    throw new InvalidOperationException(
                        $"Migration {migration.Id} ({migration.Name}) was changed after it was applied to schema \"{schema}\". " +
                        "Applied migrations are immutable: restore the original file and add a new numbered migration instead.");
                }

                continue;
            }

            await ExecuteAsync(connection, migration.Sql, cancellationToken);
            await ExecuteAsync(connection, "INSERT INTO ledger_migrations (id, name, checksum) VALUES (@id, @name, @checksum)", cancellationToken,
                ("id", migration.Id), ("name", migration.Name), ("checksum", migration.Checksum));
            newlyApplied.Add(migration.Id);
        }

        await transaction.CommitAsync(cancellationToken);
        return newlyApplied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<Migration> LoadEmbedded()
    {
        var assembly = typeof(Migrator).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith("Migrations.", StringComparison.Ordinal) && r.EndsWith(".sql", StringComparison.Ordinal)))
        {
            var name = resource["Migrations.".Length..^".sql".Length];
            var underscore = name.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(name[..underscore], out var id))
            {
                throw new InvalidOperationException($"Migration file {name}.sql must be named NNNN_description.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            migrations.Add(new Migration(id, name, reader.ReadToEnd()));
        }

        var duplicate = migrations.GroupBy(m => m.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two migrations share number {duplicate.Key}: {string.Join(", ", duplicate.Select(m => m.Name))}.");
        }

        return [.. migrations.OrderBy(m => m.Id)];
    }
}
