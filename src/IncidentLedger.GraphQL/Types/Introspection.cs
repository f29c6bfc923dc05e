using IncidentLedger.GraphQL.Execution;
using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Types;

/// <summary>The introspection system (spec §4): the __ types and the __schema, __type and __typename meta-fields.</summary>
internal sealed class Introspection
{
    public const string Sdl = """
        type __Schema {
          description: String
          types: [__Type!]!
          queryType: __Type!
          mutationType: __Type
          subscriptionType: __Type
          directives(includeDeprecated: Boolean! = false): [__Directive!]!
        }

        type __Type {
          kind: __TypeKind!
          name: String
          description: String
          specifiedByURL: String
          fields(includeDeprecated: Boolean = false): [__Field!]
          interfaces: [__Type!]
          possibleTypes: [__Type!]
          enumValues(includeDeprecated: Boolean = false): [__EnumValue!]
          inputFields(includeDeprecated: Boolean = false): [__InputValue!]
          ofType: __Type
          isOneOf: Boolean
        }

        enum __TypeKind { SCALAR OBJECT INTERFACE UNION ENUM INPUT_OBJECT LIST NON_NULL }

        type __Field {
          name: String!
          description: String
          args(includeDeprecated: Boolean = false): [__InputValue!]!
          type: __Type!
          isDeprecated: Boolean!
          deprecationReason: String
        }

        type __InputValue {
          name: String!
          description: String
          type: __Type!
          defaultValue: String
          isDeprecated: Boolean!
          deprecationReason: String
        }

        type __EnumValue {
          name: String!
          description: String
          isDeprecated: Boolean!
          deprecationReason: String
        }

        type __Directive {
          name: String!
          description: String
          isRepeatable: Boolean!
          locations: [__DirectiveLocation!]!
          args(includeDeprecated: Boolean = false): [__InputValue!]!
          isDeprecated: Boolean!
          deprecationReason: String
        }

        enum __DirectiveLocation {
          QUERY MUTATION SUBSCRIPTION FIELD FRAGMENT_DEFINITION FRAGMENT_SPREAD INLINE_FRAGMENT VARIABLE_DEFINITION
          SCHEMA SCALAR OBJECT FIELD_DEFINITION ARGUMENT_DEFINITION INTERFACE UNION ENUM ENUM_VALUE INPUT_OBJECT INPUT_FIELD_DEFINITION DIRECTIVE_DEFINITION
        }
        """;

    public Introspection(IReadOnlyDictionary<string, NamedType> types)
    {
        SchemaType = (ObjectType)types["__Schema"];
        var typeType = (ObjectType)types["__Type"];
        TypeNameField = new FieldDefinition("__typename", new NonNullType(BuiltInScalars.String))
        {
            Description = "The name of the current Object type at runtime.",
            Resolver = static ctx => new ValueTask<object?>(ctx.ParentType.Name),
        };
        SchemaField = new FieldDefinition("__schema", new NonNullType(SchemaType))
        {
            Description = "Access the current type schema of this server.",
            Resolver = static ctx => new ValueTask<object?>(ctx.Schema),
        };
        TypeField = new FieldDefinition("__type", typeType)
        {
            Description = "Request the type information of a single type.",
            Arguments = [new InputValueDefinition("name", new NonNullType(BuiltInScalars.String))],
            Resolver = static ctx => new ValueTask<object?>(ctx.Schema.GetType((string)ctx.Arguments["name"]!)),
        };
        foreach (var f in new[] { TypeNameField, SchemaField, TypeField })
        {
            f.Cost = 0;
        }

        Bind(types);
    }

    public ObjectType SchemaType { get; }

    public FieldDefinition TypeNameField { get; }

    public FieldDefinition SchemaField { get; }

    public FieldDefinition TypeField { get; }

    private static void Set(IReadOnlyDictionary<string, NamedType> types, string type, string field, Func<IResolveContext, object?> resolve)
    {
        var f = ((ObjectType)types[type]).GetField(field)!;
        f.Resolver = ctx => new ValueTask<object?>(resolve(ctx));
        f.Cost = 0;
    }

    private static bool IncludeDeprecated(IResolveContext ctx) => ctx.Arguments.TryGetValue("includeDeprecated", out var v) && v is true;

    private static string KindName(TypeKind kind) => kind switch
    {
        TypeKind.Scalar => "SCALAR",
        TypeKind.Object => "OBJECT",
        TypeKind.Interface => "INTERFACE",
        TypeKind.Union => "UNION",
        TypeKind.Enum => "ENUM",
        TypeKind.InputObject => "INPUT_OBJECT",
        TypeKind.List => "LIST",
        _ => "NON_NULL",
    };

