using System.CommandLine;
using IncidentLedger.EventStore;
using Npgsql;

namespace IncidentLedger.Cli.Commands;

/// <summary>The --connection / --schema options shared by commands that read a live ledger.</summary>
internal static class LedgerConnection
{
    public static Option<string?> Connection() => new("--connection", "-c")
    {
        Description = "PostgreSQL connection string of the ledger (default: the LEDGER_DB environment variable).",
    };

    public static Option<string> Schema() => new("--schema")
    {
        Description = "The database schema holding the ledger.",
        DefaultValueFactory = _ => "ledger",
    };

    public static NpgsqlDataSource Open(string? connection, string schema)
    {
        var connectionString = connection ?? Environment.GetEnvironmentVariable("LEDGER_DB")
            ?? throw new ArgumentException("No ledger database given: pass --connection \"Host=…;Username=…;Database=…\" or set LEDGER_DB.");
        return LedgerSchema.CreateDataSource(connectionString, schema, asApplicationRole: false);
    }
}
