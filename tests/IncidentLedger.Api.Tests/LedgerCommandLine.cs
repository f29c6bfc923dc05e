using IncidentLedger.Cli;
using IncidentLedger.Testing;

namespace IncidentLedger.Api.Tests;

/// <summary>The `ledger` command line, run in this process against a host's schema, and files for it to read.</summary>
public sealed class LedgerCommandLine(string schema) : IDisposable
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("ledger-api-");

    public async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await LedgerCli.RunAsync(args, output, error);
        return (code, output + error.ToString());
    }

    /// <summary>`ledger export` of the host's schema into a new file; returns its path.</summary>
    public async Task<string> ExportAsync()
    {
        var file = PathOf($"bundle-{Guid.NewGuid():N}.jsonl");
        var (code, output) = await RunAsync("export", "--connection", await TestPostgres.GetConnectionStringAsync(), "--schema", schema, "--out", file);
        Assert.True(code == 0, output);
        return file;
    }

    public string PathOf(string name) => Path.Combine(work.FullName, name);

    public string Write(string name, string text)
    {
        File.WriteAllText(PathOf(name), text);
        return PathOf(name);
    }

    public void Dispose() => work.Delete(recursive: true);
}
