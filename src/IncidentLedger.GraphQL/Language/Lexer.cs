using System.Globalization;
using System.Text;

namespace IncidentLedger.GraphQL.Language;

/// <summary>Lexical token kinds (spec §2.1.6).</summary>
public enum TokenKind
{
    StartOfFile, EndOfFile, Bang, Dollar, Amp, ParenL, ParenR, Spread, Colon, Equals, At, BracketL, BracketR, BraceL, Pipe, BraceR,
    Name, Int, Float, String, BlockString,
}

/// <summary>One lexical token with its position.</summary>
public readonly record struct Token(TokenKind Kind, int Start, int End, int Line, int Column, string? Value)
{
    public string Describe() => Kind switch
    {
        TokenKind.EndOfFile => "<EOF>",
        TokenKind.Name or TokenKind.Int or TokenKind.Float => $"{KindText(Kind)} \"{Value}\"",
        TokenKind.String or TokenKind.BlockString => KindText(Kind),
        _ => $"\"{KindText(Kind)}\"",
    };

    public static string KindText(TokenKind kind) => kind switch
    {
        TokenKind.StartOfFile => "<SOF>",
        TokenKind.EndOfFile => "<EOF>",
        TokenKind.Bang => "!",
        TokenKind.Dollar => "$",
        TokenKind.Amp => "&",
        TokenKind.ParenL => "(",
        TokenKind.ParenR => ")",
        TokenKind.Spread => "...",
        TokenKind.Colon => ":",
        TokenKind.Equals => "=",
        TokenKind.At => "@",
        TokenKind.BracketL => "[",
        TokenKind.BracketR => "]",
        TokenKind.BraceL => "{",
        TokenKind.Pipe => "|",
        TokenKind.BraceR => "}",
        TokenKind.Name => "Name",
        TokenKind.Int => "Int",
        TokenKind.Float => "Float",
        TokenKind.String => "String",
        TokenKind.BlockString => "BlockString",
        _ => kind.ToString(),
    };
}

/// <summary>
/// Turns GraphQL source text into tokens (spec §2.1). Iterative throughout; comments and
/// ignored tokens are skipped. Errors carry the exact line and column.
/// </summary>
public sealed class Lexer
{
    private readonly string _body;
    private int _position;
    private int _line = 1;
    private int _lineStart;
    private Token _lookahead;
    private bool _hasLookahead;

    public Lexer(string body)
    {
        _body = body;
        Token = new Token(TokenKind.StartOfFile, 0, 0, 0, 0, null);
    }

    public Token Token { get; private set; }

    public int TokenCount { get; private set; }

    /// <summary>Moves to the next significant token.</summary>
    public Token Advance()
    {
        if (_hasLookahead)
        {
            _hasLookahead = false;
            Token = _lookahead;
        }
        else
        {
            Token = ReadToken();
        }

        if (Token.Kind != TokenKind.EndOfFile)
        {
            TokenCount++;
        }

        return Token;
    }

    /// <summary>The token after the current one, without consuming it.</summary>
    public Token Lookahead()
    {
        if (!_hasLookahead)
        {
            _lookahead = ReadToken();
            _hasLookahead = true;
        }

        return _lookahead;
    }

    public SourceLocation LocationOf(int position)
    {
        // Recomputed from the start so it is right for any position, including ones behind the lexer.
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < position && i < _body.Length; i++)
        {
            var c = _body[i];
            if (c == '\n')
            {
                line++;
                lineStart = i + 1;
            }
            else if (c == '\r')
            {
                if (i + 1 < _body.Length && _body[i + 1] == '\n')
                {
                    i++;
                }

                line++;
                lineStart = i + 1;
            }
        }

