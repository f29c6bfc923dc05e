using IncidentLedger.GraphQL.Execution;
using IncidentLedger.GraphQL.Language;
using IncidentLedger.GraphQL.Types;

namespace IncidentLedger.GraphQL.Validation.Rules;

/// <summary>
/// Spec §5.6.1 Values of Correct Type (with §5.6.3 Input Object Required Fields and OneOf rules): every literal can be
/// coerced to the type of its position.
/// </summary>
public sealed class ValuesOfCorrectTypeRule : ValidationRule
{
    public static string BadValue(string type, string value, string? reason = null) =>
        $"Expected value of type \"{type}\", found {value}" + (reason is null ? "." : $"; {reason}");

    public static string RequiredFieldMissing(string type, string field, string fieldType) =>
        $"Field \"{type}.{field}\" of required type \"{fieldType}\" was not provided.";

    public static string UnknownField(string field, string type) => $"Field \"{field}\" is not defined by type \"{type}\".";

    public static string OneOfExactlyOneKey(string type) => $"OneOf Input Object \"{type}\" must specify exactly one key.";

    public static string OneOfNonNull(string type, string field) => $"Field \"{type}.{field}\" must be non-null.";

    public override bool Enter(SyntaxNode node, ValidationContext context)
    {
        switch (node)
        {
            case ListValueNode list:
                if (context.ParentInputType?.Nullable is not ListType)
                {
                    CheckLeaf(context, list);
                    return false;
                }

                return true;
            case ObjectValueNode obj:
            {
                if (context.InputType?.Named is not InputObjectType type)
                {
                    CheckLeaf(context, obj);
                    return false;
                }

                var given = new Dictionary<string, ObjectFieldNode>(StringComparer.Ordinal);
                foreach (var f in obj.Fields)
                {
                    given[f.Name.Value] = f;
                }

                foreach (var field in type.Fields)
                {
                    if (!given.ContainsKey(field.Name) && field.Type is NonNullType && !field.HasDefaultValue)
                    {
                        context.ReportError(RequiredFieldMissing(type.Name, field.Name, field.Type.ToString()), obj);
                    }
                }

                if (type.IsOneOf)
                {
                    if (given.Count != 1)
                    {
                        context.ReportError(OneOfExactlyOneKey(type.Name), obj);
                    }
                    else if (given.Values.First().Value is NullValueNode)
                    {
                        context.ReportError(OneOfNonNull(type.Name, given.Keys.First()), obj);
                    }
                }

                return true;
            }

            case ObjectFieldNode field:
                if (context.InputType is null && context.ParentInputType?.Named is InputObjectType parent)
                {
                    context.ReportError(UnknownField(field.Name.Value, parent.Name), field);
                }

                return true;
            case NullValueNode n:
                if (context.InputType is NonNullType nonNull)
                {
                    context.ReportError(BadValue(nonNull.ToString(), "null"), n);
                }

                return true;
            case EnumValueNode or IntValueNode or FloatValueNode or StringValueNode or BooleanValueNode:
                CheckLeaf(context, (ValueNode)node);
                return true;
            default:
                return true;
        }
    }

    private static void CheckLeaf(ValidationContext context, ValueNode node)
    {
        if (context.InputType is not { } locationType)
        {
            return;
        }

        var type = locationType.Named;
        if (!type.IsLeaf)
        {
            context.ReportError(BadValue(locationType.ToString(), Printer.Print(node)), node);
            return;
        }

        if (type is EnumType e)
        {
            if (node is not EnumValueNode ev)
            {
                context.ReportError($"Enum \"{e.Name}\" cannot represent non-enum value: {Printer.Print(node)}.", node);
            }
            else if (e.GetValue(ev.Value) is null)
            {
                context.ReportError($"Value \"{ev.Value}\" does not exist in \"{e.Name}\" enum.", node);
            }

            return;
        }

        try
        {
            ((ScalarType)type).ParseLiteral(node, null);
        }
        catch (Exception ex) when (ex is ScalarCoercionException or FormatException or OverflowException)
        {
            context.ReportError(BadValue(locationType.ToString(), Printer.Print(node), ex.Message), node);
        }
    }
}
