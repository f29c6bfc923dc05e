using IncidentLedger.Api.Auth;
using IncidentLedger.Api.Domain;
using IncidentLedger.Api.GraphQL;
using IncidentLedger.Api.Hosting;
using IncidentLedger.Api.Log;
using IncidentLedger.Api.Operations;

LedgerStartProblems.ExplainInOneLine();

// `--demo` is short for `--Ledger:Demo=true`.
var builder = WebApplication.CreateBuilder([.. args.Select(a => a == "--demo" ? "--Ledger:Demo=true" : a)]);
builder.AddLedgerTelemetry();
builder.AddLedgerAuthentication();
await builder.AddLedgerAsync();

var app = builder.Build();
app.RefuseTakenPorts();
app.UseLedgerAuthentication();
app.UseWebSockets();
app.MapLedgerHealth();
app.MapLedgerOperations();
app.MapTransparencyLog();
app.MapLogGraphQL();
app.AnnounceLedgerOnStart();
if (app.Services.GetRequiredService<LedgerOptions>().Demo)
{
    await app.Services.GetRequiredService<DemoLoader>().LoadAsync();
}

await app.RunAsync();

/// <summary>The entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
