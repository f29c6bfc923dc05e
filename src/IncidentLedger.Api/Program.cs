using IncidentLedger.Api.Auth;
using IncidentLedger.Api.Domain;
using IncidentLedger.Api.GraphQL;
using IncidentLedger.Api.Hosting;
using IncidentLedger.Api.Log;
using IncidentLedger.Api.Operations;
using JasperFx;

LedgerStartProblems.ExplainInOneLine();

// `--demo` is short for `--Ledger:Demo=true`.
var builder = WebApplication.CreateBuilder([.. args.Select(a => a == "--demo" ? "--Ledger:Demo=true" : a)]);
builder.AddLedgerTelemetry();
builder.AddLedgerAuthentication();
await builder.AddLedgerAsync();

var app = builder.Build();
if (args is ["codegen", ..])
{
    // `codegen write` pre-generates Wolverine's handler code into Internal/Generated (checked in);
    // `codegen test` checks that it compiles. See LedgerServices for when it is loaded.
    var database = app.Services.GetRequiredService<LedgerDatabase>();
    var exit = await app.RunJasperFxCommands(args);
    await database.DisposeAsync();
    return exit;
}

app.RefuseTakenPorts();
await app.MigrateMessageStoreAsync();
app.UseLedgerAuthentication();
app.UseWebSockets();
app.MapLedgerHealth();
app.MapLedgerOperations();
app.MapTransparencyLog();
app.MapLedgerGraphQL();
app.AnnounceLedgerOnStart();
await app.StartAsync();
if (app.Services.GetRequiredService<LedgerOptions>().Demo)
{
    // Through the bus like any command, so once the host (and Wolverine) runs. Stopped meanwhile (Ctrl+C),
    // the host still stops in order below; a later start with --demo resumes the load.
    try
    {
        await app.Services.GetRequiredService<DemoLoader>().LoadAsync(app.Lifetime.ApplicationStopping);
    }
    catch (OperationCanceledException) when (app.Lifetime.ApplicationStopping.IsCancellationRequested)
    {
    }
}

await app.WaitForShutdownAsync();
return 0;

/// <summary>The entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