    private static void Bind(IReadOnlyDictionary<string, NamedType> t)
    {
        Set(t, "__Schema", "description", c => ((Schema)c.Parent!).Description);
        Set(t, "__Schema", "types", c => ((Schema)c.Parent!).Types);
        Set(t, "__Schema", "queryType", c => ((Schema)c.Parent!).QueryType);
        Set(t, "__Schema", "mutationType", c => ((Schema)c.Parent!).MutationType);
        Set(t, "__Schema", "subscriptionType", c => ((Schema)c.Parent!).SubscriptionType);
        Set(t, "__Schema", "directives", c => ((Schema)c.Parent!).Directives.Where(d => IncludeDeprecated(c) || d.DeprecationReason is null).ToList());

        Set(t, "__Type", "kind", c => KindName(((GraphQLType)c.Parent!).Kind));
        Set(t, "__Type", "name", c => c.Parent is NamedType n ? n.Name : null);
        Set(t, "__Type", "description", c => c.Parent is NamedType n ? n.Description : null);
        Set(t, "__Type", "specifiedByURL", c => c.Parent is ScalarType s ? s.SpecifiedByUrl : null);
        Set(t, "__Type", "fields", c => c.Parent is ComplexType ct
            ? ct.Fields.Where(f => IncludeDeprecated(c) || !f.IsDeprecated).ToList()
            : null);
        Set(t, "__Type", "interfaces", c => c.Parent is ComplexType ct ? ct.Interfaces : null);
        Set(t, "__Type", "possibleTypes", c => c.Parent is InterfaceType or UnionType ? c.Schema.GetPossibleTypes((NamedType)c.Parent) : null);
        Set(t, "__Type", "enumValues", c => c.Parent is EnumType e
            ? e.Values.Where(v => IncludeDeprecated(c) || !v.IsDeprecated).ToList()
            : null);
        Set(t, "__Type", "inputFields", c => c.Parent is InputObjectType io
            ? io.Fields.Where(f => IncludeDeprecated(c) || !f.IsDeprecated).ToList()
            : null);
        Set(t, "__Type", "ofType", c => c.Parent switch
        {
            ListType l => l.OfType,
            NonNullType n => n.OfType,
            _ => null,
        });
        Set(t, "__Type", "isOneOf", c => c.Parent is InputObjectType io ? io.IsOneOf : null);

        Set(t, "__Field", "name", c => ((FieldDefinition)c.Parent!).Name);
        Set(t, "__Field", "description", c => ((FieldDefinition)c.Parent!).Description);
        Set(t, "__Field", "args", c => ((FieldDefinition)c.Parent!).Arguments.Where(a => IncludeDeprecated(c) || !a.IsDeprecated).ToList());
        Set(t, "__Field", "type", c => ((FieldDefinition)c.Parent!).Type);
        Set(t, "__Field", "isDeprecated", c => ((FieldDefinition)c.Parent!).IsDeprecated);
        Set(t, "__Field", "deprecationReason", c => ((FieldDefinition)c.Parent!).DeprecationReason);

        Set(t, "__InputValue", "name", c => ((InputValueDefinition)c.Parent!).Name);
        Set(t, "__InputValue", "description", c => ((InputValueDefinition)c.Parent!).Description);
        Set(t, "__InputValue", "type", c => ((InputValueDefinition)c.Parent!).Type);
        Set(t, "__InputValue", "defaultValue", c => DefaultValueText((InputValueDefinition)c.Parent!));
        Set(t, "__InputValue", "isDeprecated", c => ((InputValueDefinition)c.Parent!).IsDeprecated);
        Set(t, "__InputValue", "deprecationReason", c => ((InputValueDefinition)c.Parent!).DeprecationReason);

        Set(t, "__EnumValue", "name", c => ((EnumValueDefinition)c.Parent!).Name);
        Set(t, "__EnumValue", "description", c => ((EnumValueDefinition)c.Parent!).Description);
        Set(t, "__EnumValue", "isDeprecated", c => ((EnumValueDefinition)c.Parent!).IsDeprecated);
        Set(t, "__EnumValue", "deprecationReason", c => ((EnumValueDefinition)c.Parent!).DeprecationReason);

        Set(t, "__Directive", "name", c => ((DirectiveDefinition)c.Parent!).Name);
        Set(t, "__Directive", "description", c => ((DirectiveDefinition)c.Parent!).Description);
        Set(t, "__Directive", "isRepeatable", c => ((DirectiveDefinition)c.Parent!).IsRepeatable);
        Set(t, "__Directive", "locations", c => ((DirectiveDefinition)c.Parent!).Locations.Select(DirectiveDefinition.LocationName).ToList());
        Set(t, "__Directive", "isDeprecated", c => ((DirectiveDefinition)c.Parent!).DeprecationReason is not null);
        Set(t, "__Directive", "deprecationReason", c => ((DirectiveDefinition)c.Parent!).DeprecationReason);
        Set(t, "__Directive", "args", c => ((DirectiveDefinition)c.Parent!).Arguments.Where(a => IncludeDeprecated(c) || !a.IsDeprecated).ToList());
    }

    private static string? DefaultValueText(InputValueDefinition input)
    {
        if (!input.HasDefaultValue)
        {
            return null;
        }

        var literal = ValueCoercion.ToLiteral(input.DefaultValue, input.Type);
        return literal is null ? null : Printer.Print(literal);
    }
}