        return new SourceLocation(line, position - lineStart + 1);
    }

    private GraphQLSyntaxException Error(int position, string message) =>
        new("Syntax Error: " + message, LocationOf(position));

    private int Code(int position) => position < _body.Length ? _body[position] : -1;

    private Token Make(TokenKind kind, int start, int end, string? value = null) =>
        new(kind, start, end, _line, start - _lineStart + 1, value);

    private Token ReadToken()
    {
        var body = _body;
        var length = body.Length;
        var position = _position;
        while (position < length)
        {
            var c = body[position];
            switch (c)
            {
                case '\uFEFF':
                case '\t':
                case ' ':
                case ',':
                    position++;
                    continue;
                case '\n':
                    position++;
                    _line++;
                    _lineStart = position;
                    continue;
                case '\r':
                    position += Code(position + 1) == '\n' ? 2 : 1;
                    _line++;
                    _lineStart = position;
                    continue;
                case '#':
                    position = SkipComment(position);
                    continue;
            }

            TokenKind punct = c switch
            {
                '!' => TokenKind.Bang,
                '$' => TokenKind.Dollar,
                '&' => TokenKind.Amp,
                '(' => TokenKind.ParenL,
                ')' => TokenKind.ParenR,
                ':' => TokenKind.Colon,
                '=' => TokenKind.Equals,
                '@' => TokenKind.At,
                '[' => TokenKind.BracketL,
                ']' => TokenKind.BracketR,
                '{' => TokenKind.BraceL,
                '|' => TokenKind.Pipe,
                '}' => TokenKind.BraceR,
                _ => TokenKind.StartOfFile,
            };
            if (punct != TokenKind.StartOfFile)
            {
                _position = position + 1;
                return Make(punct, position, position + 1);
            }

            if (c == '.')
            {
                if (Code(position + 1) == '.' && Code(position + 2) == '.')
                {
                    _position = position + 3;
                    return Make(TokenKind.Spread, position, position + 3);
                }
            }
            else if (IsNameStart(c))
            {
                return ReadName(position);
            }
            else if (IsDigit(c) || c == '-')
            {
                return ReadNumber(position);
            }
            else if (c == '"')
            {
                return Code(position + 1) == '"' && Code(position + 2) == '"' ? ReadBlockString(position) : ReadString(position);
            }

            throw Error(position, c == '\''
                ? "Unexpected single quote character ('), did you mean to use a double quote (\")?"
                : IsScalar(position) ? $"Unexpected character: {Describe(position)}." : $"Invalid character: {Describe(position)}.");
        }

        _position = length;
        return new Token(TokenKind.EndOfFile, length, length, _line, length - _lineStart + 1, null);
    }

    private bool IsScalar(int position)
    {
        var c = _body[position];
        if (char.IsHighSurrogate(c))
        {
            return position + 1 < _body.Length && char.IsLowSurrogate(_body[position + 1]);
        }

        return !char.IsLowSurrogate(c);
    }

    private string Describe(int position)
    {
        if (position >= _body.Length)
        {
            return "<EOF>";
        }

        var c = _body[position];
        if (c >= 0x20 && c <= 0x7E)
        {
            return c == '"' ? "'\"'" : $"\"{c}\"";
        }

        var cp = IsScalar(position) && char.IsHighSurrogate(c) ? char.ConvertToUtf32(c, _body[position + 1]) : c;
        return "U+" + cp.ToString("X4", CultureInfo.InvariantCulture);
    }

    private int SkipComment(int position)
    {
        var body = _body;
        position++;
        while (position < body.Length)
        {
            var c = body[position];
            if (c == '\n' || c == '\r')
            {
                break;
            }

            if (char.IsHighSurrogate(c) && position + 1 < body.Length && char.IsLowSurrogate(body[position + 1]))
            {
                position += 2;
            }
            else if (char.IsSurrogate(c))
            {
                break;
            }
            else
            {
                position++;
            }
        }

        return position;
    }

    private static bool IsNameStart(int c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_';

    private static bool IsNameContinue(int c) => IsNameStart(c) || IsDigit(c);

    private static bool IsDigit(int c) => c is >= '0' and <= '9';

    private Token ReadName(int start)
    {
        var position = start + 1;
        while (position < _body.Length && IsNameContinue(_body[position]))
        {
            position++;
        }

        _position = position;
        return Make(TokenKind.Name, start, position, _body.Substring(start, position - start));
    }

    private Token ReadNumber(int start)
    {
        var position = start;
        var code = Code(position);
        var isFloat = false;
        if (code == '-')
        {
            code = Code(++position);
        }

        if (code == '0')
        {
            code = Code(++position);
            if (IsDigit(code))
            {
                throw Error(position, $"Invalid number, unexpected digit after 0: {Describe(position)}.");
            }
        }
        else
        {
            position = ReadDigits(position, code);
            code = Code(position);
        }

        if (code == '.')
        {
            isFloat = true;
            code = Code(++position);
            position = ReadDigits(position, code);
            code = Code(position);
        }

        if (code is 'E' or 'e')
        {
            isFloat = true;
            code = Code(++position);
            if (code is '+' or '-')
            {
                code = Code(++position);
            }

            position = ReadDigits(position, code);
            code = Code(position);
        }

        if (code == '.' || IsNameStart(code))
        {
            throw Error(position, $"Invalid number, expected digit but got: {Describe(position)}.");
        }

        _position = position;
        return Make(isFloat ? TokenKind.Float : TokenKind.Int, start, position, _body.Substring(start, position - start));
    }

    private int ReadDigits(int position, int first)
    {
        if (!IsDigit(first))
        {
            throw Error(position, $"Invalid number, expected digit but got: {Describe(position)}.");
        }

        position++;
        while (IsDigit(Code(position)))
        {
            position++;
        }

        return position;
    }

    private Token ReadString(int start)
    {
        var body = _body;
        var position = start + 1;
        var chunkStart = position;
        StringBuilder? sb = null;
        while (position < body.Length)
        {
            var c = body[position];
            if (c == '"')
            {
                string value;
                if (sb is null)
                {
                    value = body.Substring(chunkStart, position - chunkStart);
                }
                else
                {
                    sb.Append(body, chunkStart, position - chunkStart);
                    value = sb.ToString();
                }

                _position = position + 1;
                return Make(TokenKind.String, start, position + 1, value);
            }

            if (c == '\\')
            {
                sb ??= new StringBuilder();
                sb.Append(body, chunkStart, position - chunkStart);
                position = ReadEscape(position, sb);
                chunkStart = position;
                continue;
            }

            if (c is '\n' or '\r')
            {
                break;
            }

            if (c == '\t' || (c >= 0x20 && !char.IsSurrogate(c)))
            {
                position++;
            }
            else if (char.IsHighSurrogate(c) && position + 1 < body.Length && char.IsLowSurrogate(body[position + 1]))
            {
                position += 2;
            }
            else
            {
                throw Error(position, $"Invalid character within String: {Describe(position)}.");
            }
        }

        throw Error(position, "Unterminated string.");
    }

    private int ReadEscape(int position, StringBuilder sb)
    {
        var next = Code(position + 1);
        switch (next)
        {
            case '"': sb.Append('"'); return position + 2;
            case '\\': sb.Append('\\'); return position + 2;
            case '/': sb.Append('/'); return position + 2;
            case 'b': sb.Append('\b'); return position + 2;
            case 'f': sb.Append('\f'); return position + 2;
            case 'n': sb.Append('\n'); return position + 2;
            case 'r': sb.Append('\r'); return position + 2;
            case 't': sb.Append('\t'); return position + 2;
            case 'u':
                return Code(position + 2) == '{' ? ReadVariableUnicode(position, sb) : ReadFixedUnicode(position, sb);
            default:
                throw Error(position, $"Invalid character escape sequence: \"{Slice(position, 2)}\".");
        }
    }

    private string Slice(int position, int size) => _body.Substring(position, Math.Min(size, _body.Length - position));

    private int ReadVariableUnicode(int position, StringBuilder sb)
    {
        var point = 0;
        var size = 3;
        while (size < 12)
        {
            var c = Code(position + size++);
            if (c == '}')
            {
                if (size < 5 || !IsUnicodeScalar(point))
                {
                    break;
                }

                sb.Append(char.ConvertFromUtf32(point));
                return position + size;
            }

            var h = HexValue(c);
            if (h < 0)
            {
                break;
            }

            point = (point << 4) | h;
            if (point > 0x10FFFF)
            {
                break;
            }
        }

        throw Error(position, $"Invalid Unicode escape sequence: \"{Slice(position, size)}\".");
    }

    private int ReadFixedUnicode(int position, StringBuilder sb)
    {
        var code = Read16(position + 2);
        if (code >= 0 && IsUnicodeScalar(code))
        {
            sb.Append((char)code);
            return position + 6;
        }

        // A surrogate pair written as two escapes.
        if (code >= 0xD800 && code <= 0xDBFF && Code(position + 6) == '\\' && Code(position + 7) == 'u')
        {
            var trailing = Read16(position + 8);
            if (trailing >= 0xDC00 && trailing <= 0xDFFF)
            {
                sb.Append((char)code).Append((char)trailing);
                return position + 12;
            }
        }

        throw Error(position, $"Invalid Unicode escape sequence: \"{Slice(position, 6)}\".");
    }

    private int Read16(int position)
    {
        var a = HexValue(Code(position));
        var b = HexValue(Code(position + 1));
        var c = HexValue(Code(position + 2));
        var d = HexValue(Code(position + 3));
        return a < 0 || b < 0 || c < 0 || d < 0 ? -1 : (a << 12) | (b << 8) | (c << 4) | d;
    }

    private static int HexValue(int c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'F' => c - 'A' + 10,
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };

    private static bool IsUnicodeScalar(int point) => point is (>= 0 and <= 0xD7FF) or (>= 0xE000 and <= 0x10FFFF);

    private Token ReadBlockString(int start)
    {
        var body = _body;
        var position = start + 3;
        var chunkStart = position;
        var startLine = _line;
        var startColumn = start - _lineStart + 1;
        var raw = new StringBuilder();
        while (position < body.Length)
        {
            var c = body[position];
            if (c == '"' && Code(position + 1) == '"' && Code(position + 2) == '"')
            {
                raw.Append(body, chunkStart, position - chunkStart);
                _position = position + 3;
                return new Token(TokenKind.BlockString, start, position + 3, startLine, startColumn, BlockStrings.Dedent(raw.ToString()));
            }

            if (c == '\\' && Code(position + 1) == '"' && Code(position + 2) == '"' && Code(position + 3) == '"')
            {
                raw.Append(body, chunkStart, position - chunkStart).Append("\"\"\"");
                position += 4;
                chunkStart = position;
                continue;
            }

            if (c is '\n' or '\r')
            {
                position += c == '\r' && Code(position + 1) == '\n' ? 2 : 1;
                _line++;
                _lineStart = position;
                continue;
            }

            if (c == '\t' || (c >= 0x20 && !char.IsSurrogate(c)))
            {
                position++;
            }
            else if (char.IsHighSurrogate(c) && position + 1 < body.Length && char.IsLowSurrogate(body[position + 1]))
            {
                position += 2;
            }
            else
            {
                throw Error(position, $"Invalid character within String: {Describe(position)}.");
            }
        }

        throw Error(position, "Unterminated string.");
    }
}

