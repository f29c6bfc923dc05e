using System.CommandLine;
using IncidentLedger.EventStore;
using Marten;
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

    public static NpgsqlDataSource Open(string? connection, string schema) =>
        LedgerSchema.CreateDataSource(Resolve(connection), schema, asApplicationRole: false);

    /// <summary>A Marten store on the ledger, as the application role (what the command may change is what the application may).</summary>
    public static DocumentStore OpenStore(string? connection, string schema) =>
        DocumentStore.For(options =>
        {
            LedgerStore.Configure(options, LedgerSchema.ConnectionString(Resolve(connection), schema, asApplicationRole: true), schema);
            // The command line runs no projections: a ledger node's daemon does.
            options.Projections.AsyncMode = JasperFx.Events.Daemon.DaemonMode.ExternallyManaged;
        });

    private static string Resolve(string? connection) =>
        connection ?? Environment.GetEnvironmentVariable("LEDGER_DB")
            ?? throw new ArgumentException("No ledger database given: pass --connection \"Host=…;Username=…;Database=…\" or set LEDGER_DB.");
}
