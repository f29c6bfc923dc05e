using System.Globalization;
using System.Text;

namespace IncidentLedger.GraphQL.Language;

/// <summary>Prints a syntax tree back to GraphQL text in a canonical layout; printing a re-parsed print gives the same text.</summary>
public static class Printer
{
    public static string Print(SyntaxNode node)
    {
        var sb = new StringBuilder();
        new Writer(sb).Node(node, "");
        return sb.ToString();
    }

    /// <summary>Prints a string as a GraphQL string literal with JSON-compatible escapes.</summary>
    public static string PrintString(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20 || (c >= 0x7F && c <= 0x9F))
                    {
                        sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    private readonly struct Writer(StringBuilder sb)
    {
        public void Node(SyntaxNode node, string indent)
        {
            switch (node)
            {
                case DocumentNode d:
                    for (var i = 0; i < d.Definitions.Count; i++)
                    {
                        if (i > 0)
                        {
                            sb.Append("\n\n");
                        }

                        Node(d.Definitions[i], indent);
                    }

                    break;
                case OperationDefinitionNode o:
                    if (o.Name is null && o.VariableDefinitions.Count == 0 && o.Directives.Count == 0 && o.Operation == OperationType.Query)
                    {
                        SelectionSet(o.SelectionSet, indent);
                        break;
                    }

                    Description(o.Description, indent);
                    sb.Append(o.Operation switch { OperationType.Mutation => "mutation", OperationType.Subscription => "subscription", _ => "query" });
                    if (o.Name is not null)
                    {
                        sb.Append(' ').Append(o.Name.Value);
                    }

                    if (o.VariableDefinitions.Count > 0)
                    {
                        Inline(o.VariableDefinitions, indent, '(', ')');
                    }

                    Directives(o.Directives);
                    sb.Append(' ');
                    SelectionSet(o.SelectionSet, indent);
                    break;
                case VariableDefinitionNode v:
                    if (v.Description is not null)
                    {
                        Node(v.Description, indent);
                        sb.Append(' ');
                    }

                    sb.Append('$').Append(v.Variable.Name.Value).Append(": ");
                    Node(v.Type, indent);
                    if (v.DefaultValue is not null)
                    {
                        sb.Append(" = ");
                        Node(v.DefaultValue, indent);
                    }

                    Directives(v.Directives);
                    break;
                case FragmentDefinitionNode f:
                    Description(f.Description, indent);
                    sb.Append("fragment ").Append(f.FragmentName.Value).Append(" on ").Append(f.TypeCondition.Name.Value);
                    Directives(f.Directives);
                    sb.Append(' ');
                    SelectionSet(f.SelectionSet, indent);
                    break;
                case SelectionSetNode s:
                    SelectionSet(s, indent);
                    break;
                case FieldNode f:
                    if (f.Alias is not null)
                    {
                        sb.Append(f.Alias.Value).Append(": ");
                    }

                    sb.Append(f.Name.Value);
                    Arguments(f.Arguments, indent);
                    Directives(f.Directives);
                    if (f.SelectionSet is not null)
                    {
                        sb.Append(' ');
                        SelectionSet(f.SelectionSet, indent);
                    }

                    break;
                case FragmentSpreadNode s:
                    sb.Append("...").Append(s.Name.Value);
                    Directives(s.Directives);
                    break;
                case InlineFragmentNode i:
                    sb.Append("...");
                    if (i.TypeCondition is not null)
                    {
                        sb.Append(" on ").Append(i.TypeCondition.Name.Value);
                    }

                    Directives(i.Directives);
                    sb.Append(' ');
                    SelectionSet(i.SelectionSet, indent);
                    break;
                case ArgumentNode a:
                    sb.Append(a.Name.Value).Append(": ");
                    Node(a.Value, indent);
                    break;
                case DirectiveNode d:
                    sb.Append('@').Append(d.Name.Value);
                    Arguments(d.Arguments, indent);
                    break;
                case VariableNode v:
                    sb.Append('$').Append(v.Name.Value);
                    break;
                case IntValueNode i:
                    sb.Append(i.Value);
                    break;
                case FloatValueNode f:
                    sb.Append(f.Value);
                    break;
                case StringValueNode s:
                    sb.Append(s.Block ? BlockStrings.Print(s.Value, indent) : PrintString(s.Value));
                    break;
                case BooleanValueNode b:
                    sb.Append(b.Value ? "true" : "false");
                    break;
                case NullValueNode:
                    sb.Append("null");
                    break;
                case EnumValueNode e:
                    sb.Append(e.Value);
                    break;
                case ListValueNode l:
                    Inline(l.Values, indent, '[', ']');
                    break;
                case ObjectValueNode o:
                    sb.Append('{');
                    for (var i = 0; i < o.Fields.Count; i++)
                    {
                        sb.Append(i > 0 ? ", " : " ");
                        Node(o.Fields[i], indent);
                    }

                    sb.Append(o.Fields.Count > 0 ? " }" : "}");
                    break;
                case ObjectFieldNode f:
                    sb.Append(f.Name.Value).Append(": ");
                    Node(f.Value, indent);
                    break;
                case NamedTypeNode n:
                    sb.Append(n.Name.Value);
                    break;
                case ListTypeNode l:
                    sb.Append('[');
                    Node(l.Type, indent);
                    sb.Append(']');
                    break;
                case NonNullTypeNode n:
                    Node(n.Type, indent);
                    sb.Append('!');
                    break;
                case NameNode n:
                    sb.Append(n.Value);
                    break;
                default:
                    TypeSystem(node, indent);
                    break;
            }
        }

        private void TypeSystem(SyntaxNode node, string indent)
        {
            switch (node)
            {
                case SchemaDefinitionNode s:
                    Description(s.Description, indent);
                    sb.Append("schema");
                    Directives(s.Directives);
                    OperationTypes(s.OperationTypes, indent);
                    break;
                case SchemaExtensionNode s:
                    sb.Append("extend schema");
                    Directives(s.Directives);
                    if (s.OperationTypes.Count > 0)
                    {
                        OperationTypes(s.OperationTypes, indent);
                    }

                    break;
                case ScalarTypeDefinitionNode s:
                    Head(s.IsExtension, s.Description, "scalar", s.Name, indent);
                    Directives(s.Directives);
                    break;
                case ObjectTypeDefinitionNode o:
                    Head(o.IsExtension, o.Description, "type", o.Name, indent);
                    Implements(o.Interfaces);
                    Directives(o.Directives);
                    Block(o.Fields, indent);
                    break;
                case InterfaceTypeDefinitionNode o:
                    Head(o.IsExtension, o.Description, "interface", o.Name, indent);
                    Implements(o.Interfaces);
                    Directives(o.Directives);
                    Block(o.Fields, indent);
                    break;
                case UnionTypeDefinitionNode u:
                    Head(u.IsExtension, u.Description, "union", u.Name, indent);
                    Directives(u.Directives);
                    if (u.Types.Count > 0)
                    {
                        sb.Append(" = ").AppendJoin(" | ", u.Types.Select(t => t.Name.Value));
                    }

                    break;
                case EnumTypeDefinitionNode e:
                    Head(e.IsExtension, e.Description, "enum", e.Name, indent);
                    Directives(e.Directives);
                    Block(e.Values, indent);
                    break;
                case InputObjectTypeDefinitionNode i:
                    Head(i.IsExtension, i.Description, "input", i.Name, indent);
                    Directives(i.Directives);
                    Block(i.Fields, indent);
                    break;
                case FieldDefinitionNode f:
                    Description(f.Description, indent);
                    sb.Append(f.Name.Value);
                    ArgumentDefinitions(f.Arguments, indent);
                    sb.Append(": ");
                    Node(f.Type, indent);
                    Directives(f.Directives);
                    break;
                case InputValueDefinitionNode v:
                    Description(v.Description, indent);
                    sb.Append(v.Name.Value).Append(": ");
                    Node(v.Type, indent);
                    if (v.DefaultValue is not null)
                    {
                        sb.Append(" = ");
                        Node(v.DefaultValue, indent);
                    }

                    Directives(v.Directives);
                    break;
                case EnumValueDefinitionNode e:
                    Description(e.Description, indent);
                    sb.Append(e.Name.Value);
                    Directives(e.Directives);
                    break;
                case DirectiveDefinitionNode d:
                    Description(d.Description, indent);
                    sb.Append("directive @").Append(d.Name.Value);
                    ArgumentDefinitions(d.Arguments, indent);
                    if (d.Repeatable)
                    {
                        sb.Append(" repeatable");
                    }

                    sb.Append(" on ").AppendJoin(" | ", d.Locations.Select(l => l.Value));
                    break;
                case OperationTypeDefinitionNode o:
                    sb.Append(o.Operation.ToString().ToLowerInvariant()).Append(": ").Append(o.Type.Name.Value);
                    break;
                default:
                    throw new ArgumentException($"Cannot print a {node.GetType().Name}.", nameof(node));
            }
        }

        private void Head(bool extension, StringValueNode? description, string keyword, NameNode name, string indent)
        {
            if (extension)
            {
                sb.Append("extend ");
            }
            else
            {
                Description(description, indent);
            }

            sb.Append(keyword).Append(' ').Append(name.Value);
        }

        private void Description(StringValueNode? description, string indent)
        {
            if (description is null)
            {
                return;
            }

            Node(description, indent);
            sb.Append('\n').Append(indent);
        }

        private void Implements(IReadOnlyList<NamedTypeNode> interfaces)
        {
            if (interfaces.Count > 0)
            {
                sb.Append(" implements ").AppendJoin(" & ", interfaces.Select(i => i.Name.Value));
            }
        }

        private void OperationTypes(IReadOnlyList<OperationTypeDefinitionNode> types, string indent) => Block(types, indent);

        private void Block<T>(IReadOnlyList<T> items, string indent)
            where T : SyntaxNode
        {
            if (items.Count == 0)
            {
                return;
            }

            Lines(items, indent, " {", '}');
        }

        /// <summary>Each item on its own line, indented one level inside <paramref name="open"/> … <paramref name="close"/>.</summary>
        private void Lines<T>(IReadOnlyList<T> items, string indent, string open, char close)
            where T : SyntaxNode
        {
            var inner = indent + "  ";
            sb.Append(open);
            foreach (var item in items)
            {
                sb.Append('\n').Append(inner);
                Node(item, inner);
            }

            sb.Append('\n').Append(indent).Append(close);
        }

        private void ArgumentDefinitions(IReadOnlyList<InputValueDefinitionNode> arguments, string indent)
        {
            if (arguments.Count == 0)
            {
                return;
            }

            if (arguments.All(a => a.Description is null))
            {
                Inline(arguments, indent, '(', ')');
            }
            else
            {
                Lines(arguments, indent, "(", ')');
            }
        }

        private void SelectionSet(SelectionSetNode set, string indent) => Lines(set.Selections, indent, "{", '}');

        private void Arguments(IReadOnlyList<ArgumentNode> arguments, string indent)
        {
            if (arguments.Count > 0)
            {
                Inline(arguments, indent, '(', ')');
            }
        }

        /// <summary>Items on one line, separated by ", ", between <paramref name="open"/> and <paramref name="close"/>.</summary>
        private void Inline<T>(IReadOnlyList<T> items, string indent, char open, char close)
            where T : SyntaxNode
        {
            sb.Append(open);
            for (var i = 0; i < items.Count; i++)
            {
                if (i > 0)
                {
                    sb.Append(", ");
                }

                Node(items[i], indent);
            }

            sb.Append(close);
        }

        private void Directives(IReadOnlyList<DirectiveNode> directives)
        {
            foreach (var d in directives)
            {
                sb.Append(' ');
                Node(d, "");
            }
        }
    }
}
