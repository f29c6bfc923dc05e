using System.Diagnostics;
using System.Text.Json;

namespace IncidentLedger.GraphQL.Tests.SideBySide;

/// <summary>Runs tests/js/oracle.mjs (graphql-js over the corpus) once per test run and keeps its output.</summary>
public static class Oracle
{
    private static readonly Lazy<(JsonDocument? Output, string? Problem)> Output = new(Run);

    public static string? Problem => Output.Value.Problem;

    public static JsonElement Root => Output.Value.Output?.RootElement ?? throw new InvalidOperationException(Problem);

    public static IEnumerable<string> CaseNames() =>
        Problem is null ? Root.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("name").GetString()!) : ["oracle-unavailable"];

    public static JsonElement Case(string name) =>
        Root.GetProperty("results").EnumerateArray().First(r => r.GetProperty("name").GetString() == name);

    /// <summary>Runs a Node script in tests/js with the given stdin and returns its stdout.</summary>
    public static string RunNode(string script, string? stdin = null)
    {
        var dir = TestSchema.RepoPath("tests", "js");
        if (!Directory.Exists(Path.Combine(dir, "node_modules", "graphql")))
        {
            throw new InvalidOperationException($"graphql-js is not installed: run `npm ci` in {dir} (./test.sh does this for you).");
        }

        var start = new ProcessStartInfo("node", script)
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node; is Node.js installed and on PATH?");
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(true);
            throw new TimeoutException($"node {script} did not finish within two minutes.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"node {script} failed ({process.ExitCode}): {stderr.Result}");
        }

        return stdout.Result;
    }

    private static (JsonDocument?, string?) Run()
    {
        try
        {
            return (JsonDocument.Parse(RunNode("oracle.mjs")), null);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or TimeoutException)
        {
            return (null, ex.Message);
        }
    }
}
