namespace IncidentLedger.GraphQL.Language;

/// <summary>Limits that keep hostile documents from costing more than a bounded amount of work.</summary>
public sealed record ParserOptions
{
    public static ParserOptions Default { get; } = new();

    /// <summary>Longest accepted document, in UTF-16 characters.</summary>
    public int MaxDocumentLength { get; init; } = 1_000_000;

    /// <summary>Most lexical tokens accepted in one document.</summary>
    public int MaxTokens { get; init; } = 100_000;

    /// <summary>Deepest nesting of selection sets, list/object values and list types.</summary>
    public int MaxDepth { get; init; } = 128;
}

/// <summary>
/// Recursive-descent parser for the whole GraphQL language (spec §2 and the type-system
/// language of §3). Recursion is bounded by <see cref="ParserOptions.MaxDepth"/>, so deep
/// input ends in a limit error rather than a stack overflow.
/// </summary>
public sealed class Parser
{
    private static readonly HashSet<string> DirectiveLocationNames =
    [
        "QUERY", "MUTATION", "SUBSCRIPTION", "FIELD", "FRAGMENT_DEFINITION", "FRAGMENT_SPREAD", "INLINE_FRAGMENT", "VARIABLE_DEFINITION",
        "SCHEMA", "SCALAR", "DIRECTIVE_DEFINITION", "OBJECT", "FIELD_DEFINITION", "ARGUMENT_DEFINITION", "INTERFACE", "UNION", "ENUM", "ENUM_VALUE", "INPUT_OBJECT", "INPUT_FIELD_DEFINITION",
    ];

    private readonly Lexer _lexer;
    private readonly ParserOptions _options;
    private int _depth;

    private Parser(string source, ParserOptions options)
    {
        _lexer = new Lexer(source);
        _options = options;
    }

    /// <summary>Parses a document; throws <see cref="GraphQLSyntaxException"/> on a syntax error or exceeded limit.</summary>
    public static DocumentNode Parse(string source, ParserOptions? options = null)
    {
        options ??= ParserOptions.Default;
        if (source.Length > options.MaxDocumentLength)
        {
            throw new GraphQLSyntaxException(
                $"Document is too large: {source.Length} characters, the limit is {options.MaxDocumentLength}.", new SourceLocation(1, 1), ErrorCodes.LimitExceeded);
        }

        return new Parser(source, options).ParseDocument();
    }

    /// <summary>Parses a single input value, e.g. a default value written in code.</summary>
    public static ValueNode ParseValue(string source, ParserOptions? options = null)
    {
        var parser = new Parser(source, options ?? ParserOptions.Default);
        parser.Advance();
        var value = parser.ParseValueLiteral(false);
        parser.Expect(TokenKind.EndOfFile);
        return value;
    }

    /// <summary>Parses a type reference such as <c>[String!]!</c>.</summary>
    public static TypeNode ParseType(string source)
    {
        var parser = new Parser(source, ParserOptions.Default);
        parser.Advance();
        var type = parser.ParseTypeReference();
        parser.Expect(TokenKind.EndOfFile);
        return type;
    }

    private Token Current => _lexer.Token;

    private void Advance()
    {
        var token = _lexer.Advance();
        if (_lexer.TokenCount > _options.MaxTokens)
        {
            throw new GraphQLSyntaxException(
                $"Syntax Error: Document contains more than {_options.MaxTokens} tokens. Parsing aborted.",
                new SourceLocation(token.Line, token.Column), ErrorCodes.LimitExceeded);
        }
    }

    private void Enter()
    {
        if (++_depth > _options.MaxDepth)
        {
            throw new GraphQLSyntaxException(
                $"Syntax Error: Document nesting is deeper than the limit of {_options.MaxDepth}.",
                new SourceLocation(Current.Line, Current.Column), ErrorCodes.LimitExceeded);
        }
    }

    private void Exit() => _depth--;

    private GraphQLSyntaxException ErrorAt(Token token, string message) =>
        new("Syntax Error: " + message, new SourceLocation(token.Line, token.Column));

    private GraphQLSyntaxException Unexpected(Token? token = null)
    {
        var t = token ?? Current;
        return ErrorAt(t, $"Unexpected {t.Describe()}.");
    }

    private Location LocFrom(Token start) => new(start.Start, PreviousEnd, start.Line, start.Column);

    private int _previousEnd;

    private int PreviousEnd => _previousEnd;

