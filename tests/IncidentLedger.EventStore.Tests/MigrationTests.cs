using IncidentLedger.EventStore.Embedded;
using IncidentLedger.EventStore.Migrations;
using IncidentLedger.Testing;

namespace IncidentLedger.EventStore.Tests;

public sealed class MigrationTests(LedgerDatabase db) : IClassFixture<LedgerDatabase>
{
    [Fact]
    public async Task Migrating_again_applies_nothing()
    {
        Assert.Empty(await Migrator.MigrateAsync(db.Owner, db.Schema));
        Assert.Equal(Migrator.Embedded.Count, (int)await db.ScalarAsync<long>("SELECT count(*) FROM ledger_migrations"));
    }

    [Fact]
    public async Task Ledger_connections_run_in_utc_without_jit_unless_the_connection_string_asks_for_it_and_the_application_as_its_role()
    {
        async Task<string> SettingsAsync(string connectionString, bool asApplicationRole = true)
        {
            await using var source = LedgerSchema.CreateDataSource(connectionString, db.Schema, asApplicationRole);
            await using var command = source.CreateCommand("SELECT (current_user = $1)::text || ' ' || current_setting('TimeZone') || ' ' || current_setting('jit')");
            command.Parameters.Add(new Npgsql.NpgsqlParameter<string> { TypedValue = LedgerSchema.ApplicationRole });
            return (string)(await command.ExecuteScalarAsync())!;
        }

        Assert.Equal("true UTC off", await SettingsAsync(db.ConnectionString));
        Assert.Equal("false UTC off", await SettingsAsync(db.ConnectionString, asApplicationRole: false));
        Assert.Equal("true UTC on", await SettingsAsync(db.ConnectionString + ";Options=-c jit=on"));
        Assert.Equal("true UTC on", await SettingsAsync(db.ConnectionString + ";Options=-c JIT=on"));
        Assert.Equal("true UTC off", await SettingsAsync(db.ConnectionString + ";Options=-c jit_above_cost=1"));
    }

    [Fact]
    public async Task Large_json_values_are_compressed_with_lz4_where_the_server_has_it()
    {
        const string Jsonb = "FROM pg_attribute a JOIN pg_class r ON r.oid = a.attrelid WHERE r.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND r.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND a.atttypid = 'jsonb'::regtype";
        var lz4 = await db.ScalarAsync<bool>("SELECT coalesce(bool_or(e = 'lz4'), false) FROM pg_settings, unnest(enumvals) AS e WHERE name = 'default_toast_compression'");
        var columns = await db.ScalarAsync<long>("SELECT count(*) " + Jsonb);
        var others = await db.ScalarAsync<long>("SELECT count(*) " + Jsonb + " AND a.attcompression IS DISTINCT FROM 'l'");
        Assert.True(columns > 5, $"{columns} jsonb columns");
        Assert.Equal(lz4 ? 0 : columns, others);

        // A value large enough to be compressed, written as the application writes its documents.
        await using (var session = db.Store.LightweightSession())
        {
            session.Store(new Projections.ProjectionFault { Id = "storage-test", Sequence = 1, Error = string.Concat(Enumerable.Repeat("a repeated reason; ", 1000)) });
            await session.SaveChangesAsync();
        }

        Assert.Equal(lz4 ? "lz4" : "pglz", await db.ScalarAsync<string>("SELECT pg_column_compression(data) FROM mt_doc_projectionfault WHERE id = 'storage-test'"));
        Assert.Empty(await Migrator.MigrateAsync(db.Owner, db.Schema));
        await db.ExecuteAsOwnerAsync("DELETE FROM mt_doc_projectionfault WHERE id = 'storage-test'");
    }

