using System.Text;
using IncidentLedger.GraphQL.Execution;
using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Types;

/// <summary>Prints a schema's user-defined types and directives as SDL.</summary>
public static class SchemaPrinter
{
    public static string Print(Schema schema)
    {
        var parts = new List<string>();
        var standardRoots = schema.QueryType.Name == "Query" && (schema.MutationType?.Name ?? "Mutation") == "Mutation" && (schema.SubscriptionType?.Name ?? "Subscription") == "Subscription";
        if (!standardRoots || schema.Description is not null)
        {
            var sb = new StringBuilder();
            Description(sb, schema.Description, "");
            sb.Append("schema {\n  query: ").Append(schema.QueryType.Name);
            if (schema.MutationType is not null)
            {
                sb.Append("\n  mutation: ").Append(schema.MutationType.Name);
            }

            if (schema.SubscriptionType is not null)
            {
                sb.Append("\n  subscription: ").Append(schema.SubscriptionType.Name);
            }

            parts.Add(sb.Append("\n}").ToString());
        }

        foreach (var d in schema.Directives.Where(d => !d.IsBuiltIn))
        {
            var sb = new StringBuilder();
            Description(sb, d.Description, "");
            sb.Append("directive @").Append(d.Name).Append(Arguments(d.Arguments, ""));
            if (d.IsRepeatable)
            {
                sb.Append(" repeatable");
            }

            sb.Append(" on ").AppendJoin(" | ", d.Locations.Select(DirectiveDefinition.LocationName));
            parts.Add(sb.ToString());
        }

        foreach (var type in schema.Types)
        {
            if (type.IsBuiltIn || type.Name.StartsWith("__", StringComparison.Ordinal))
            {
                continue;
            }

            parts.Add(Type(type));
        }

        return string.Join("\n\n", parts) + "\n";
    }

    private static string Type(NamedType type)
    {
        var sb = new StringBuilder();
        Description(sb, type.Description, "");
        switch (type)
        {
            case ScalarType s:
                sb.Append("scalar ").Append(s.Name);
                if (s.SpecifiedByUrl is not null)
                {
                    sb.Append(" @specifiedBy(url: ").Append(Printer.PrintString(s.SpecifiedByUrl)).Append(')');
                }

                break;
            case ComplexType c:
                sb.Append(c is ObjectType ? "type " : "interface ").Append(c.Name);
                if (c.Interfaces.Count > 0)
                {
                    sb.Append(" implements ").AppendJoin(" & ", c.Interfaces.Select(i => i.Name));
                }

                sb.Append(" {");
                foreach (var f in c.Fields)
                {
                    sb.Append('\n');
                    Description(sb, f.Description, "  ");
                    sb.Append("  ").Append(f.Name).Append(Arguments(f.Arguments, "  ")).Append(": ").Append(f.Type).Append(Deprecated(f.DeprecationReason));
                }

                sb.Append("\n}");
                break;
            case UnionType u:
                sb.Append("union ").Append(u.Name).Append(" = ").AppendJoin(" | ", u.Types.Select(t => t.Name));
                break;
            case EnumType e:
                sb.Append("enum ").Append(e.Name).Append(" {");
                foreach (var v in e.Values)
                {
                    sb.Append('\n');
                    Description(sb, v.Description, "  ");
                    sb.Append("  ").Append(v.Name).Append(Deprecated(v.DeprecationReason));
                }

                sb.Append("\n}");
                break;
            case InputObjectType io:
                sb.Append("input ").Append(io.Name).Append(io.IsOneOf ? " @oneOf" : "").Append(" {");
                foreach (var f in io.Fields)
                {
                    sb.Append('\n');
                    Description(sb, f.Description, "  ");
                    sb.Append("  ").Append(InputValue(f));
                }

                sb.Append("\n}");
                break;
        }

        return sb.ToString();
    }

    private static string Arguments(IReadOnlyList<InputValueDefinition> arguments, string indent)
    {
        if (arguments.Count == 0)
        {
            return "";
        }

        if (arguments.All(a => a.Description is null))
        {
            return "(" + string.Join(", ", arguments.Select(InputValue)) + ")";
        }

        var sb = new StringBuilder("(");
        foreach (var a in arguments)
        {
            sb.Append('\n');
            Description(sb, a.Description, indent + "  ");
            sb.Append(indent).Append("  ").Append(InputValue(a));
        }

        return sb.Append('\n').Append(indent).Append(')').ToString();
    }

    private static string InputValue(InputValueDefinition value)
    {
        var text = $"{value.Name}: {value.Type}";
        if (value.HasDefaultValue && ValueCoercion.ToLiteral(value.DefaultValue, value.Type) is { } literal)
        {
            text += " = " + Printer.Print(literal);
        }

        return text + Deprecated(value.DeprecationReason);
    }

    private static string Deprecated(string? reason) => reason switch
    {
        null => "",
        BuiltInDirectives.DefaultDeprecationReason => " @deprecated",
        _ => $" @deprecated(reason: {Printer.PrintString(reason)})",
    };

    private static void Description(StringBuilder sb, string? description, string indent)
    {
        if (description is null)
        {
            return;
        }

        sb.Append(indent).Append(BlockStrings.Print(description, indent)).Append('\n');
    }
}