    private Token Expect(TokenKind kind)
    {
        var token = Current;
        if (token.Kind != kind)
        {
            throw ErrorAt(token, $"Expected {Token.KindText(kind)}, found {token.Describe()}.");
        }

        _previousEnd = token.End;
        Advance();
        return token;
    }

    private bool ExpectOptional(TokenKind kind)
    {
        if (Current.Kind != kind)
        {
            return false;
        }

        _previousEnd = Current.End;
        Advance();
        return true;
    }

    private void ExpectKeyword(string value)
    {
        var token = Current;
        if (token.Kind != TokenKind.Name || token.Value != value)
        {
            throw ErrorAt(token, $"Expected \"{value}\", found {token.Describe()}.");
        }

        _previousEnd = token.End;
        Advance();
    }

    private bool ExpectOptionalKeyword(string value)
    {
        if (Current.Kind != TokenKind.Name || Current.Value != value)
        {
            return false;
        }

        _previousEnd = Current.End;
        Advance();
        return true;
    }

    private bool Peek(TokenKind kind) => Current.Kind == kind;

    /// <summary>open item+ close — at least one item.</summary>
    private List<T> Many<T>(TokenKind open, Func<T> item, TokenKind close)
    {
        Expect(open);
        var list = new List<T>();
        do
        {
            list.Add(item());
        }
        while (!ExpectOptional(close));
        return list;
    }

    /// <summary>(open item+ close)? — absent is empty.</summary>
    private IReadOnlyList<T> OptionalMany<T>(TokenKind open, Func<T> item, TokenKind close) =>
        Peek(open) ? Many(open, item, close) : [];

    /// <summary>open item* close.</summary>
    private List<T> Any<T>(TokenKind open, Func<T> item, TokenKind close)
    {
        Expect(open);
        var list = new List<T>();
        while (!ExpectOptional(close))
        {
            list.Add(item());
        }

        return list;
    }

    private List<T> DelimitedMany<T>(TokenKind delimiter, Func<T> item)
    {
        ExpectOptional(delimiter);
        var list = new List<T>();
        do
        {
            list.Add(item());
        }
        while (ExpectOptional(delimiter));
        return list;
    }

    private DocumentNode ParseDocument()
    {
        Advance();
        var definitions = new List<DefinitionNode>();
        do
        {
            definitions.Add(ParseDefinition());
        }
        while (!Peek(TokenKind.EndOfFile));
        return new DocumentNode(new Location(0, _previousEnd, 1, 1), definitions) { TokenCount = _lexer.TokenCount };
    }

    private DefinitionNode ParseDefinition()
    {
        if (Peek(TokenKind.BraceL))
        {
            return ParseOperationDefinition();
        }

        var hasDescription = Peek(TokenKind.String) || Peek(TokenKind.BlockString);
        var keyword = hasDescription ? _lexer.Lookahead() : Current;
        if (hasDescription && keyword.Kind == TokenKind.BraceL)
        {
            throw ErrorAt(Current, "Unexpected description, descriptions are not supported on shorthand queries.");
        }

        if (keyword.Kind == TokenKind.Name)
        {
            switch (keyword.Value)
            {
                case "schema": return ParseSchemaDefinition();
                case "scalar": return ParseScalarTypeDefinition();
                case "type": return ParseObjectTypeDefinition();
                case "interface": return ParseInterfaceTypeDefinition();
                case "union": return ParseUnionTypeDefinition();
                case "enum": return ParseEnumTypeDefinition();
                case "input": return ParseInputObjectTypeDefinition();
                case "directive": return ParseDirectiveDefinition();
            }

            switch (keyword.Value)
            {
                case "query":
                case "mutation":
                case "subscription":
                    return ParseOperationDefinition();
                case "fragment":
                    return ParseFragmentDefinition();
            }

            if (hasDescription)
            {
                throw ErrorAt(Current, "Unexpected description, only GraphQL definitions support descriptions.");
            }

            if (keyword.Value == "extend")
            {
                return ParseTypeSystemExtension();
            }
        }

        throw Unexpected(keyword);
    }

    private OperationDefinitionNode ParseOperationDefinition()
    {
        var start = Current;
        if (Peek(TokenKind.BraceL))
        {
            var set = ParseSelectionSet();
            return new OperationDefinitionNode(LocFrom(start), OperationType.Query, null, [], [], set);
        }

        var description = ParseDescription();
        var operation = ParseOperationType();
        NameNode? name = Peek(TokenKind.Name) ? ParseName() : null;
        var variables = OptionalMany(TokenKind.ParenL, ParseVariableDefinition, TokenKind.ParenR);
        var directives = ParseDirectives(false);
        var selectionSet = ParseSelectionSet();
        return new OperationDefinitionNode(LocFrom(start), operation, name, variables, directives, selectionSet) { Description = description };
    }