/// <summary>Block string helpers (spec §2.9.4 BlockStringValue).</summary>
public static class BlockStrings
{
    /// <summary>Removes the common indentation and leading/trailing blank lines of a raw block string.</summary>
    public static string Dedent(string raw)
    {
        var lines = SplitLines(raw);
        int? common = null;
        var firstNonEmpty = -1;
        var lastNonEmpty = -1;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var indent = 0;
            while (indent < line.Length && (line[indent] == ' ' || line[indent] == '\t'))
            {
                indent++;
            }

            if (indent == line.Length)
            {
                continue;
            }

            if (firstNonEmpty < 0)
            {
                firstNonEmpty = i;
            }

            lastNonEmpty = i;
            if (i != 0 && (common is null || indent < common))
            {
                common = indent;
            }
        }

        if (firstNonEmpty < 0)
        {
            return "";
        }

        var sb = new StringBuilder();
        for (var i = firstNonEmpty; i <= lastNonEmpty; i++)
        {
            if (i > firstNonEmpty)
            {
                sb.Append('\n');
            }

            var line = lines[i];
            if (i != 0 && common is int n)
            {
                line = line.Length >= n ? line[n..] : "";
            }

            sb.Append(line);
        }

        return sb.ToString();
    }

    private static List<string> SplitLines(string raw)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\n' || raw[i] == '\r')
            {
                lines.Add(raw[start..i]);
                if (raw[i] == '\r' && i + 1 < raw.Length && raw[i + 1] == '\n')
                {
                    i++;
                }

                start = i + 1;
            }
        }

        lines.Add(raw[start..]);
        return lines;
    }

    /// <summary>Prints a value as a block string, choosing a layout that reads back to the same value.</summary>
    public static string Print(string value, string indent = "")
    {
        var escaped = value.Replace("\"\"\"", "\\\"\"\"", StringComparison.Ordinal);
        var lines = escaped.Split('\n');
        var isSingleLine = lines.Length == 1;
        var forceLeadingNewLine = lines.Length > 1 && lines.Skip(1).All(l => l.Length == 0 || l[0] == ' ' || l[0] == '\t');
        var hasTrailingTripleQuotes = escaped.EndsWith("\\\"\"\"", StringComparison.Ordinal);
        var hasTrailingQuote = value.EndsWith('"') && !hasTrailingTripleQuotes;
        var hasTrailingSlash = value.EndsWith('\\');
        var forceTrailingNewline = hasTrailingQuote || hasTrailingSlash;
        var printAsMultiline = !isSingleLine || value.Length > 70 || forceTrailingNewline || forceLeadingNewLine || hasTrailingTripleQuotes;
        var sb = new StringBuilder("\"\"\"");
        var skipLeadingNewLine = isSingleLine && value.Length > 0 && (value[0] == ' ' || value[0] == '\t');
        if ((printAsMultiline && !skipLeadingNewLine) || forceLeadingNewLine)
        {
            sb.Append('\n').Append(indent);
        }

        sb.Append(indent.Length == 0 ? escaped : escaped.Replace("\n", "\n" + indent, StringComparison.Ordinal));
        if (printAsMultiline || forceTrailingNewline)
        {
            sb.Append('\n').Append(indent);
        }

        return sb.Append("\"\"\"").ToString();
    }
}
