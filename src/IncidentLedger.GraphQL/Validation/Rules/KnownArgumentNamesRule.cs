using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Validation.Rules;

/// <summary>Spec §5.4.1 Argument Names: every argument is defined by the field or directive it is given to.</summary>
public sealed class KnownArgumentNamesRule : ValidationRule
{
    private Dictionary<string, HashSet<string>>? _directiveArguments;

    public static string UnknownFieldArgument(string argument, string type, string field) => $"Unknown argument \"{argument}\" on field \"{type}.{field}\".";

    public static string UnknownDirectiveArgument(string argument, string directive) => $"Unknown argument \"{argument}\" on directive \"@{directive}\".";

    public override bool Enter(SyntaxNode node, ValidationContext context)
    {
        switch (node)
        {
            case DirectiveNode d:
                if (_directiveArguments is null)
                {
                    _directiveArguments = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
                    foreach (var def in context.Schema.Directives)
                    {
                        _directiveArguments[def.Name] = def.Arguments.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
                    }

                    foreach (var def in context.Document.Definitions.OfType<DirectiveDefinitionNode>())
                    {
                        _directiveArguments[def.Name.Value] = def.Arguments.Select(a => a.Name.Value).ToHashSet(StringComparer.Ordinal);
                    }
                }

                if (_directiveArguments.TryGetValue(d.Name.Value, out var known))
                {
                    foreach (var a in d.Arguments)
                    {
                        if (!known.Contains(a.Name.Value))
                        {
                            context.ReportError(UnknownDirectiveArgument(a.Name.Value, d.Name.Value), a);
                        }
                    }
                }

                // Directive arguments are checked here, not as field arguments.
                return false;
            case ArgumentNode a:
                if (context.Argument is null && context.FieldDef is { } field && context.ParentType is { } parent)
                {
                    context.ReportError(UnknownFieldArgument(a.Name.Value, parent.Name, field.Name), a);
                }

                break;
        }

        return true;
    }
}