    private OperationType ParseOperationType()
    {
        var token = Expect(TokenKind.Name);
        return token.Value switch
        {
            "query" => OperationType.Query,
            "mutation" => OperationType.Mutation,
            "subscription" => OperationType.Subscription,
            _ => throw Unexpected(token),
        };
    }

    private VariableDefinitionNode ParseVariableDefinition()
    {
        var start = Current;
        var description = ParseDescription();
        var variable = ParseVariable();
        Expect(TokenKind.Colon);
        var type = ParseTypeReference();
        var defaultValue = ExpectOptional(TokenKind.Equals) ? ParseValueLiteral(true) : null;
        var directives = ParseDirectives(true);
        return new VariableDefinitionNode(LocFrom(start), variable, type, defaultValue, directives) { Description = description };
    }

    private VariableNode ParseVariable()
    {
        var start = Current;
        Expect(TokenKind.Dollar);
        var name = ParseName();
        return new VariableNode(LocFrom(start), name);
    }

    private SelectionSetNode ParseSelectionSet()
    {
        var start = Current;
        Enter();
        var selections = Many(TokenKind.BraceL, ParseSelection, TokenKind.BraceR);
        Exit();
        return new SelectionSetNode(LocFrom(start), selections);
    }

    private SelectionNode ParseSelection() => Peek(TokenKind.Spread) ? ParseFragment() : ParseField();

    private FieldNode ParseField()
    {
        var start = Current;
        var nameOrAlias = ParseName();
        NameNode? alias = null;
        NameNode name;
        if (ExpectOptional(TokenKind.Colon))
        {
            alias = nameOrAlias;
            name = ParseName();
        }
        else
        {
            name = nameOrAlias;
        }

        var arguments = ParseArguments(false);
        var directives = ParseDirectives(false);
        var selectionSet = Peek(TokenKind.BraceL) ? ParseSelectionSet() : null;
        return new FieldNode(LocFrom(start), alias, name, arguments, directives, selectionSet);
    }

    private IReadOnlyList<ArgumentNode> ParseArguments(bool isConst) =>
        OptionalMany<ArgumentNode>(TokenKind.ParenL, isConst ? ParseConstArgument : ParseArgument, TokenKind.ParenR);

    private ArgumentNode ParseArgument() => ParseArgumentCore(false);

    private ArgumentNode ParseConstArgument() => ParseArgumentCore(true);

    private ArgumentNode ParseArgumentCore(bool isConst)
    {
        var start = Current;
        var name = ParseName();
        Expect(TokenKind.Colon);
        var value = ParseValueLiteral(isConst);
        return new ArgumentNode(LocFrom(start), name, value);
    }

    private SelectionNode ParseFragment()
    {
        var start = Current;
        Expect(TokenKind.Spread);
        var hasTypeCondition = ExpectOptionalKeyword("on");
        if (!hasTypeCondition && Peek(TokenKind.Name))
        {
            var name = ParseFragmentName();
            var spreadDirectives = ParseDirectives(false);
            return new FragmentSpreadNode(LocFrom(start), name, spreadDirectives);
        }

        var typeCondition = hasTypeCondition ? ParseNamedType() : null;
        var directives = ParseDirectives(false);
        var selectionSet = ParseSelectionSet();
        return new InlineFragmentNode(LocFrom(start), typeCondition, directives, selectionSet);
    }

    private FragmentDefinitionNode ParseFragmentDefinition()
    {
        var start = Current;
        var description = ParseDescription();
        ExpectKeyword("fragment");
        var name = ParseFragmentName();
        ExpectKeyword("on");
        var typeCondition = ParseNamedType();
        var directives = ParseDirectives(false);
        var selectionSet = ParseSelectionSet();
        return new FragmentDefinitionNode(LocFrom(start), name, typeCondition, directives, selectionSet) { Description = description };
    }

    private NameNode ParseFragmentName()
    {
        if (Current.Kind == TokenKind.Name && Current.Value == "on")
        {
            throw Unexpected();
        }

        return ParseName();
    }

    private NameNode ParseName()
    {
        var token = Expect(TokenKind.Name);
        return new NameNode(new Location(token.Start, token.End, token.Line, token.Column), token.Value!);
    }

