using System.Diagnostics;

namespace IncidentLedger.Load.Harness;

/// <summary>
/// An open-loop load: operations start on schedule (a fixed rate) whether or not earlier ones
/// finished, the way independent clients arrive. Bounded by duration.
/// </summary>
public static class OpenLoop
{
    /// <returns>How many operations were started and the rate actually achieved.</returns>
    public static async Task<(int Sent, double Rate)> RunAsync(int rate, TimeSpan duration, Func<int, Task> operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        var clock = Stopwatch.StartNew();
        var inFlight = new List<Task>();
        var sent = 0;
        while (clock.Elapsed < duration)
        {
            var due = interval * sent;
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed, cancellationToken);
            }

            inFlight.Add(operation(sent++));
        }

        await Task.WhenAll(inFlight);
        return (sent, sent / clock.Elapsed.TotalSeconds);
    }
}
