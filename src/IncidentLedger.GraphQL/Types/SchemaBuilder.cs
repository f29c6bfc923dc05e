using IncidentLedger.GraphQL.Execution;
using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Types;

/// <summary>
/// Builds a <see cref="Schema"/> from SDL with resolvers bound in code. <see cref="Build"/> checks the type system
/// (spec §3 type validation) and that every field has a resolver, and throws one <see cref="SchemaException"/> listing
/// every problem.
/// </summary>
public sealed class SchemaBuilder
{
    private readonly List<string> _sdl = [];
    private readonly Dictionary<(string Type, string Field), FieldResolver> _resolvers = [];
    private readonly Dictionary<(string Type, string Field), SubscriptionResolver> _subscribers = [];
    private readonly Dictionary<(string Type, string Field), int> _costs = [];
    private readonly Dictionary<string, TypeResolver> _typeResolvers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Type>> _clrTypes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, object>> _enumValues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ScalarType> _scalars = new(StringComparer.Ordinal);
    private readonly HashSet<string> _defaultResolverTypes = new(StringComparer.Ordinal);
    private bool _defaultResolversEverywhere;

    private SchemaBuilder()
    {
    }

    /// <summary>Starts a schema from SDL text.</summary>
    public static SchemaBuilder FromSdl(string sdl) => new SchemaBuilder().AddSdl(sdl);

    /// <summary>Adds another SDL document (more types or extensions of existing ones).</summary>
    public SchemaBuilder AddSdl(string sdl)
    {
        _sdl.Add(sdl);
        return this;
    }

    /// <summary>Binds the resolver of <paramref name="typeName"/>.<paramref name="fieldName"/>.</summary>
    public SchemaBuilder BindResolver(string typeName, string fieldName, FieldResolver resolver)
    {
        _resolvers[(typeName, fieldName)] = resolver;
        return this;
    }

    /// <summary>Binds a synchronous resolver.</summary>
    public SchemaBuilder BindResolver(string typeName, string fieldName, Func<IResolveContext, object?> resolver) =>
        BindResolver(typeName, fieldName, ctx => new ValueTask<object?>(resolver(ctx)));

    /// <summary>Binds a subscription root field: a source stream, each event of which is resolved by <paramref name="resolve"/> (default: the event itself).</summary>
    public SchemaBuilder BindSubscription(string typeName, string fieldName, Func<IResolveContext, IAsyncEnumerable<object?>> subscribe, FieldResolver? resolve = null)
    {
        _subscribers[(typeName, fieldName)] = ctx => new ValueTask<IAsyncEnumerable<object?>>(subscribe(ctx));
        _resolvers[(typeName, fieldName)] = resolve ?? (static ctx => new ValueTask<object?>(ctx.Parent));
        return this;
    }

    /// <summary>Binds how values of an interface or union are mapped to object types.</summary>
    public SchemaBuilder BindTypeResolver(string abstractTypeName, TypeResolver resolver)
    {
        _typeResolvers[abstractTypeName] = resolver;
        return this;
    }

    /// <summary>Declares that CLR instances of <typeparamref name="T"/> are of the object type <paramref name="objectTypeName"/>.</summary>
    public SchemaBuilder BindClrType<T>(string objectTypeName)
    {
        if (!_clrTypes.TryGetValue(objectTypeName, out var list))
        {
            _clrTypes[objectTypeName] = list = [];
        }

        list.Add(typeof(T));
        return this;
    }

    /// <summary>Makes resolvers receive (and return) <typeparamref name="TEnum"/> values for the GraphQL enum; names match ignoring case and underscores.</summary>
    public SchemaBuilder BindEnum<TEnum>(string enumTypeName)
        where TEnum : struct, Enum
    {
        var map = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in Enum.GetValues<TEnum>())
        {
            map[value.ToString()] = value;
        }

