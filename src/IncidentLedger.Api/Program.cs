using IncidentLedger.Api.GraphQL;
using IncidentLedger.Api.Hosting;
using IncidentLedger.Api.Log;

var builder = WebApplication.CreateBuilder(args);
await builder.AddLedgerAsync();

var app = builder.Build();
app.UseWebSockets();
app.MapLedgerHealth();
app.MapTransparencyLog();
app.MapLogGraphQL();
app.AnnounceLedgerOnStart();
await app.RunAsync();

/// <summary>The entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
