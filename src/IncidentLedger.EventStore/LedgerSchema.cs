using System.Text.RegularExpressions;
using Npgsql;

namespace IncidentLedger.EventStore;

/// <summary>Connections to one ledger: a database schema, used as its owner (migrations) or as the insert-only application role.</summary>
public static partial class LedgerSchema
{
    public const string ApplicationRole = "incident_ledger_app";

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();

    /// <summary>A jit setting among libpq-style options: <c>-c jit=…</c>, <c>-cjit=…</c> or <c>--jit=…</c>, in any case.</summary>
    [GeneratedRegex(@"(-c\s*|--)jit\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex JitOption();

    public static void Validate(string schema)
    {
        if (schema is null || !SchemaName().IsMatch(schema))
        {
            throw new ArgumentException($"\"{schema}\" is not a usable schema name: use lower-case letters, digits and underscores (at most 63).", nameof(schema));
        }
    }

    /// <summary>A data source whose connections see only <paramref name="schema"/>, in UTC, without JIT, optionally as the application role.</summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString, string schema, bool asApplicationRole, int? maxPoolSize = null) =>
        NpgsqlDataSource.Create(ConnectionString(connectionString, schema, asApplicationRole, maxPoolSize));

    /// <summary>The connection string of <see cref="CreateDataSource"/>: what Marten is given too.</summary>
    public static string ConnectionString(string connectionString, string schema, bool asApplicationRole, int? maxPoolSize = null)
    {
        Validate(schema);
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            SearchPath = schema,
            Timezone = "UTC",
            ApplicationName = asApplicationRole ? "incident-ledger" : "incident-ledger-owner",
        };
        // The ledger's statements are short and repeated (its long reads stream rows in order): JIT compilation, which
        // PostgreSQL starts once a plan's estimated cost passes jit_above_cost, costs them more than it saves. A connection
        // string whose options set jit keeps its choice.
        if (!JitOption().IsMatch(builder.Options ?? ""))
        {
            builder.Options = $"{builder.Options} -c jit=off".Trim();
        }

        if (asApplicationRole)
        {
            builder.Options = $"{builder.Options} -c role={ApplicationRole}".Trim();

            // The append and read statements repeat endlessly: prepare them once per connection, and keep
            // the session across pool returns. Npgsql would otherwise put a reset before a reused connection's
            // next command: DISCARD ALL, or once statements are prepared RESET ALL, CLOSE ALL, UNLISTEN *,
            // pg_advisory_unlock_all() and DISCARD SEQUENCES and TEMP. So what a session takes (an advisory
            // lock, a LISTEN) stays with the connection unless its taker undoes it (PooledSessions).
            builder.MaxAutoPrepare = 32;
            builder.AutoPrepareMinUsages = 2;
            builder.NoResetOnClose = true;
        }

        if (maxPoolSize is { } max)
        {
            builder.MaxPoolSize = max;
        }

        return builder.ConnectionString;
    }
}
