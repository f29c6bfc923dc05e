namespace IncidentLedger.Domain;

/// <summary>
/// Rule or taxonomy data in schema/rules/ is malformed. The message names the file and every
/// problem found, so the data can be fixed without reading code.
/// </summary>
#pragma warning disable CA1032 // Always raised with the file and the problems found.
public sealed class RuleDataException(string source, IReadOnlyList<string> problems, Exception? inner = null)
    : Exception($"{source} is not valid rule data:{Environment.NewLine}  - {string.Join(Environment.NewLine + "  - ", problems)}", inner)
#pragma warning restore CA1032
{
    public string DataFile { get; } = source;

    public IReadOnlyList<string> Problems { get; } = problems;
}
