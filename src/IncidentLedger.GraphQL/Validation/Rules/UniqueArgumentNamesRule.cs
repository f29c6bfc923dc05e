using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Validation.Rules;

/// <summary>Spec §5.4.2 Argument Uniqueness: a field or directive is given each argument once.</summary>
public sealed class UniqueArgumentNamesRule : ValidationRule
{
    public static string DuplicateArgument(string name) => $"There can be only one argument named \"{name}\".";

    public override bool Enter(SyntaxNode node, ValidationContext context)
    {
        var arguments = node switch
        {
            FieldNode f => f.Arguments,
            DirectiveNode d => d.Arguments,
            _ => null,
        };
        if (arguments is { Count: > 1 })
        {
            foreach (var group in arguments.GroupBy(a => a.Name.Value, StringComparer.Ordinal))
            {
                var list = group.ToList();
                if (list.Count > 1)
                {
                    context.ReportError(DuplicateArgument(group.Key), list.Select(a => (SyntaxNode)a.Name));
                }
            }
        }

        return true;
    }
}
