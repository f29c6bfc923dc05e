namespace IncidentLedger.Testing;

/// <summary>The checkout the tests run from, for tests that read its committed files.</summary>
public static class Repository
{
    /// <summary>The folder holding IncidentLedger.sln, above the test's output folder.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A path inside the checkout.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "IncidentLedger.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("IncidentLedger.sln is not above the test's folder: run the tests from inside the repository.");
    }
}
