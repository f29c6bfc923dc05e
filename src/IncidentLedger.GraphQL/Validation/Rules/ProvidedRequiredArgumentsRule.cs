using IncidentLedger.GraphQL.Language;
using IncidentLedger.GraphQL.Types;

namespace IncidentLedger.GraphQL.Validation.Rules;

/// <summary>Spec §5.4.2.1 Required Arguments: non-null arguments without a default are given.</summary>
public sealed class ProvidedRequiredArgumentsRule : ValidationRule
{
    private Dictionary<string, List<(string Name, string Type)>>? _directiveRequired;

    public static string MissingFieldArgument(string field, string argument, string type) =>
        $"Field \"{field}\" argument \"{argument}\" of type \"{type}\" is required, but it was not provided.";

    public static string MissingDirectiveArgument(string directive, string argument, string type) =>
        $"Directive \"@{directive}\" argument \"{argument}\" of type \"{type}\" is required, but it was not provided.";

    public override void Leave(SyntaxNode node, ValidationContext context)
    {
        switch (node)
        {
            case FieldNode f when context.FieldDef is { } def:
                foreach (var arg in def.Arguments)
                {
                    if (arg.Type is NonNullType && !arg.HasDefaultValue && !f.Arguments.Any(a => a.Name.Value == arg.Name))
                    {
                        context.ReportError(MissingFieldArgument(def.Name, arg.Name, arg.Type.ToString()), f);
                    }
                }

                break;
            case DirectiveNode d:
                _directiveRequired ??= BuildDirectiveMap(context);
                if (_directiveRequired.TryGetValue(d.Name.Value, out var required))
                {
                    foreach (var (name, type) in required)
                    {
                        if (!d.Arguments.Any(a => a.Name.Value == name))
                        {
                            context.ReportError(MissingDirectiveArgument(d.Name.Value, name, type), d);
                        }
                    }
                }

                break;
        }
    }

    private static Dictionary<string, List<(string, string)>> BuildDirectiveMap(ValidationContext context)
    {
        var map = new Dictionary<string, List<(string, string)>>(StringComparer.Ordinal);
        foreach (var d in context.Schema.Directives)
        {
            map[d.Name] = d.Arguments.Where(a => a.Type is NonNullType && !a.HasDefaultValue).Select(a => (a.Name, a.Type.ToString())).ToList();
        }

        foreach (var d in context.Document.Definitions.OfType<DirectiveDefinitionNode>())
        {
            map[d.Name.Value] = d.Arguments.Where(a => a.Type is NonNullTypeNode && a.DefaultValue is null).Select(a => (a.Name.Value, Printer.Print(a.Type))).ToList();
        }

        return map;
    }
}