    private ValueNode ParseValueLiteral(bool isConst)
    {
        var token = Current;
        var loc = new Location(token.Start, token.End, token.Line, token.Column);
        switch (token.Kind)
        {
            case TokenKind.BracketL:
            {
                Enter();
                var values = Any<ValueNode>(TokenKind.BracketL, isConst ? ParseConstValue : ParseNonConstValue, TokenKind.BracketR);
                Exit();
                return new ListValueNode(LocFrom(token), values);
            }

            case TokenKind.BraceL:
            {
                Enter();
                var fields = Any<ObjectFieldNode>(TokenKind.BraceL, isConst ? ParseConstObjectField : ParseObjectField, TokenKind.BraceR);
                Exit();
                return new ObjectValueNode(LocFrom(token), fields);
            }

            case TokenKind.Int:
                Consume();
                return new IntValueNode(loc, token.Value!);
            case TokenKind.Float:
                Consume();
                return new FloatValueNode(loc, token.Value!);
            case TokenKind.String:
            case TokenKind.BlockString:
                return ParseStringLiteral();
            case TokenKind.Name:
                Consume();
                return token.Value switch
                {
                    "true" => new BooleanValueNode(loc, true),
                    "false" => new BooleanValueNode(loc, false),
                    "null" => new NullValueNode(loc),
                    _ => new EnumValueNode(loc, token.Value!),
                };
            case TokenKind.Dollar:
                if (isConst)
                {
                    Expect(TokenKind.Dollar);
                    if (Current.Kind == TokenKind.Name)
                    {
                        throw ErrorAt(token, $"Unexpected variable \"${Current.Value}\" in constant value.");
                    }

                    throw Unexpected(token);
                }

                return ParseVariable();
            default:
                throw Unexpected();
        }
    }

    private void Consume()
    {
        _previousEnd = Current.End;
        Advance();
    }

    private ValueNode ParseConstValue() => ParseValueLiteral(true);

    private ValueNode ParseNonConstValue() => ParseValueLiteral(false);

    private ObjectFieldNode ParseObjectField() => ParseObjectFieldCore(false);

    private ObjectFieldNode ParseConstObjectField() => ParseObjectFieldCore(true);

    private ObjectFieldNode ParseObjectFieldCore(bool isConst)
    {
        var start = Current;
        var name = ParseName();
        Expect(TokenKind.Colon);
        var value = ParseValueLiteral(isConst);
        return new ObjectFieldNode(LocFrom(start), name, value);
    }

    private StringValueNode ParseStringLiteral()
    {
        var token = Current;
        Consume();
        return new StringValueNode(new Location(token.Start, token.End, token.Line, token.Column), token.Value!, token.Kind == TokenKind.BlockString);
    }

    private IReadOnlyList<DirectiveNode> ParseDirectives(bool isConst)
    {
        if (!Peek(TokenKind.At))
        {
            return [];
        }

        var list = new List<DirectiveNode>();
        while (Peek(TokenKind.At))
        {
            var start = Current;
            Expect(TokenKind.At);
            var name = ParseName();
            var arguments = ParseArguments(isConst);
            list.Add(new DirectiveNode(LocFrom(start), name, arguments));
        }

        return list;
    }

    private TypeNode ParseTypeReference()
    {
        var start = Current;
        TypeNode type;
        if (ExpectOptional(TokenKind.BracketL))
        {
            Enter();
            var inner = ParseTypeReference();
            Expect(TokenKind.BracketR);
            Exit();
            type = new ListTypeNode(LocFrom(start), inner);
        }
        else
        {
            type = ParseNamedType();
        }

        if (ExpectOptional(TokenKind.Bang))
        {
            return new NonNullTypeNode(LocFrom(start), type);
        }

        return type;
    }

    private NamedTypeNode ParseNamedType()
    {
        var start = Current;
        var name = ParseName();
        return new NamedTypeNode(LocFrom(start), name);
    }

    // Type-system language (spec §3).

    private StringValueNode? ParseDescription() =>
        Peek(TokenKind.String) || Peek(TokenKind.BlockString) ? ParseStringLiteral() : null;

    private SchemaDefinitionNode ParseSchemaDefinition()
    {
        var start = Current;
        var description = ParseDescription();
        ExpectKeyword("schema");
        var directives = ParseDirectives(true);
        var operationTypes = Many(TokenKind.BraceL, ParseOperationTypeDefinition, TokenKind.BraceR);
        return new SchemaDefinitionNode(LocFrom(start), description, directives, operationTypes);
    }

