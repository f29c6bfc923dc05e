using IncidentLedger.GraphQL.Execution;
using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Types;

/// <summary>The introspection system (spec §4): the __ types and the __schema, __type and __typename meta-fields.</summary>
internal sealed class Introspection
{
    public const string Sdl = """
        "The capabilities of this server: its types, its root operation types and its directives."
        type __Schema {
          description: String
          "Every type the schema defines, including built-in scalars and introspection types."
          types: [__Type!]!
          "The root type of query operations."
          queryType: __Type!
          "The root type of mutation operations, if mutations are supported."
          mutationType: __Type
          "The root type of subscription operations, if subscriptions are supported."
          subscriptionType: __Type
          "Every directive the schema supports."
          directives(includeDeprecated: Boolean! = false): [__Directive!]!
        }

        "Any type: a named type (scalar, object, interface, union, enum, input object) or a list / non-null wrapper of one; `kind` says which, and the other fields apply by kind."
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

        "The kind of a __Type."
        enum __TypeKind {
          "A leaf value: a built-in or custom scalar."
          SCALAR
          "A type with fields; see `fields` and `interfaces`."
          OBJECT
          "An abstract type with fields that object types implement; see `possibleTypes`."
          INTERFACE
          "An abstract type that is one of several object types; see `possibleTypes`."
          UNION
          "A leaf with a fixed set of values; see `enumValues`."
          ENUM
          "A structured input value; see `inputFields`."
          INPUT_OBJECT
          "A list of another type; see `ofType`."
          LIST
          "A type that is never null; see `ofType`."
          NON_NULL
        }

        "A field of an object or interface type, with its arguments."
        type __Field {
          name: String!
          description: String
          args(includeDeprecated: Boolean = false): [__InputValue!]!
          type: __Type!
          isDeprecated: Boolean!
          deprecationReason: String
        }

        "An argument or input object field, with its type and default value."
        type __InputValue {
          name: String!
          description: String
          type: __Type!
          "The default value as GraphQL literal text, or null when there is none."
          defaultValue: String
          isDeprecated: Boolean!
          deprecationReason: String
        }

        "One value of an enum type."
        type __EnumValue {
          name: String!
          description: String
          isDeprecated: Boolean!
          deprecationReason: String
        }

        "A directive: where it may be used and the arguments it takes."
        type __Directive {
          name: String!
          description: String
          isRepeatable: Boolean!
          locations: [__DirectiveLocation!]!
          args(includeDeprecated: Boolean = false): [__InputValue!]!
          isDeprecated: Boolean!
          deprecationReason: String
        }

        "A place in a document or a schema where a directive may be used."
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
