namespace IncidentLedger.Testing;

/// <summary>Waiting, bounded, for something a background worker (daemon, sealer, scheduler, outbox) does.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming <paramref name="what"/> after <paramref name="timeout"/> (60 s by default).</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, TimeSpan? poll = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {limit.TotalSeconds:0} s for {what}.");
            }

            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(100));
        }
    }
}