    private OperationTypeDefinitionNode ParseOperationTypeDefinition()
    {
        var start = Current;
        var operation = ParseOperationType();
        Expect(TokenKind.Colon);
        var type = ParseNamedType();
        return new OperationTypeDefinitionNode(LocFrom(start), operation, type);
    }

    private ScalarTypeDefinitionNode ParseScalarTypeDefinition()
    {
        var start = Current;
        var description = ParseDescription();
        ExpectKeyword("scalar");
        var name = ParseName();
        var directives = ParseDirectives(true);
        return new ScalarTypeDefinitionNode(LocFrom(start), description, name, directives);
    }

    private ObjectTypeDefinitionNode ParseObjectTypeDefinition()
    {
        var start = Current;
        var description = ParseDescription();
        ExpectKeyword("type");
        var name = ParseName();
        var interfaces = ParseImplementsInterfaces();
        var directives = ParseDirectives(true);
        var fields = OptionalMany(TokenKind.BraceL, ParseFieldDefinition, TokenKind.BraceR);
        return new ObjectTypeDefinitionNode(LocFrom(start), description, name, interfaces, directives, fields);
    }

    private InterfaceTypeDefinitionNode ParseInterfaceTypeDefinition()
    {
        var start = Current;
        var description = ParseDescription();
        ExpectKeyword("interface");
        var name = ParseName();
        var interfaces = ParseImplementsInterfaces();
        var directives = ParseDirectives(true);
        var fields = OptionalMany(TokenKind.BraceL, ParseFieldDefinition, TokenKind.BraceR);
        return new InterfaceTypeDefinitionNode(LocFrom(start), description, name, interfaces, directives, fields);
    }

    private IReadOnlyList<NamedTypeNode> ParseImplementsInterfaces() =>
        ExpectOptionalKeyword("implements") ? DelimitedMany(TokenKind.Amp, ParseNamedType) : [];

    private FieldDefinitionNode ParseFieldDefinition()
    {
        var start = Current;
        var description = ParseDescription();
        var name = ParseName();
        var arguments = OptionalMany(TokenKind.ParenL, ParseInputValueDefinition, TokenKind.ParenR);
        Expect(TokenKind.Colon);
        var type = ParseTypeReference();
        var directives = ParseDirectives(true);
        return new FieldDefinitionNode(LocFrom(start), description, name, arguments, type, directives);
    }

    private InputValueDefinitionNode ParseInputValueDefinition()
    {
        var start = Current;
        var description = ParseDescription();
        var name = ParseName();
        Expect(TokenKind.Colon);
        var type = ParseTypeReference();
        var defaultValue = ExpectOptional(TokenKind.Equals) ? ParseValueLiteral(true) : null;
        var directives = ParseDirectives(true);
        return new InputValueDefinitionNode(LocFrom(start), description, name, type, defaultValue, directives);
    }

    private UnionTypeDefinitionNode ParseUnionTypeDefinition()
    {
        var start = Current;
        var description = ParseDescription();
        ExpectKeyword("union");
        var name = ParseName();
        var directives = ParseDirectives(true);
        var types = ParseUnionMembers();
        return new UnionTypeDefinitionNode(LocFrom(start), description, name, directives, types);
    }

    private IReadOnlyList<NamedTypeNode> ParseUnionMembers() =>
        ExpectOptional(TokenKind.Equals) ? DelimitedMany(TokenKind.Pipe, ParseNamedType) : [];

    private EnumTypeDefinitionNode ParseEnumTypeDefinition()
    {
        var start = Current;
        var description = ParseDescription();
        ExpectKeyword("enum");
        var name = ParseName();
        var directives = ParseDirectives(true);
        var values = OptionalMany(TokenKind.BraceL, ParseEnumValueDefinition, TokenKind.BraceR);
        return new EnumTypeDefinitionNode(LocFrom(start), description, name, directives, values);
    }

    private EnumValueDefinitionNode ParseEnumValueDefinition()
    {
        var start = Current;
        var description = ParseDescription();
        if (Current.Kind == TokenKind.Name && Current.Value is "true" or "false" or "null")
        {
            throw ErrorAt(Current, $"{Current.Describe()} is reserved and cannot be used for an enum value.");
        }

        var name = ParseName();
        var directives = ParseDirectives(true);
        return new EnumValueDefinitionNode(LocFrom(start), description, name, directives);
    }

