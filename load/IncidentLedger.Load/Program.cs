using System.CommandLine;
using IncidentLedger.Load.Scenarios;

// Socket completions run inline on the I/O thread: with only async code on the path, this saves
// a thread-pool hop per round trip, which matters on a 2-core machine. Read when sockets first start.
// Not for `api`: the API host runs in this process there, and it is measured with the runtime's defaults.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null && args is not ["api", ..])
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}

var root = new RootCommand("IncidentLedger load runs and benchmarks. Every run prints its figures next to a baseline measured in the same run.");
root.Subcommands.Add(AppendBenchmark.Command());
root.Subcommands.Add(LogBenchmark.Command());
root.Subcommands.Add(ProjectionBenchmark.Command());
root.Subcommands.Add(ApiBenchmark.Command());
return await root.Parse(args).InvokeAsync();
