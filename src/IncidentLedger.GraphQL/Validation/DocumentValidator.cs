using IncidentLedger.GraphQL.Language;
using IncidentLedger.GraphQL.Types;
using IncidentLedger.GraphQL.Validation.Rules;

namespace IncidentLedger.GraphQL.Validation;

/// <summary>
/// Validates an executable document against a schema (spec §5) by walking it once with every rule in parallel,
/// keeping type information for each position.
/// </summary>
public static class DocumentValidator
{
    /// <summary>The rules of spec §5, in the order the reference implementation reports them.</summary>
    public static IReadOnlyList<Func<ValidationRule>> SpecifiedRules { get; } =
    [
        () => new ExecutableDefinitionsRule(),
        () => new UniqueOperationNamesRule(),
        () => new LoneAnonymousOperationRule(),
        () => new SingleFieldSubscriptionsRule(),
        () => new KnownTypeNamesRule(),
        () => new FragmentsOnCompositeTypesRule(),
        () => new VariablesAreInputTypesRule(),
        () => new ScalarLeafsRule(),
        () => new FieldsOnCorrectTypeRule(),
        () => new UniqueFragmentNamesRule(),
        () => new KnownFragmentNamesRule(),
        () => new NoUnusedFragmentsRule(),
        () => new PossibleFragmentSpreadsRule(),
        () => new NoFragmentCyclesRule(),
        () => new UniqueVariableNamesRule(),
        () => new NoUndefinedVariablesRule(),
        () => new NoUnusedVariablesRule(),
        () => new KnownDirectivesRule(),
        () => new UniqueDirectivesPerLocationRule(),
        () => new KnownArgumentNamesRule(),
        () => new UniqueArgumentNamesRule(),
        () => new ValuesOfCorrectTypeRule(),
        () => new ProvidedRequiredArgumentsRule(),
        () => new VariablesInAllowedPositionRule(),
        () => new OverlappingFieldsCanBeMergedRule(),
        () => new UniqueInputFieldNamesRule(),
        () => new MaxIntrospectionDepthRule(),
    ];

    /// <summary>Validates with the specified rules; an empty list means the document is valid.</summary>
    public static IReadOnlyList<GraphQLError> Validate(Schema schema, DocumentNode document) =>
        Validate(schema, document, SpecifiedRules.Select(f => f()).ToList());

    /// <summary>Validates with the given rules.</summary>
    public static IReadOnlyList<GraphQLError> Validate(Schema schema, DocumentNode document, IReadOnlyList<ValidationRule> rules, IReadOnlyDictionary<string, object?>? variables = null)
    {
        var context = new ValidationContext(schema, document, variables);
        var walker = new Walker(context, rules);
        walker.Visit(document);
        return context.Errors;
    }

    internal static void CollectVariableUsages(ValidationContext parent, ExecutableDefinitionNode node, List<VariableUsage> usages)
    {
        var context = new ValidationContext(parent.Schema, parent.Document);
        var walker = new Walker(context, [new UsageCollector(usages)]);
        walker.Visit(node);
    }

    private sealed class UsageCollector(List<VariableUsage> usages) : ValidationRule
    {
        public override bool Enter(SyntaxNode node, ValidationContext context)
        {
            switch (node)
            {
                case VariableDefinitionNode:
                    return false;
                case VariableNode v:
                    usages.Add(new VariableUsage(v, context.InputType, context.DefaultValueOwner?.HasDefaultValue == true, context.ParentInputType));
                    break;
            }

            return true;
        }
    }

    /// <summary>Depth-first walk in the reference visiting order; type information is entered before rules and left after them.</summary>
    private sealed class Walker(ValidationContext context, IReadOnlyList<ValidationRule> rules)
    {
        private readonly SyntaxNode?[] _skipping = new SyntaxNode?[rules.Count];

        public void Visit(SyntaxNode node)
        {
            TypeInfo.Enter(context, node);
            for (var i = 0; i < rules.Count; i++)
            {
                if (_skipping[i] is null && !rules[i].Enter(node, context))
                {
                    _skipping[i] = node;
                }
            }

            VisitChildren(node);
            for (var i = 0; i < rules.Count; i++)
            {
                if (_skipping[i] is null)
                {
                    rules[i].Leave(node, context);
                }
                else if (ReferenceEquals(_skipping[i], node))
                {
                    _skipping[i] = null;
                }
            }

            TypeInfo.Leave(context, node);
        }

