using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace IncidentLedger.Load.Harness;

/// <summary>
/// The baseline for a round trip through the API: Kestrel alone on 127.0.0.1 (no routing, authentication or
/// middleware), answering every request with fixed bytes under a fixed content type, or with one handler.
/// </summary>
public sealed class BareEndpoint : IAsyncDisposable
{
    private readonly WebApplication app;

    private BareEndpoint(WebApplication app, Uri baseAddress)
    {
        this.app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static Task<BareEndpoint> StartAsync(byte[] body, string contentType) =>
        StartAsync(context => AnswerAsync(context, body, contentType));

    public static async Task<BareEndpoint> StartAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton<IHostLifetime, RunLifetime>();
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new BareEndpoint(app, new Uri(address + "/"));
    }

    public static async Task AnswerAsync(HttpContext context, byte[] body, string contentType)
    {
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
