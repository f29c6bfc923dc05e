using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace IncidentLedger.GraphQL.Server;

/// <summary>Token buckets partitioned by caller: the authenticated name, else the remote IP address.</summary>
internal sealed class GraphQLRateLimiter(GraphQLRateLimit limit) : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> limiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        RateLimitPartition.GetTokenBucketLimiter(CallerOf(context), _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(limit.Burst, 1),
            TokensPerPeriod = Math.Max(limit.RequestsPerWindow, 1),
            ReplenishmentPeriod = limit.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    public static string CallerOf(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { } name } ? "user:" + name : "ip:" + context.Connection.RemoteIpAddress;

    /// <summary>Takes a permit for this request; when none is left, how long until one is.</summary>
    public (bool Acquired, TimeSpan RetryAfter) TryAcquire(HttpContext context)
    {
        using var lease = limiter.AttemptAcquire(context);
        if (lease.IsAcquired)
        {
            return (true, TimeSpan.Zero);
        }

        return (false, lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : limit.Window);
    }

    public void Dispose() => limiter.Dispose();
}
