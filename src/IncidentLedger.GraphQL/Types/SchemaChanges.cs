using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Types;

/// <summary>
/// The changes from one schema document to another that can break an existing client: a type,
/// field, argument, input field, enum value, union member or interface removed; a type's kind
/// changed; an output made nullable or otherwise different; an input made stricter; a required
/// argument or input field added. Additions that old clients never send or select are not breaking.
/// Each change is reported as "coordinate: what changed" (Type.field, Type.field(arg:), Enum.VALUE).
/// </summary>
public static class SchemaChanges
{
    public static IReadOnlyList<string> Breaking(string before, string after)
    {
        var old = Definitions(before);
        var now = Definitions(after);
        var changes = new List<string>();
        foreach (var (name, was) in old.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            if (!now.TryGetValue(name, out var @is))
            {
                changes.Add($"{name}: type removed");
            }
            else if (was.Kind != @is.Kind)
            {
                changes.Add($"{name}: changed from {was.Kind} to {@is.Kind}");
            }
            else
            {
                Compare(name, was, @is, changes);
            }
        }

        return changes;
    }

    private sealed record TypeShape(
        string Kind,
        Dictionary<string, FieldDefinitionNode> Fields,
        Dictionary<string, InputValueDefinitionNode> InputFields,
        HashSet<string> Members);

    /// <summary>Every named type with its extensions folded in.</summary>
    private static Dictionary<string, TypeShape> Definitions(string sdl)
    {
        var types = new Dictionary<string, TypeShape>(StringComparer.Ordinal);
        TypeShape Of(string name, string kind) =>
            types.TryGetValue(name, out var shape) ? shape : types[name] = new TypeShape(kind, new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal));

        foreach (var definition in Parser.Parse(sdl).Definitions)
        {
            switch (definition)
            {
                case ObjectTypeDefinitionNode o:
                    AddFields(Of(o.Name.Value, "object"), o.Fields, o.Interfaces.Select(i => i.Name.Value));
                    break;
                case InterfaceTypeDefinitionNode i:
                    AddFields(Of(i.Name.Value, "interface"), i.Fields, i.Interfaces.Select(x => x.Name.Value));
                    break;
                case InputObjectTypeDefinitionNode input:
                    foreach (var field in input.Fields)
                    {
                        Of(input.Name.Value, "input object").InputFields[field.Name.Value] = field;
                    }

                    break;
                case EnumTypeDefinitionNode e:
                    Of(e.Name.Value, "enum").Members.UnionWith(e.Values.Select(v => v.Name.Value));
                    break;
                case UnionTypeDefinitionNode u:
                    Of(u.Name.Value, "union").Members.UnionWith(u.Types.Select(t => t.Name.Value));
                    break;
                case ScalarTypeDefinitionNode s:
                    Of(s.Name.Value, "scalar");
                    break;
            }
        }

        return types;
    }

    private static void AddFields(TypeShape shape, IEnumerable<FieldDefinitionNode> fields, IEnumerable<string> interfaces)
    {
        foreach (var field in fields)
        {
            shape.Fields[field.Name.Value] = field;
        }

        shape.Members.UnionWith(interfaces);
    }

    private static void Compare(string name, TypeShape was, TypeShape @is, List<string> changes)
    {
        var memberWord = was.Kind switch { "enum" => "enum value", "union" => "union member", _ => "interface" };
        changes.AddRange(was.Members.Where(m => !@is.Members.Contains(m)).Order(StringComparer.Ordinal).Select(m => $"{name}.{m}: {memberWord} removed"));

        foreach (var (fieldName, field) in was.Fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var coordinate = $"{name}.{fieldName}";
            if (!@is.Fields.TryGetValue(fieldName, out var now))
            {
                changes.Add($"{coordinate}: field removed");
                continue;
            }

            if (!OutputStaysCompatible(field.Type, now.Type))
            {
                changes.Add($"{coordinate}: type changed from {Printer.Print(field.Type)} to {Printer.Print(now.Type)}");
            }

            CompareInputs($"{coordinate}(", ":)", field.Arguments.ToDictionary(a => a.Name.Value, StringComparer.Ordinal), now.Arguments.ToDictionary(a => a.Name.Value, StringComparer.Ordinal), "argument", changes);
        }

        CompareInputs($"{name}.", "", was.InputFields, @is.InputFields, "input field", changes);
    }

    private static void CompareInputs(string prefix, string suffix, Dictionary<string, InputValueDefinitionNode> was, Dictionary<string, InputValueDefinitionNode> @is, string what, List<string> changes)
    {
        foreach (var (inputName, input) in was.OrderBy(i => i.Key, StringComparer.Ordinal))
        {
            if (!@is.TryGetValue(inputName, out var now))
            {
                changes.Add($"{prefix}{inputName}{suffix}: {what} removed");
            }
            else if (!OutputStaysCompatible(now.Type, input.Type))
            {
                changes.Add($"{prefix}{inputName}{suffix}: type changed from {Printer.Print(input.Type)} to {Printer.Print(now.Type)}");
            }
        }

        foreach (var (inputName, input) in @is.Where(i => !was.ContainsKey(i.Key)).OrderBy(i => i.Key, StringComparer.Ordinal))
        {
            if (input.Type is NonNullTypeNode && input.DefaultValue is null)
            {
                changes.Add($"{prefix}{inputName}{suffix}: required {what} added");
            }
        }
    }

    /// <summary>Whether a client reading <paramref name="before"/> can read <paramref name="after"/>: the same type, possibly made non-null (for inputs, call it with the arguments reversed).</summary>
    private static bool OutputStaysCompatible(TypeNode before, TypeNode after) => (before, after) switch
    {
        (NonNullTypeNode b, NonNullTypeNode a) => OutputStaysCompatible(b.Type, a.Type),
        (NonNullTypeNode, _) => false,
        (_, NonNullTypeNode a) => OutputStaysCompatible(before, a.Type),
        (ListTypeNode b, ListTypeNode a) => OutputStaysCompatible(b.Type, a.Type),
        (NamedTypeNode b, NamedTypeNode a) => b.Name.Value == a.Name.Value,
        _ => false,
    };
}