    private InputObjectTypeDefinitionNode ParseInputObjectTypeDefinition()
    {
        var start = Current;
        var description = ParseDescription();
        ExpectKeyword("input");
        var name = ParseName();
        var directives = ParseDirectives(true);
        var fields = OptionalMany(TokenKind.BraceL, ParseInputValueDefinition, TokenKind.BraceR);
        return new InputObjectTypeDefinitionNode(LocFrom(start), description, name, directives, fields);
    }

    private DirectiveDefinitionNode ParseDirectiveDefinition()
    {
        var start = Current;
        var description = ParseDescription();
        ExpectKeyword("directive");
        Expect(TokenKind.At);
        var name = ParseName();
        var arguments = OptionalMany(TokenKind.ParenL, ParseInputValueDefinition, TokenKind.ParenR);
        var repeatable = ExpectOptionalKeyword("repeatable");
        ExpectKeyword("on");
        var locations = DelimitedMany(TokenKind.Pipe, ParseDirectiveLocation);
        return new DirectiveDefinitionNode(LocFrom(start), description, name, arguments, repeatable, locations);
    }

    private NameNode ParseDirectiveLocation()
    {
        var token = Current;
        var name = ParseName();
        if (DirectiveLocationNames.Contains(name.Value))
        {
            return name;
        }

        throw Unexpected(token);
    }

    private TypeSystemNode ParseTypeSystemExtension()
    {
        var keyword = _lexer.Lookahead();
        if (keyword.Kind == TokenKind.Name)
        {
            switch (keyword.Value)
            {
                case "schema": return ParseSchemaExtension();
                                case "scalar":
                case "type":
                case "interface":
                case "union":
                case "enum":
                case "input":
                    return ParseTypeExtension();
            }
        }

        throw Unexpected(keyword);
    }

    private SchemaExtensionNode ParseSchemaExtension()
    {
        var start = Current;
        ExpectKeyword("extend");
        ExpectKeyword("schema");
        var directives = ParseDirectives(true);
        var operationTypes = OptionalMany(TokenKind.BraceL, ParseOperationTypeDefinition, TokenKind.BraceR);
        if (directives.Count == 0 && operationTypes.Count == 0)
        {
            throw Unexpected();
        }

        return new SchemaExtensionNode(LocFrom(start), directives, operationTypes);
    }

    private TypeDefinitionOrExtensionNode ParseTypeExtension()
    {
        var start = Current;
        ExpectKeyword("extend");
        var keyword = Current.Value;
        Consume();
        var name = ParseName();
        switch (keyword)
        {
            case "scalar":
            {
                var directives = ParseDirectives(true);
                if (directives.Count == 0)
                {
                    throw Unexpected();
                }

                return new ScalarTypeDefinitionNode(LocFrom(start), null, name, directives, true);
            }

            case "type":
            case "interface":
            {
                var interfaces = ParseImplementsInterfaces();
                var directives = ParseDirectives(true);
                var fields = OptionalMany(TokenKind.BraceL, ParseFieldDefinition, TokenKind.BraceR);
                if (interfaces.Count == 0 && directives.Count == 0 && fields.Count == 0)
                {
                    throw Unexpected();
                }

                return keyword == "type"
                    ? new ObjectTypeDefinitionNode(LocFrom(start), null, name, interfaces, directives, fields, true)
                    : new InterfaceTypeDefinitionNode(LocFrom(start), null, name, interfaces, directives, fields, true);
            }

            case "union":
            {
                var directives = ParseDirectives(true);
                var types = ParseUnionMembers();
                if (directives.Count == 0 && types.Count == 0)
                {
                    throw Unexpected();
                }

                return new UnionTypeDefinitionNode(LocFrom(start), null, name, directives, types, true);
            }

            case "enum":
            {
                var directives = ParseDirectives(true);
                var values = OptionalMany(TokenKind.BraceL, ParseEnumValueDefinition, TokenKind.BraceR);
                if (directives.Count == 0 && values.Count == 0)
                {
                    throw Unexpected();
                }

                return new EnumTypeDefinitionNode(LocFrom(start), null, name, directives, values, true);
            }

            default:
            {
                var directives = ParseDirectives(true);
                var fields = OptionalMany(TokenKind.BraceL, ParseInputValueDefinition, TokenKind.BraceR);
                if (directives.Count == 0 && fields.Count == 0)
                {
                    throw Unexpected();
                }

                return new InputObjectTypeDefinitionNode(LocFrom(start), null, name, directives, fields, true);
            }
        }
    }
}
