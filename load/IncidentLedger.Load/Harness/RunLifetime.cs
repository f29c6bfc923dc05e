using Microsoft.Extensions.Hosting;

namespace IncidentLedger.Load.Harness;

/// <summary>
/// The lifetime of a host a benchmark starts in its own process (the API, the bare endpoints): it stops when the benchmark
/// disposes it, not on a signal. A host's console lifetime takes SIGTERM for itself (the process then never exits on it)
/// and stops the host, so a run went on against a stopped host, or ignored the signal; without it, Ctrl+C and SIGTERM
/// reach the benchmark's command, which cancels the run.
/// </summary>
internal sealed class RunLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
