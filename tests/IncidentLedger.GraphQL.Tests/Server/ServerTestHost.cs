using System.Net;
using IncidentLedger.GraphQL.Execution;
using IncidentLedger.GraphQL.Server;
using IncidentLedger.GraphQL.Types;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentLedger.GraphQL.Tests.Server;

/// <summary>A real Kestrel server on 127.0.0.1 serving a small schema at /graphql, for HTTP-level tests and the graphql-http audit.</summary>
public sealed class ServerTestHost : IAsyncDisposable
{
    public const string Sdl = """
        type Query {
          hello(name: String = "world"): String!
          count: Int!
          failing: String
          slow: String
          node: Node
          whoami: String
        }

        type Node {
          depth: Int!
          child: Node
        }

        type Mutation {
          increment(by: Int!): Int!
        }

        type Subscription {
          ticks(upTo: Int!, after: Int = 0, everyMs: Int = 5): Int!
        }
        """;

    private readonly WebApplication app;
    private int count;

    private ServerTestHost(WebApplication app, Uri url)
    {
        this.app = app;
        Url = url;
    }

    public Uri Url { get; }

    public Uri GraphQL => new(Url, "/graphql");

    public int Count => count;

    public static async Task<ServerTestHost> StartAsync(GraphQLServerOptions? options = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        ServerTestHost? host = null;
        var schema = SchemaBuilder.FromSdl(Sdl)
            .BindResolver("Query", "hello", ctx => $"Hello, {ctx.Argument<string>("name")}!")
            .BindResolver("Query", "count", _ => host!.count)
            .BindResolver("Query", "failing", _ => throw new GraphQLException("this field always fails", "TEST_FAILURE"))
            .BindResolver("Query", "slow", async ctx =>
            {
                await Task.Delay(TimeSpan.FromSeconds(30), ctx.CancellationToken);
                return "too late";
            })
            .BindResolver("Query", "node", _ => 1)
            .BindResolver("Query", "whoami", ctx => (ctx.UserContext as System.Security.Claims.ClaimsPrincipal)?.Identity?.Name)
            .BindResolver("Node", "depth", ctx => ctx.Parent)
            .BindResolver("Node", "child", ctx => (int)ctx.Parent! + 1)
            .BindResolver("Mutation", "increment", ctx => Interlocked.Add(ref host!.count, ctx.Argument<int>("by")))
            .BindSubscription("Subscription", "ticks", ctx => Ticks(ctx.Argument<int>("after"), ctx.Argument<int>("upTo"), ctx.Argument<int>("everyMs"), ctx.CancellationToken), ctx => new ValueTask<object?>(ctx.Parent))
            .Build();
        // Stands in for authentication: the caller named in X-Test-User is authenticated as that name.
        app.Use(async (context, next) =>
        {
            if (context.Request.Headers.TryGetValue("X-Test-User", out var user))
            {
                context.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity([new(System.Security.Claims.ClaimTypes.Name, user.ToString())], "test"));
            }

            await next();
        });
        app.UseWebSockets();
        app.MapGraphQL("/graphql", new Executor(schema), options);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host = new ServerTestHost(app, new Uri(address));
        return host;
    }

    /// <summary>Numbered events after <paramref name="after"/>: resuming from an event the client saw is asking for the ones after it.</summary>
    private static async IAsyncEnumerable<object?> Ticks(int after, int upTo, int everyMs, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var i = after + 1; i <= upTo; i++)
        {
            await Task.Delay(everyMs, cancellationToken);
            yield return i;
        }
    }

    /// <summary>Resumable ticks: the SSE id of each event is its number, and Last-Event-ID becomes the after variable.</summary>
    public static GraphQLServerOptions Resumable(GraphQLServerOptions? options = null) => (options ?? new GraphQLServerOptions()) with
    {
        ResumeVariable = "after",
        EventId = result => result.Data is ResultMap data && data.TryGetValue("ticks", out var tick) ? Convert.ToString(tick, System.Globalization.CultureInfo.InvariantCulture) : null,
    };

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