        private void All<T>(IReadOnlyList<T> nodes)
            where T : SyntaxNode
        {
            for (var i = 0; i < nodes.Count; i++)
            {
                Visit(nodes[i]);
            }
        }

        private void Maybe(SyntaxNode? node)
        {
            if (node is not null)
            {
                Visit(node);
            }
        }

        private void VisitChildren(SyntaxNode node)
        {
            switch (node)
            {
                case DocumentNode d:
                    All(d.Definitions);
                    break;
                case OperationDefinitionNode o:
                    Maybe(o.Name);
                    All(o.VariableDefinitions);
                    All(o.Directives);
                    Visit(o.SelectionSet);
                    break;
                case VariableDefinitionNode v:
                    Visit(v.Variable);
                    Visit(v.Type);
                    Maybe(v.DefaultValue);
                    All(v.Directives);
                    break;
                case VariableNode v:
                    Visit(v.Name);
                    break;
                case SelectionSetNode s:
                    All(s.Selections);
                    break;
                case FieldNode f:
                    Maybe(f.Alias);
                    Visit(f.Name);
                    All(f.Arguments);
                    All(f.Directives);
                    Maybe(f.SelectionSet);
                    break;
                case ArgumentNode a:
                    Visit(a.Name);
                    Visit(a.Value);
                    break;
                case FragmentSpreadNode s:
                    Visit(s.Name);
                    All(s.Directives);
                    break;
                case InlineFragmentNode i:
                    Maybe(i.TypeCondition);
                    All(i.Directives);
                    Visit(i.SelectionSet);
                    break;
                case FragmentDefinitionNode f:
                    Visit(f.FragmentName);
                    Visit(f.TypeCondition);
                    All(f.Directives);
                    Visit(f.SelectionSet);
                    break;
                case ListValueNode l:
                    All(l.Values);
                    break;
                case ObjectValueNode o:
                    All(o.Fields);
                    break;
                case ObjectFieldNode f:
                    Visit(f.Name);
                    Visit(f.Value);
                    break;
                case DirectiveNode d:
                    Visit(d.Name);
                    All(d.Arguments);
                    break;
                case NamedTypeNode n:
                    Visit(n.Name);
                    break;
                case ListTypeNode l:
                    Visit(l.Type);
                    break;
                case NonNullTypeNode n:
                    Visit(n.Type);
                    break;
                case SchemaDefinitionNode s:
                    Maybe(s.Description);
                    All(s.Directives);
                    All(s.OperationTypes);
                    break;
                case SchemaExtensionNode s:
                    All(s.Directives);
                    All(s.OperationTypes);
                    break;
                case OperationTypeDefinitionNode o:
                    Visit(o.Type);
                    break;
                case ScalarTypeDefinitionNode s:
                    Maybe(s.Description);
                    Visit(s.Name);
                    All(s.Directives);
                    break;
                case ObjectTypeDefinitionNode o:
                    Maybe(o.Description);
                    Visit(o.Name);
                    All(o.Interfaces);
                    All(o.Directives);
                    All(o.Fields);
                    break;
                case InterfaceTypeDefinitionNode o:
                    Maybe(o.Description);
                    Visit(o.Name);
                    All(o.Interfaces);
                    All(o.Directives);
                    All(o.Fields);
                    break;
                case FieldDefinitionNode f:
                    Maybe(f.Description);
                    Visit(f.Name);
                    All(f.Arguments);
                    Visit(f.Type);
                    All(f.Directives);
                    break;
                case InputValueDefinitionNode v:
                    Maybe(v.Description);
                    Visit(v.Name);
                    Visit(v.Type);
                    Maybe(v.DefaultValue);
                    All(v.Directives);
                    break;
                case UnionTypeDefinitionNode u:
                    Maybe(u.Description);
                    Visit(u.Name);
                    All(u.Directives);
                    All(u.Types);
                    break;
                case EnumTypeDefinitionNode e:
                    Maybe(e.Description);
                    Visit(e.Name);
                    All(e.Directives);
                    All(e.Values);
                    break;
                case EnumValueDefinitionNode e:
                    Maybe(e.Description);
                    Visit(e.Name);
                    All(e.Directives);
                    break;
                case InputObjectTypeDefinitionNode i:
                    Maybe(i.Description);
                    Visit(i.Name);
                    All(i.Directives);
                    All(i.Fields);
                    break;
                case DirectiveDefinitionNode d:
                    Maybe(d.Description);
                    Visit(d.Name);
                    All(d.Arguments);
                    All(d.Locations);
                    break;
            }
        }
    }
}