    [Fact]
    public async Task Concurrent_migrations_of_a_fresh_schema_apply_each_file_once()
    {
        var schema = "m_" + Guid.NewGuid().ToString("N")[..12];
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => LedgerSetup.MigrateAsync(db.ConnectionString, schema, LedgerDatabase.Origin)));
        Assert.Equal(Migrator.Embedded.Count, (int)await db.ScalarAsync<long>($"SELECT count(*) FROM {schema}.ledger_migrations"));
        await db.ExecuteAsOwnerAsync($"DROP SCHEMA {schema} CASCADE");
    }

    [Fact]
    public async Task A_migration_changed_after_it_was_applied_stops_start_up()
    {
        var schema = "m_" + Guid.NewGuid().ToString("N")[..12];
        await LedgerSetup.MigrateAsync(db.ConnectionString, schema, LedgerDatabase.Origin);
        await db.ExecuteAsOwnerAsync($"UPDATE {schema}.ledger_migrations SET checksum = 'edited' WHERE id = 1");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => LedgerSetup.MigrateAsync(db.ConnectionString, schema, LedgerDatabase.Origin));
        Assert.Contains("was changed after it was applied", error.Message, StringComparison.Ordinal);
        await db.ExecuteAsOwnerAsync($"DROP SCHEMA {schema} CASCADE");
    }

    [Fact]
    public async Task A_schema_with_the_earlier_read_model_indexes_gets_the_current_ones_and_keeps_its_rows()
    {
        var schema = "m_" + Guid.NewGuid().ToString("N")[..12];
        const string Indexes = "SELECT coalesce(string_agg(indexname, ' ' ORDER BY indexname), '') FROM pg_indexes WHERE schemaname = '{0}' AND tablename = '{1}' AND indexdef LIKE '%USING gin%'";

        // The earlier set, as Marten named it: a GIN index over the whole register row and over the whole accountability document.
        await LedgerSetup.MigrateAsync(db.ConnectionString, schema, LedgerDatabase.Origin);
        await db.ExecuteAsOwnerAsync($"CREATE INDEX mt_doc_registerrow_idx_data ON {schema}.mt_doc_registerrow USING gin (data jsonb_path_ops)");
        await db.ExecuteAsOwnerAsync($"CREATE INDEX mt_doc_incidentaccountability_idx_data ON {schema}.mt_doc_incidentaccountability USING gin (data jsonb_path_ops)");
        await db.ExecuteAsOwnerAsync($"INSERT INTO {schema}.mt_doc_registerrow (id, data, mt_version, mt_dotnet_type) VALUES (gen_random_uuid(), '{{\"systemIds\": [\"1b4e28ba-2fa1-11d2-883f-0016d3cca427\"]}}', gen_random_uuid(), 'RegisterRow')");

        await LedgerSetup.MigrateAsync(db.ConnectionString, schema, LedgerDatabase.Origin);
        Assert.Equal(
            "mt_doc_registerrow_idx_fts mt_doc_registerrow_idx_partyids_gin mt_doc_registerrow_idx_providerids_gin mt_doc_registerrow_idx_systemids_gin",
            await db.ScalarAsync<string>(string.Format(Indexes, schema, "mt_doc_registerrow")));
        Assert.Equal("", await db.ScalarAsync<string>(string.Format(Indexes, schema, "mt_doc_incidentaccountability")));
        Assert.Equal(1, await db.ScalarAsync<long>($"SELECT count(*) FROM {schema}.mt_doc_registerrow WHERE data -> 'systemIds' @> '[\"1b4e28ba-2fa1-11d2-883f-0016d3cca427\"]'"));
        await db.ExecuteAsOwnerAsync($"DROP SCHEMA {schema} CASCADE");
    }

    [Fact]
    public async Task A_database_of_another_ledger_is_refused()
    {
        var error = await Assert.ThrowsAsync<LedgerOriginMismatchException>(() => LedgerSetup.MigrateAsync(db.ConnectionString, db.Schema, "someone-else.example/log"));
        Assert.Contains(LedgerDatabase.Origin, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Robert'); DROP TABLE students;--")]
    [InlineData("")]
    [InlineData("UPPER")]
    public void Unsafe_schema_names_are_refused(string schema)
    {
        Assert.Throws<ArgumentException>(() => LedgerSchema.Validate(schema));
    }
}

public sealed class PostgresClusterTests
{
    private static bool HasServerBinaries()
    {
        try
        {
            PostgresCluster.FindBinDirectory();
            return true;
        }
        catch (PostgresClusterException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Missing_server_binaries_fail_with_a_fix_it_message()
    {
        var error = await Assert.ThrowsAsync<PostgresClusterException>(() =>
            PostgresCluster.StartAsync(new PostgresClusterOptions { BinDirectory = "/nonexistent/postgresql/bin" }));
        Assert.Contains("apt-get install postgresql", error.Message, StringComparison.Ordinal);
        Assert.Contains("LEDGER_TEST_DB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cluster_in_a_given_folder_keeps_its_data_across_restarts()
    {
        Assert.SkipWhen(Environment.GetEnvironmentVariable("LEDGER_TEST_DB") is { Length: > 0 } && !HasServerBinaries(), "no PostgreSQL server binaries here; the suite runs against LEDGER_TEST_DB");
        var folder = Path.Combine(Path.GetTempPath(), "ledger-cluster-test-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using (var first = await PostgresCluster.StartAsync(new PostgresClusterOptions { DataDirectory = folder }))
            {
                await using var source = Npgsql.NpgsqlDataSource.Create(first.ConnectionString);
                await using var create = source.CreateCommand("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
                await create.ExecuteNonQueryAsync();
            }

            await using var second = await PostgresCluster.StartAsync(new PostgresClusterOptions { DataDirectory = folder });
            await using var again = Npgsql.NpgsqlDataSource.Create(second.ConnectionString);
            await using var read = again.CreateCommand("SELECT v FROM kept");
            Assert.Equal("still here", await read.ExecuteScalarAsync());
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
