namespace IncidentLedger.GraphQL.Types;

/// <summary>Thrown by <see cref="SchemaBuilder.Build"/> with every problem found: unbound fields and type-system errors.</summary>
public sealed class SchemaException(IReadOnlyList<string> problems)
    : Exception("The GraphQL schema is not valid:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