/// <summary>Maintains the type information of the current position (the reference implementation's TypeInfo).</summary>
internal static class TypeInfo
{
    public static void Enter(ValidationContext c, SyntaxNode node)
    {
        var schema = c.Schema;
        switch (node)
        {
            case SelectionSetNode:
            {
                var named = c.Type?.Named;
                c.ParentTypeStack.Add(named is ObjectType or InterfaceType or UnionType ? named : null);
                break;
            }

            case FieldNode f:
            {
                var parent = c.ParentType;
                var def = parent is null ? null : schema.GetFieldDefinition(parent, f.Name.Value);
                c.FieldDefStack.Add(def);
                c.TypeStack.Add(def?.Type is { IsOutputType: true } t ? t : null);
                break;
            }

            case DirectiveNode d:
                c.Directive = schema.GetDirective(d.Name.Value);
                break;
            case OperationDefinitionNode o:
                c.TypeStack.Add(schema.GetRootType(o.Operation));
                break;
            case InlineFragmentNode i:
            {
                var type = i.TypeCondition is not null ? schema.TypeFromAst(i.TypeCondition) : c.Type?.Named;
                c.TypeStack.Add(type is { IsOutputType: true } ? type : null);
                break;
            }

            case FragmentDefinitionNode f:
            {
                var type = schema.TypeFromAst(f.TypeCondition);
                c.TypeStack.Add(type is { IsOutputType: true } ? type : null);
                break;
            }

            case VariableDefinitionNode v:
            {
                var type = schema.TypeFromAst(v.Type);
                c.InputTypeStack.Add(type is { IsInputType: true } ? type : null);
                break;
            }

            case ArgumentNode a:
            {
                InputValueDefinition? def = null;
                if (c.Directive is { } directive)
                {
                    def = directive.GetArgument(a.Name.Value);
                }
                else if (c.FieldDef is { } field)
                {
                    def = field.GetArgument(a.Name.Value);
                }

                c.Argument = def;
                c.DefaultValueStack.Add(def);
                c.InputTypeStack.Add(def?.Type is { IsInputType: true } t ? t : null);
                break;
            }

            case ListValueNode:
            {
                var listType = c.InputType?.Nullable;
                var itemType = listType is ListType l ? l.OfType : listType;
                c.DefaultValueStack.Add(null);
                c.InputTypeStack.Add(itemType is { IsInputType: true } ? itemType : null);
                break;
            }

            case ObjectFieldNode f:
            {
                InputValueDefinition? field = null;
                if (c.InputType?.Named is InputObjectType io)
                {
                    field = io.GetField(f.Name.Value);
                }

                c.DefaultValueStack.Add(field);
                c.InputTypeStack.Add(field?.Type is { IsInputType: true } t ? t : null);
                break;
            }
        }
    }

    public static void Leave(ValidationContext c, SyntaxNode node)
    {
        switch (node)
        {
            case SelectionSetNode:
                Pop(c.ParentTypeStack);
                break;
            case FieldNode:
                Pop(c.FieldDefStack);
                Pop(c.TypeStack);
                break;
            case DirectiveNode:
                c.Directive = null;
                break;
            case OperationDefinitionNode:
            case InlineFragmentNode:
            case FragmentDefinitionNode:
                Pop(c.TypeStack);
                break;
            case VariableDefinitionNode:
                Pop(c.InputTypeStack);
                break;
            case ArgumentNode:
                c.Argument = null;
                Pop(c.DefaultValueStack);
                Pop(c.InputTypeStack);
                break;
            case ListValueNode:
            case ObjectFieldNode:
                Pop(c.DefaultValueStack);
                Pop(c.InputTypeStack);
                break;
        }
    }

    private static void Pop<T>(List<T> stack) => stack.RemoveAt(stack.Count - 1);
}
