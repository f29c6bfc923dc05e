using System.Diagnostics;

namespace IncidentLedger.GraphQL.Tests.Server;

/// <summary>Runs a Node script of tests/js against a running server; stdout and stderr are read together so neither pipe can fill and stall it.</summary>
internal static class NodeScript
{
    public static async Task<string> RunAsync(string script, string package, TimeSpan timeLimit, params string[] arguments)
    {
        var js = TestSchema.RepoPath("tests", "js");
        Assert.True(Directory.Exists(Path.Combine(js, "node_modules", package)), $"{package} is not installed: run `npm ci` in {js} (./test.sh does this for you).");
        var start = new ProcessStartInfo("node", [script, .. arguments])
        {
            WorkingDirectory = js, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var node = Process.Start(start) ?? throw new InvalidOperationException("Could not start node; is Node.js installed and on PATH?");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(timeLimit);
        var output = node.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = node.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await node.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} did not finish within {timeLimit.TotalSeconds:0} s.");
        }

        Assert.True(node.ExitCode == 0, $"node {script} failed ({node.ExitCode}): {await error}\n{await output}");
        return await output;
    }
}