        _enumValues[enumTypeName] = map;
        return this;
    }

    /// <summary>Adds the implementation of a custom scalar declared in the SDL (DateTime, Date, UUID, Long, Decimal and JSON are built in).</summary>
    public SchemaBuilder AddScalar(ScalarType scalar)
    {
        _scalars[scalar.Name] = scalar;
        return this;
    }

    /// <summary>
    /// Lets fields without a bound resolver read their value from the parent (property, dictionary key or JSON property).
    /// With no names, applies to every object type except the root operation types, whose fields must always be bound.
    /// </summary>
    public SchemaBuilder UseDefaultResolvers(params string[] typeNames)
    {
        if (typeNames.Length == 0)
        {
            _defaultResolversEverywhere = true;
        }

        foreach (var name in typeNames)
        {
            _defaultResolverTypes.Add(name);
        }

        return this;
    }

    /// <summary>Sets the cost of a field for the cost limit (default 1 for composite fields, 0 for leaves).</summary>
    public SchemaBuilder SetFieldCost(string typeName, string fieldName, int cost)
    {
        _costs[(typeName, fieldName)] = cost;
        return this;
    }

    /// <summary>Builds and validates the schema; throws <see cref="SchemaException"/> listing every problem.</summary>
    public Schema Build()
    {
        var build = new BuildRun(this);
        return build.Run();
    }

    private sealed class BuildRun(SchemaBuilder b)
    {
        private readonly List<string> _errors = [];
        private readonly Dictionary<string, NamedType> _types = new(StringComparer.Ordinal);
        private readonly List<NamedType> _declared = [];
        private readonly Dictionary<string, TypeDefinitionOrExtensionNode> _definitions = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<TypeDefinitionOrExtensionNode>> _extensions = new(StringComparer.Ordinal);
        private readonly List<DirectiveDefinitionNode> _directiveNodes = [];
        private readonly Dictionary<string, DirectiveDefinition> _directives = new(StringComparer.Ordinal);
        private readonly List<InputValueDefinition> _defaults = [];
        private SchemaDefinitionNode? _schemaNode;
        private readonly List<SchemaExtensionNode> _schemaExtensions = [];

        private static string At(SyntaxNode node) => $" (line {node.Location.Line}, column {node.Location.Column})";

        public Schema Run()
        {
            var userDocs = new List<DocumentNode>();
            foreach (var text in b._sdl)
            {
                try
                {
                    userDocs.Add(Parser.Parse(text, new ParserOptions { MaxDocumentLength = int.MaxValue, MaxTokens = int.MaxValue, MaxDepth = 256 }));
                }
                catch (GraphQLSyntaxException ex)
                {
                    _errors.Add(ex.Error.ToString());
                }
            }

            if (_errors.Count > 0)
            {
                throw new SchemaException(_errors);
            }

            var builtIns = Parser.Parse(BuiltInDirectives.Sdl + "\n" + Introspection.Sdl);
            Collect(builtIns, builtIn: true);
            foreach (var doc in userDocs)
            {
                Collect(doc, builtIn: false);
            }

            foreach (var s in BuiltInScalars.All)
            {
                _types.TryAdd(s.Name, s);
                s.Description ??= s.DefaultDescription;
            }

            CreateShells();
            foreach (var (name, node) in _definitions)
            {
                Fill(_types[name], node, _extensions.GetValueOrDefault(name) ?? []);
            }

            foreach (var (name, exts) in _extensions)
            {
                if (!_definitions.ContainsKey(name))
                {
                    _errors.Add(_types.ContainsKey(name) && BuiltInScalars.IsBuiltInName(name)
                        ? $"Cannot extend the built-in scalar \"{name}\"{At(exts[0])}."
                        : $"Cannot extend type \"{name}\" because it is not defined{At(exts[0])}.");
                }
            }

            BuildDirectives();
            CoerceDefaults();
            var (query, mutation, subscription) = RootTypes();
            var introspection = new Introspection(_types);
            ValidateTypes(query, mutation, subscription);
            BindResolvers(query, mutation, subscription);
            if (_errors.Count > 0 || query is null)
            {
                if (query is null && !_errors.Any(e => e.Contains("query root", StringComparison.Ordinal)))
                {
                    _errors.Add("The schema has no query root type: define \"type Query\" or a schema definition with a query type.");
                }

                throw new SchemaException(_errors);
            }

            var directives = _directives.Values.Where(d => !d.IsBuiltIn).Concat(_directives.Values.Where(d => d.IsBuiltIn)).ToList();
            return new Schema(_schemaNode?.Description?.Value, query, mutation, subscription, _declared, directives, introspection);
        }

        private void Collect(DocumentNode doc, bool builtIn)
        {
            foreach (var def in doc.Definitions)
            {
                switch (def)
                {
                    case SchemaDefinitionNode s:
                        if (_schemaNode is not null)
                        {
                            _errors.Add($"Must provide only one schema definition{At(s)}.");
                        }

                        _schemaNode = s;
                        break;
                    case SchemaExtensionNode se:
                        _schemaExtensions.Add(se);
                        break;
                    case DirectiveDefinitionNode d:
                        if (!builtIn && BuiltInDirectives.IsBuiltIn(d.Name.Value))
                        {
                            _directiveNodes.RemoveAll(x => x.Name.Value == d.Name.Value);
                        }
                        else if (_directiveNodes.Any(x => x.Name.Value == d.Name.Value))
                        {
                            _errors.Add($"There can be only one directive named \"@{d.Name.Value}\"{At(d)}.");
                            break;
                        }

                        _directiveNodes.Add(builtIn ? d with { Description = d.Description } : d);
                        if (builtIn)
                        {
                            _builtInDirectiveNames.Add(d.Name.Value);
                        }
                        else
                        {
                            _builtInDirectiveNames.Remove(d.Name.Value);
                        }

                        break;
                    case TypeDefinitionOrExtensionNode t when t.IsExtension:
                        if (!_extensions.TryGetValue(t.Name.Value, out var list))
                        {
                            _extensions[t.Name.Value] = list = [];
                        }

                        list.Add(t);
                        break;
                    case TypeDefinitionOrExtensionNode t:
                        if (!builtIn && t.Name.Value.StartsWith("__", StringComparison.Ordinal))
                        {
                            _errors.Add($"Name \"{t.Name.Value}\" must not begin with \"__\", which is reserved by GraphQL introspection{At(t)}.");
                            break;
                        }

                        if (_definitions.ContainsKey(t.Name.Value) || (t is ScalarTypeDefinitionNode && BuiltInScalars.IsBuiltInName(t.Name.Value) && false))
                        {
                            _errors.Add($"There can be only one type named \"{t.Name.Value}\"{At(t)}.");
                            break;
                        }

                        _definitions[t.Name.Value] = t;
                        if (builtIn)
                        {
                            _introspectionNames.Add(t.Name.Value);
                        }

                        break;
                    default:
                        _errors.Add($"The schema document may only contain type-system definitions; found a {def.GetType().Name.Replace("Node", "", StringComparison.Ordinal)}{At(def)}.");
                        break;
                }
            }
        }

        private readonly HashSet<string> _builtInDirectiveNames = new(StringComparer.Ordinal);
        private readonly HashSet<string> _introspectionNames = new(StringComparer.Ordinal);

        private void CreateShells()
        {
            foreach (var (name, node) in _definitions)
            {
                NamedType type;
                switch (node)
                {
                    case ScalarTypeDefinitionNode:
                        if (BuiltInScalars.IsBuiltInName(name))
                        {
                            type = _types[name];
                            break;
                        }

                        if (b._scalars.TryGetValue(name, out var scalar))
                        {
                            type = scalar;
                        }
                        else if (StandardScalars.Create().FirstOrDefault(s => s.Name == name) is { } standard)
                        {
                            type = standard;
                        }
                        else
                        {
                            _errors.Add($"Scalar \"{name}\" has no implementation: pass one to SchemaBuilder.AddScalar{At(node)}.");
                            type = new JsonType();
                        }

                        break;
                    case ObjectTypeDefinitionNode:
                        type = new ObjectType(name);
                        break;
                    case InterfaceTypeDefinitionNode:
                        type = new InterfaceType(name);
                        break;
                    case UnionTypeDefinitionNode:
                        type = new UnionType(name);
                        break;
                    case EnumTypeDefinitionNode:
                        type = new EnumType(name);
                        break;
                    default:
                        type = new InputObjectType(name);
                        break;
                }

                _types[name] = type;
                if (!_introspectionNames.Contains(name))
                {
                    _declared.Add(type);
                }
            }
        }

        private GraphQLType? Resolve(TypeNode node, string where)
        {
            switch (node)
            {
                case NonNullTypeNode nn:
                    return Resolve(nn.Type, where) is { } inner ? new NonNullType(inner) : null;
                case ListTypeNode l:
                    return Resolve(l.Type, where) is { } item ? new ListType(item) : null;
                default:
                    var name = ((NamedTypeNode)node).Name.Value;
                    if (_types.TryGetValue(name, out var t))
                    {
                        return t;
                    }

                    _errors.Add($"Unknown type \"{name}\" referenced by {where}{At(node)}.");
                    return null;
            }
        }

        private static string? Deprecation(IReadOnlyList<DirectiveNode> directives)
        {
            foreach (var d in directives)
            {
                if (d.Name.Value == "deprecated")
                {
                    foreach (var a in d.Arguments)
                    {
                        if (a.Name.Value == "reason" && a.Value is StringValueNode s)
                        {
                            return s.Value;
                        }
                    }

                    return BuiltInDirectives.DefaultDeprecationReason;
                }
            }

            return null;
        }

        private List<InputValueDefinition> InputValues(IEnumerable<InputValueDefinitionNode> nodes, string owner)
        {
            var result = new List<InputValueDefinition>();
            foreach (var n in nodes)
            {
                if (result.Any(r => r.Name == n.Name.Value))
                {
                    _errors.Add($"{owner} has more than one input value named \"{n.Name.Value}\"{At(n)}.");
                    continue;
                }

                var type = Resolve(n.Type, $"{owner}({n.Name.Value}:)") ?? BuiltInScalars.String;
                var value = new InputValueDefinition(n.Name.Value, type)
                {
                    Description = n.Description?.Value,
                    DefaultValueLiteral = n.DefaultValue,
                    DeprecationReason = Deprecation(n.Directives),
                    AppliedDirectives = n.Directives,
                    Node = n,
                };
                if (n.DefaultValue is not null)
                {
                    _defaults.Add(value);
                }

                result.Add(value);
            }

            return result;
        }

        private void Fill(NamedType type, TypeDefinitionOrExtensionNode node, List<TypeDefinitionOrExtensionNode> extensions)
        {
            var all = new List<TypeDefinitionOrExtensionNode> { node };
            foreach (var ext in extensions)
            {
                if (ext.GetType() != node.GetType())
                {
                    _errors.Add($"Cannot extend non-{KindWord(node)} type \"{type.Name}\"{At(ext)}.");
                    continue;
                }

                all.Add(ext);
            }

            type.Description = node switch
            {
                ScalarTypeDefinitionNode s => s.Description?.Value,
                ObjectTypeDefinitionNode o => o.Description?.Value,
                InterfaceTypeDefinitionNode i => i.Description?.Value,
                UnionTypeDefinitionNode u => u.Description?.Value,
                EnumTypeDefinitionNode e => e.Description?.Value,
                InputObjectTypeDefinitionNode io => io.Description?.Value,
                _ => null,
            };
            type.AppliedDirectives = all.SelectMany(n => n.Directives).ToList();

            switch (type)
            {
                case ScalarType scalar:
                    foreach (var d in type.AppliedDirectives.Where(d => d.Name.Value == "specifiedBy"))
                    {
                        if (d.Arguments.FirstOrDefault(a => a.Name.Value == "url")?.Value is StringValueNode url)
                        {
                            scalar.SpecifiedByUrl = url.Value;
                        }
                    }

                    break;
                case ComplexType complex:
                {
                    var interfaces = new List<InterfaceType>();
                    var fields = new List<FieldDefinition>();
                    foreach (var n in all)
                    {
                        var (ifaceNodes, fieldNodes) = n switch
                        {
                            ObjectTypeDefinitionNode o => (o.Interfaces, o.Fields),
                            InterfaceTypeDefinitionNode i => (i.Interfaces, i.Fields),
                            _ => ([], []),
                        };
                        foreach (var i in ifaceNodes)
                        {
                            var resolved = Resolve(i, type.Name);
                            if (resolved is null)
                            {
                                continue;
                            }

                            if (resolved is not InterfaceType it)
                            {
                                _errors.Add($"Type {type.Name} must only implement Interface types, it cannot implement {resolved}{At(i)}.");
                                continue;
                            }

                            if (interfaces.Contains(it))
                            {
                                _errors.Add($"Type {type.Name} can only implement {it.Name} once{At(i)}.");
                                continue;
                            }

                            interfaces.Add(it);
                        }

                        foreach (var f in fieldNodes)
                        {
                            if (fields.Any(x => x.Name == f.Name.Value))
                            {
                                _errors.Add($"Field \"{type.Name}.{f.Name.Value}\" can only be defined once{At(f)}.");
                                continue;
                            }

                            var fieldType = Resolve(f.Type, $"{type.Name}.{f.Name.Value}") ?? BuiltInScalars.String;
                            fields.Add(new FieldDefinition(f.Name.Value, fieldType)
                            {
                                Description = f.Description?.Value,
                                Arguments = InputValues(f.Arguments, $"{type.Name}.{f.Name.Value}"),
                                DeprecationReason = Deprecation(f.Directives),
                                AppliedDirectives = f.Directives,
                                Node = f,
                            });
                        }
                    }

                    complex.Interfaces = interfaces;
                    complex.SetFields(fields);
                    break;
                }

                case UnionType union:
                {
                    var members = new List<ObjectType>();
                    foreach (var m in all.Cast<UnionTypeDefinitionNode>().SelectMany(u => u.Types))
                    {
                        var resolved = Resolve(m, union.Name);
                        if (resolved is null)
                        {
                            continue;
                        }

                        if (resolved is not ObjectType o)
                        {
                            _errors.Add($"Union type {union.Name} can only include Object types, it cannot include {resolved}{At(m)}.");
                        }
                        else if (members.Contains(o))
                        {
                            _errors.Add($"Union type {union.Name} can only include type {o.Name} once{At(m)}.");
                        }
                        else
                        {
                            members.Add(o);
                        }
                    }

                    union.Types = members;
                    break;
                }

                case EnumType e:
                {
                    var values = new List<EnumValueDefinition>();
                    b._enumValues.TryGetValue(e.Name, out var bound);
                    foreach (var v in all.Cast<EnumTypeDefinitionNode>().SelectMany(x => x.Values))
                    {
                        if (values.Any(x => x.Name == v.Name.Value))
                        {
                            _errors.Add($"Enum value \"{e.Name}.{v.Name.Value}\" can only be defined once{At(v)}.");
                            continue;
                        }

                        object internalValue = v.Name.Value;
                        if (bound is not null)
                        {
                            if (bound.TryGetValue(v.Name.Value, out var clr) || bound.TryGetValue(v.Name.Value.Replace("_", "", StringComparison.Ordinal), out clr))
                            {
                                internalValue = clr;
                            }
                            else
                            {
                                _errors.Add($"Enum value \"{e.Name}.{v.Name.Value}\" has no matching member in the bound CLR enum.");
                            }
                        }

                        values.Add(new EnumValueDefinition(v.Name.Value, internalValue)
                        {
                            Description = v.Description?.Value,
                            DeprecationReason = Deprecation(v.Directives),
                            AppliedDirectives = v.Directives,
                        });
                    }

                    e.SetValues(values);
                    break;
                }

                case InputObjectType io:
                {
                    var fields = new List<InputValueDefinition>();
                    foreach (var n in all.Cast<InputObjectTypeDefinitionNode>())
                    {
                        foreach (var f in InputValues(n.Fields, io.Name))
                        {
                            if (fields.Any(x => x.Name == f.Name))
                            {
                                _errors.Add($"Field \"{io.Name}.{f.Name}\" can only be defined once.");
                                continue;
                            }

                            fields.Add(f);
                        }
                    }

                    io.SetFields(fields);
                    io.IsOneOf = type.AppliedDirectives.Any(d => d.Name.Value == "oneOf");
                    break;
                }
            }
        }

        private static string KindWord(TypeDefinitionOrExtensionNode node) => node switch
        {
            ScalarTypeDefinitionNode => "scalar",
            ObjectTypeDefinitionNode => "object",
            InterfaceTypeDefinitionNode => "interface",
            UnionTypeDefinitionNode => "union",
            EnumTypeDefinitionNode => "enum",
            _ => "input object",
        };

        private void BuildDirectives()
        {
            foreach (var n in _directiveNodes)
            {
                var locations = new List<DirectiveLocation>();
                foreach (var l in n.Locations)
                {
                    if (DirectiveDefinition.ParseLocation(l.Value) is { } loc)
                    {
                        locations.Add(loc);
                    }
                }

                var d = new DirectiveDefinition(n.Name.Value, locations)
                {
                    Description = n.Description?.Value,
                    IsRepeatable = n.Repeatable,
                    Arguments = InputValues(n.Arguments, "@" + n.Name.Value),
                    IsBuiltIn = _builtInDirectiveNames.Contains(n.Name.Value),
                };
                _directives[d.Name] = d;
            }

            // Applied directives in the SDL must be defined, in a valid location and not repeated unless repeatable.
            foreach (var (name, node) in _definitions)
            {
                if (_introspectionNames.Contains(name))
                {
                    continue;
                }

                var type = _types[name];
                CheckApplied(type.AppliedDirectives, type switch
                {
                    ScalarType => DirectiveLocation.Scalar,
                    ObjectType => DirectiveLocation.Object,
                    InterfaceType => DirectiveLocation.Interface,
                    UnionType => DirectiveLocation.Union,
                    EnumType => DirectiveLocation.Enum,
                    _ => DirectiveLocation.InputObject,
                }, name);
                switch (type)
                {
                    case ComplexType c:
                        foreach (var f in c.Fields)
                        {
                            CheckApplied(f.AppliedDirectives, DirectiveLocation.FieldDefinition, $"{name}.{f.Name}");
                            foreach (var a in f.Arguments)
                            {
                                CheckApplied(a.AppliedDirectives, DirectiveLocation.ArgumentDefinition, $"{name}.{f.Name}({a.Name}:)");
                            }
                        }

                        break;
                    case EnumType e:
                        foreach (var v in e.Values)
                        {
                            CheckApplied(v.AppliedDirectives, DirectiveLocation.EnumValue, $"{name}.{v.Name}");
                        }

                        break;
                    case InputObjectType io:
                        foreach (var f in io.Fields)
                        {
                            CheckApplied(f.AppliedDirectives, DirectiveLocation.InputFieldDefinition, $"{name}.{f.Name}");
                        }

                        break;
                }
            }
        }

        private void CheckApplied(IReadOnlyList<DirectiveNode> applied, DirectiveLocation location, string where)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var d in applied)
            {
                if (!_directives.TryGetValue(d.Name.Value, out var def))
                {
                    _errors.Add($"Unknown directive \"@{d.Name.Value}\" on {where}{At(d)}.");
                    continue;
                }

                if (!def.Locations.Contains(location))
                {
                    _errors.Add($"Directive \"@{d.Name.Value}\" may not be used on {DirectiveDefinition.LocationName(location)} ({where}){At(d)}.");
                }

                if (!def.IsRepeatable && !seen.Add(def.Name))
                {
                    _errors.Add($"The directive \"@{d.Name.Value}\" can only be used once at this location ({where}){At(d)}.");
                }
            }
        }

        private void CoerceDefaults()
        {
            // Input object field defaults first (twice, so defaults nested in defaults are seen), then arguments.
            var inputFields = _defaults.Where(d => _types.Values.OfType<InputObjectType>().Any(t => t.Fields.Contains(d))).ToList();
            foreach (var pass in new[] { inputFields, inputFields, _defaults })
            {
                foreach (var d in pass)
                {
                    if (ValueCoercion.TryCoerceLiteral(d.DefaultValueLiteral!, d.Type, null, out var value))
                    {
                        d.DefaultValue = value;
                    }
                    else if (ReferenceEquals(pass, _defaults))
                    {
                        _errors.Add($"Default value {Printer.Print(d.DefaultValueLiteral!)} of \"{d.Name}\" is not valid for type {d.Type}{At(d.DefaultValueLiteral!)}.");
                    }
                }
            }
        }

        private (ObjectType? Query, ObjectType? Mutation, ObjectType? Subscription) RootTypes()
        {
            ObjectType? query = null, mutation = null, subscription = null;
            var operationTypes = (_schemaNode?.OperationTypes ?? []).Concat(_schemaExtensions.SelectMany(e => e.OperationTypes)).ToList();
            if (_schemaNode is null && _schemaExtensions.Count == 0)
            {
                query = Root("Query", null);
                mutation = Root("Mutation", null);
                subscription = Root("Subscription", null);
                return (query, mutation, subscription);
            }

            foreach (var op in operationTypes)
            {
                var root = Root(op.Type.Name.Value, op);
                switch (op.Operation)
                {
                    case OperationType.Query when query is not null:
                    case OperationType.Mutation when mutation is not null:
                    case OperationType.Subscription when subscription is not null:
                        _errors.Add($"Type for {op.Operation.ToString().ToLowerInvariant()} already defined in the schema{At(op)}.");
                        break;
                    case OperationType.Query:
                        query = root;
                        break;
                    case OperationType.Mutation:
                        mutation = root;
                        break;
                    default:
                        subscription = root;
                        break;
                }
            }

            if (query is null)
            {
                _errors.Add("Query root type must be provided.");
            }

            return (query, mutation, subscription);
        }

        private ObjectType? Root(string name, OperationTypeDefinitionNode? node)
        {
            if (!_types.TryGetValue(name, out var t) || _introspectionNames.Contains(name))
            {
                if (node is not null)
                {
                    _errors.Add($"Unknown type \"{name}\" for the {node.Operation.ToString().ToLowerInvariant()} root{At(node)}.");
                }

                return null;
            }

            if (t is not ObjectType o)
            {
                _errors.Add(node is null && name != "Query"
                    ? $"{name} root type must be Object type if provided, it cannot be {t.Name}."
                    : $"{(node?.Operation ?? OperationType.Query)} root type must be Object type, it cannot be {t.Name}.");
                return null;
            }

            return o;
        }

        private void ValidateTypes(ObjectType? query, ObjectType? mutation, ObjectType? subscription)
        {
            foreach (var type in _declared)
            {
                switch (type)
                {
                    case ComplexType c:
                        if (c.Fields.Count == 0)
                        {
                            _errors.Add($"Type {c.Name} must define one or more fields.");
                        }

                        foreach (var f in c.Fields)
                        {
                            if (f.Name.StartsWith("__", StringComparison.Ordinal))
                            {
                                _errors.Add($"Name \"{c.Name}.{f.Name}\" must not begin with \"__\", which is reserved by GraphQL introspection.");
                            }

                            if (!f.Type.IsOutputType)
                            {
                                _errors.Add($"The type of {c.Name}.{f.Name} must be Output Type but got: {f.Type}.");
                            }

                            CheckArguments(f.Arguments, $"{c.Name}.{f.Name}");
                        }

                        ValidateInterfaces(c);
                        break;
                    case UnionType u when u.Types.Count == 0:
                        _errors.Add($"Union type {u.Name} must define one or more member types.");
                        break;
                    case EnumType e when e.Values.Count == 0:
                        _errors.Add($"Enum type {e.Name} must define one or more values.");
                        break;
                    case InputObjectType io:
                        if (io.Fields.Count == 0)
                        {
                            _errors.Add($"Input Object type {io.Name} must define one or more fields.");
                        }

                        foreach (var f in io.Fields)
                        {
                            if (!f.Type.IsInputType)
                            {
                                _errors.Add($"The type of {io.Name}.{f.Name} must be Input Type but got: {f.Type}.");
                            }

                            if (f.Type is NonNullType && !f.HasDefaultValue && f.IsDeprecated)
                            {
                                _errors.Add($"Required input field {io.Name}.{f.Name} cannot be deprecated.");
                            }

                            if (io.IsOneOf && f.Type is NonNullType)
                            {
                                _errors.Add($"OneOf input field {io.Name}.{f.Name} must be nullable.");
                            }

                            if (io.IsOneOf && f.HasDefaultValue)
                            {
                                _errors.Add($"OneOf input field {io.Name}.{f.Name} cannot have a default value.");
                            }
                        }

                        CheckInputCycles(io, [], new HashSet<InputObjectType>());
                        break;
                }
            }

            foreach (var d in _directives.Values.Where(d => !d.IsBuiltIn))
            {
                if (d.Name.StartsWith("__", StringComparison.Ordinal))
                {
                    _errors.Add($"Name \"@{d.Name}\" must not begin with \"__\", which is reserved by GraphQL introspection.");
                }

                CheckArguments(d.Arguments, "@" + d.Name);
            }

            _ = (query, mutation, subscription);
        }

        private void CheckArguments(IReadOnlyList<InputValueDefinition> arguments, string owner)
        {
            foreach (var a in arguments)
            {
                if (a.Name.StartsWith("__", StringComparison.Ordinal))
                {
                    _errors.Add($"Name \"{owner}({a.Name}:)\" must not begin with \"__\", which is reserved by GraphQL introspection.");
                }

                if (!a.Type.IsInputType)
                {
                    _errors.Add($"The type of {owner}({a.Name}:) must be Input Type but got: {a.Type}.");
                }

                if (a.Type is NonNullType && !a.HasDefaultValue && a.IsDeprecated)
                {
                    _errors.Add($"Required argument {owner}({a.Name}:) cannot be deprecated.");
                }
            }
        }

        private readonly HashSet<InputObjectType> _cycleChecked = [];

        private void CheckInputCycles(InputObjectType type, List<string> path, HashSet<InputObjectType> visiting)
        {
            if (_cycleChecked.Contains(type) && path.Count == 0)
            {
                return;
            }

            visiting.Add(type);
            foreach (var f in type.Fields)
            {
                if (f.Type is NonNullType { OfType: InputObjectType target })
                {
                    path.Add(f.Name);
                    if (visiting.Contains(target))
                    {
                        _errors.Add($"Cannot reference Input Object \"{target.Name}\" within itself through a series of non-null fields: \"{string.Join(".", path)}\".");
                    }
                    else if (!_cycleChecked.Contains(target))
                    {
                        CheckInputCycles(target, path, visiting);
                    }

                    path.RemoveAt(path.Count - 1);
                }
            }

            visiting.Remove(type);
            if (path.Count == 0)
            {
                _cycleChecked.Add(type);
            }
        }

        private void ValidateInterfaces(ComplexType type)
        {
            foreach (var iface in type.Interfaces)
            {
                if (ReferenceEquals(iface, type))
                {
                    _errors.Add($"Type {type.Name} cannot implement itself because it would create a circular reference.");
                    continue;
                }

                foreach (var transitive in iface.Interfaces)
                {
                    if (!type.Interfaces.Contains(transitive))
                    {
                        _errors.Add(ReferenceEquals(transitive, type)
                            ? $"Type {type.Name} cannot implement {iface.Name} because it would create a circular reference."
                            : $"Type {type.Name} must implement {transitive.Name} because it is implemented by {iface.Name}.");
                    }
                }

                foreach (var ifaceField in iface.Fields)
                {
                    var field = type.GetField(ifaceField.Name);
                    if (field is null)
                    {
                        _errors.Add($"Interface field {iface.Name}.{ifaceField.Name} expected but {type.Name} does not provide it.");
                        continue;
                    }

                    if (!IsTypeSubTypeOf(field.Type, ifaceField.Type))
                    {
                        _errors.Add($"Interface field {iface.Name}.{ifaceField.Name} expects type {ifaceField.Type} but {type.Name}.{field.Name} is type {field.Type}.");
                    }

                    foreach (var ifaceArg in ifaceField.Arguments)
                    {
                        var arg = field.GetArgument(ifaceArg.Name);
                        if (arg is null)
                        {
                            _errors.Add($"Interface field argument {iface.Name}.{ifaceField.Name}({ifaceArg.Name}:) expected but {type.Name}.{field.Name} does not provide it.");
                        }
                        else if (!GraphQLType.AreEqual(arg.Type, ifaceArg.Type))
                        {
                            _errors.Add($"Interface field argument {iface.Name}.{ifaceField.Name}({ifaceArg.Name}:) expects type {ifaceArg.Type} but {type.Name}.{field.Name}({arg.Name}:) is type {arg.Type}.");
                        }
                    }

                    foreach (var arg in field.Arguments)
                    {
                        if (ifaceField.GetArgument(arg.Name) is null && arg.Type is NonNullType && !arg.HasDefaultValue)
                        {
                            _errors.Add($"Argument \"{type.Name}.{field.Name}({arg.Name}:)\" must not be required type \"{arg.Type}\" if not provided by the Interface field \"{iface.Name}.{ifaceField.Name}\".");
                        }
                    }
                }
            }
        }

        private static bool IsTypeSubTypeOf(GraphQLType maybeSub, GraphQLType super)
        {
            if (ReferenceEquals(maybeSub, super))
            {
                return true;
            }

            if (super is NonNullType sn)
            {
                return maybeSub is NonNullType mn && IsTypeSubTypeOf(mn.OfType, sn.OfType);
            }

            if (maybeSub is NonNullType m)
            {
                return IsTypeSubTypeOf(m.OfType, super);
            }

            if (super is ListType sl)
            {
                return maybeSub is ListType ml && IsTypeSubTypeOf(ml.OfType, sl.OfType);
            }

            if (maybeSub is ListType)
            {
                return false;
            }

            return super switch
            {
                InterfaceType i => maybeSub is ComplexType c && c.Interfaces.Contains(i),
                UnionType u => maybeSub is ObjectType o && u.Types.Contains(o),
                _ => false,
            };
        }

        private void BindResolvers(ObjectType? query, ObjectType? mutation, ObjectType? subscription)
        {
            foreach (var ((typeName, fieldName), resolver) in b._resolvers)
            {
                if (!_types.TryGetValue(typeName, out var t) || t is not ObjectType o || _introspectionNames.Contains(typeName))
                {
                    _errors.Add($"A resolver is bound to {typeName}.{fieldName}, but {typeName} is not an object type in the SDL.");
                    continue;
                }

                var field = o.GetField(fieldName);
                if (field is null)
                {
                    _errors.Add($"A resolver is bound to {typeName}.{fieldName}, but {typeName} has no field \"{fieldName}\".");
                    continue;
                }

                field.Resolver = resolver;
            }

            foreach (var ((typeName, fieldName), subscriber) in b._subscribers)
            {
                if (_types.GetValueOrDefault(typeName) is ObjectType o && o.GetField(fieldName) is { } field)
                {
                    field.Subscriber = subscriber;
                    if (!ReferenceEquals(o, subscription))
                    {
                        _errors.Add($"A subscription stream is bound to {typeName}.{fieldName}, but {typeName} is not the subscription root type.");
                    }
                }
            }

            foreach (var ((typeName, fieldName), cost) in b._costs)
            {
                if (_types.GetValueOrDefault(typeName) is ComplexType c && c.GetField(fieldName) is { } field)
                {
                    field.Cost = cost;
                }
                else
                {
                    _errors.Add($"A cost is set on {typeName}.{fieldName}, which is not a field in the SDL.");
                }
            }

            foreach (var (name, resolver) in b._typeResolvers)
            {
                switch (_types.GetValueOrDefault(name))
                {
                    case InterfaceType i:
                        i.ResolveType = resolver;
                        break;
                    case UnionType u:
                        u.ResolveType = resolver;
                        break;
                    default:
                        _errors.Add($"A type resolver is bound to {name}, which is not an interface or union in the SDL.");
                        break;
                }
            }

            foreach (var (name, clrTypes) in b._clrTypes)
            {
                if (_types.GetValueOrDefault(name) is ObjectType o)
                {
                    o.ClrTypes.AddRange(clrTypes);
                }
                else
                {
                    _errors.Add($"A CLR type is bound to {name}, which is not an object type in the SDL.");
                }
            }

            foreach (var name in b._enumValues.Keys)
            {
                if (_types.GetValueOrDefault(name) is not EnumType)
                {
                    _errors.Add($"A CLR enum is bound to {name}, which is not an enum type in the SDL.");
                }
            }

            foreach (var name in b._defaultResolverTypes)
            {
                if (_types.GetValueOrDefault(name) is not ObjectType)
                {
                    _errors.Add($"Default resolvers are enabled for {name}, which is not an object type in the SDL.");
                }
            }

            var roots = new HashSet<ObjectType?> { query, mutation, subscription };
            foreach (var type in _types.Values.OfType<ObjectType>())
            {
                if (_introspectionNames.Contains(type.Name))
                {
                    continue;
                }

                var isRoot = roots.Contains(type);
                var defaults = !isRoot && (b._defaultResolversEverywhere || b._defaultResolverTypes.Contains(type.Name));
                foreach (var field in type.Fields)
                {
                    if (ReferenceEquals(type, subscription) && field.Subscriber is null)
                    {
                        _errors.Add($"Subscription field {type.Name}.{field.Name} has no source stream: bind one with BindSubscription.");
                        continue;
                    }

                    if (field.Resolver is not null)
                    {
                        continue;
                    }

                    if (defaults)
                    {
                        field.DefaultReader = new PropertyReader(field.Name);
                    }
                    else
                    {
                        _errors.Add($"Field {type.Name}.{field.Name} has no resolver: bind one with BindResolver{(isRoot ? "" : $" or enable UseDefaultResolvers(\"{type.Name}\")")}.");
                    }
                }
            }
        }
    }
}
