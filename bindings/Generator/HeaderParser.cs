using System.Globalization;
using System.Text;

namespace PSTorch.Bindings.Generator;

/// <summary>
/// Parses the restricted C style of native/cuda/include/pstorch_cuda.h (its top comment lists the rules):
/// integer #defines, typedef'd enums with explicit values, typedef'd structs of scalars and fixed arrays,
/// and <c>PST_API</c> function prototypes. Anything else is an error naming its line, so a header change
/// the generator does not understand fails loudly instead of producing wrong bindings.
/// </summary>
internal static class HeaderParser
{
    /// <summary>The C scalar types the ABI may use.</summary>
    public static readonly IReadOnlySet<string> Primitives = new HashSet<string>
    {
        "void", "char", "int8_t", "uint8_t", "int16_t", "uint16_t", "int32_t", "uint32_t", "int64_t", "uint64_t", "float", "double",
    };

    const string ApiMacro = "PST_API";

    enum Kind { Identifier, Number, Punctuation, String, Doc }

    readonly record struct Token(Kind Kind, string Text, int Line);

    public static CHeader Parse(string text)
    {
        var constants = new List<CConstant>();
        var tokens = Tokenize(Preprocess(text, constants));
        return new Reader(tokens, constants).ReadHeader();
    }

    /// <summary>
    /// Joins continued lines, keeps integer <c>#define</c>s as constants, drops the other preprocessor lines and
    /// the <c>#ifdef __cplusplus</c> blocks; each dropped line stays as an empty line so line numbers hold.
    /// </summary>
    static string Preprocess(string text, List<CConstant> constants)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var output = new List<string>(lines.Length);
        var pendingDoc = new List<int>(); // output lines of the /// run just above
        int skipDepth = 0; // > 0 inside an #ifdef __cplusplus block (counting nested conditionals)
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            int continued = 0;
            while (line.EndsWith('\\') && i + 1 < lines.Length) { line = line[..^1] + " " + lines[++i]; continued++; }
            string trimmed = line.Trim();
            bool directive = trimmed.StartsWith('#');
            if (skipDepth > 0)
            {
                if (directive && IsDirective(trimmed, "if")) skipDepth++;
                else if (directive && IsDirective(trimmed, "endif")) skipDepth--;
                line = "";
            }
            else if (directive)
            {
                if (trimmed.StartsWith("#ifdef") && trimmed.Contains("__cplusplus")) skipDepth = 1;
                else if (TryParseDefine(trimmed, out var name, out var value))
                    constants.Add(new CConstant(name, value, pendingDoc.Select(d => output[d].Trim()[3..].Trim()).ToArray()));
                // The doc belongs to the directive, not to the next declaration.
                foreach (int d in pendingDoc) output[d] = "";
                line = "";
            }
            if (trimmed.StartsWith("///") && skipDepth == 0) pendingDoc.Add(output.Count);
            else if (trimmed.Length > 0) pendingDoc.Clear();
            output.Add(line);
            for (int c = 0; c < continued; c++) output.Add("");
        }
        if (skipDepth > 0) throw new HeaderParseException("#ifdef __cplusplus has no matching #endif", lines.Length);
        return string.Join('\n', output);
    }

    static bool IsDirective(string trimmed, string name)
    {
        string rest = trimmed[1..].TrimStart();
        return rest.StartsWith(name, StringComparison.Ordinal);
    }

    static bool TryParseDefine(string trimmed, out string name, out long value)
    {
        name = ""; value = 0;
        var parts = trimmed[1..].Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3 || parts[0] != "define" || !parts[1].StartsWith("PST_") || parts[1] == ApiMacro) return false;
        if (!TryParseInteger(parts[2], out value)) return false;
        name = parts[1];
        return true;
    }

    static bool TryParseInteger(string s, out long value)
    {
        s = s.TrimEnd('u', 'U', 'l', 'L');
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return long.TryParse(s[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value);
        return long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        int line = 1;
        for (int i = 0; i < text.Length;)
        {
            char c = text[i];
            if (c == '\n') { line++; i++; continue; }
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                int end = text.IndexOf('\n', i);
                if (end < 0) end = text.Length;
                if (i + 2 < text.Length && text[i + 2] == '/') tokens.Add(new Token(Kind.Doc, text[(i + 3)..end].Trim(), line));
                i = end;
                continue;
            }
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                int end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                if (end < 0) throw new HeaderParseException("a block comment is not closed", line);
                line += text.AsSpan(i, end - i).Count('\n');
                i = end + 2;
                continue;
            }
            if (char.IsLetter(c) || c == '_')
            {
                int start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_')) i++;
                tokens.Add(new Token(Kind.Identifier, text[start..i], line));
                continue;
            }
            if (char.IsDigit(c) || (c == '-' && i + 1 < text.Length && char.IsDigit(text[i + 1])))
            {
                int start = i++;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_')) i++;
                tokens.Add(new Token(Kind.Number, text[start..i], line));
                continue;
            }
            if (c == '"')
            {
                int end = text.IndexOf('"', i + 1);
                if (end < 0) throw new HeaderParseException("a string is not closed", line);
                tokens.Add(new Token(Kind.String, text[(i + 1)..end], line));
                i = end + 1;
                continue;
            }
            if ("{}()[];,*=".Contains(c)) { tokens.Add(new Token(Kind.Punctuation, c.ToString(), line)); i++; continue; }
            throw new HeaderParseException($"unexpected character '{c}'", line);
        }
        return tokens;
    }

    sealed class Reader(List<Token> tokens, List<CConstant> constants)
    {
        int position;
        readonly List<CEnum> enums = [];
        readonly List<CStruct> structs = [];
        readonly List<CFunction> functions = [];
        readonly HashSet<string> typedefs = [];

        public CHeader ReadHeader()
        {
            while (!AtEnd)
            {
                var doc = ReadDoc();
                if (AtEnd) break;
                var token = Peek();
                if (token.Text == "typedef") ReadTypedef(doc);
                else if (token.Text == ApiMacro) ReadFunction(doc);
                else throw new HeaderParseException($"unsupported declaration starting with '{token.Text}' (expected typedef or {ApiMacro})", token.Line);
            }
            return new CHeader(constants, enums, structs, functions);
        }

        bool AtEnd => position >= tokens.Count;

        Token Peek() => AtEnd ? throw new HeaderParseException("unexpected end of the header", tokens.Count > 0 ? tokens[^1].Line : 1) : tokens[position];

        Token Next()
        {
            var t = Peek();
            position++;
            return t;
        }

        Token Expect(string text)
        {
            var t = Next();
            if (t.Text != text || t.Kind is Kind.String or Kind.Doc) throw new HeaderParseException($"expected '{text}' but found '{t.Text}'", t.Line);
            return t;
        }

        string ExpectIdentifier(string what)
        {
            var t = Next();
            if (t.Kind != Kind.Identifier) throw new HeaderParseException($"expected {what} but found '{t.Text}'", t.Line);
            return t.Text;
        }

        List<string> ReadDoc()
        {
            var doc = new List<string>();
            while (!AtEnd && tokens[position].Kind == Kind.Doc) doc.Add(tokens[position++].Text);
            return doc;
        }

        void ReadTypedef(List<string> doc)
        {
            var typedefToken = Expect("typedef");
            string kind = ExpectIdentifier("'enum' or 'struct'");
            if (kind != "enum" && kind != "struct")
                throw new HeaderParseException($"only 'typedef enum' and 'typedef struct' are supported, not 'typedef {kind}'", typedefToken.Line);
            string tag = ExpectIdentifier($"the {kind}'s tag");
            Expect("{");
            if (kind == "enum") ReadEnumBody(tag, doc);
            else ReadStructBody(tag, doc);
            string name = ExpectIdentifier("the typedef name");
            if (name != tag) throw new HeaderParseException($"the typedef name '{name}' must repeat the tag '{tag}'", typedefToken.Line);
            Expect(";");
            typedefs.Add(name);
        }

        void ReadEnumBody(string name, List<string> doc)
        {
            var members = new List<CEnumMember>();
            while (true)
            {
                var memberDoc = ReadDoc();
                if (Peek().Text == "}") { Next(); break; }
                var nameToken = Next();
                if (nameToken.Kind != Kind.Identifier) throw new HeaderParseException($"expected an enum member but found '{nameToken.Text}'", nameToken.Line);
                if (Peek().Text != "=") throw new HeaderParseException($"enum member {nameToken.Text} needs an explicit value", nameToken.Line);
                Next();
                var valueToken = Next();
                if (valueToken.Kind != Kind.Number || !TryParseInteger(valueToken.Text, out long value))
                    throw new HeaderParseException($"enum member {nameToken.Text} needs an integer value, not '{valueToken.Text}'", valueToken.Line);
                members.Add(new CEnumMember(nameToken.Text, value, memberDoc));
                var separator = Next();
                if (separator.Text == "}") break;
                if (separator.Text != ",") throw new HeaderParseException($"expected ',' or '}}' after {nameToken.Text}", separator.Line);
            }
            if (members.Count == 0) throw new HeaderParseException($"enum {name} has no members", Peek().Line);
            enums.Add(new CEnum(name, members, doc));
        }

        void ReadStructBody(string name, List<string> doc)
        {
            var fields = new List<CField>();
            while (true)
            {
                var fieldDoc = ReadDoc();
                if (Peek().Text == "}") { Next(); break; }
                int line = Peek().Line;
                var type = ReadType();
                if (type.BaseName == "void" && type.PointerDepth == 0) throw new HeaderParseException("a field cannot be void", line);
                string fieldName = ExpectIdentifier("a field name");
                long? length = null;
                if (Peek().Text == "[")
                {
                    Next();
                    var lengthToken = Next();
                    length = ResolveLength(lengthToken);
                    Expect("]");
                    if (type.PointerDepth > 0 || !Primitives.Contains(type.BaseName))
                        throw new HeaderParseException($"fixed array {fieldName} must hold a scalar type", line);
                }
                Expect(";");
                fields.Add(new CField(type, fieldName, length, fieldDoc));
            }
            if (fields.Count == 0) throw new HeaderParseException($"struct {name} has no fields", Peek().Line);
            structs.Add(new CStruct(name, fields, doc));
        }

        long ResolveLength(Token token)
        {
            if (token.Kind == Kind.Number && TryParseInteger(token.Text, out long n) && n > 0) return n;
            var constant = constants.FirstOrDefault(c => c.Name == token.Text);
            if (constant != null && constant.Value > 0) return constant.Value;
            throw new HeaderParseException($"an array length must be a positive integer or a PST_ #define, not '{token.Text}'", token.Line);
        }

        CType ReadType()
        {
            var first = Peek();
            bool isConst = false;
            if (first.Text == "const") { Next(); isConst = true; }
            var baseToken = Next();
            if (baseToken.Kind != Kind.Identifier) throw new HeaderParseException($"expected a type but found '{baseToken.Text}'", baseToken.Line);
            string baseName = baseToken.Text;
            if (baseName is "unsigned" or "signed" or "long" or "short" or "int" or "size_t" or "bool")
                throw new HeaderParseException($"use a fixed-width type instead of '{baseName}'", baseToken.Line);
            if (!Primitives.Contains(baseName) && !typedefs.Contains(baseName))
                throw new HeaderParseException($"unknown type '{baseName}'", baseToken.Line);
            int depth = 0;
            while (!AtEnd && Peek().Text == "*") { Next(); depth++; }
            if (!AtEnd && Peek().Text == "const") throw new HeaderParseException("'const' after '*' is not supported", Peek().Line);
            if (depth > 2) throw new HeaderParseException("at most two levels of pointers are supported", baseToken.Line);
            if (baseName == "char" && !(isConst && depth == 1)) throw new HeaderParseException("char is only supported as 'const char*'", baseToken.Line);
            return new CType(baseName, depth, isConst);
        }

        void ReadFunction(List<string> doc)
        {
            int line = Expect(ApiMacro).Line;
            var returnType = ReadType();
            string name = ExpectIdentifier("a function name");
            if (functions.Any(f => f.Name == name)) throw new HeaderParseException($"function {name} is declared twice", line);
            Expect("(");
            var parameters = new List<CParameter>();
            if (Peek().Text == "void" && position + 1 < tokens.Count && tokens[position + 1].Text == ")")
            {
                Next();
                Next();
            }
            else
            {
                while (true)
                {
                    int parameterLine = Peek().Line;
                    var type = ReadType();
                    if (type.BaseName == "void" && type.PointerDepth == 0) throw new HeaderParseException($"{name}: a parameter cannot be void", parameterLine);
                    var nameToken = Next();
                    if (nameToken.Kind != Kind.Identifier)
                        throw new HeaderParseException($"{name}: every parameter needs a name (found '{nameToken.Text}')", nameToken.Line);
                    parameters.Add(new CParameter(type, nameToken.Text));
                    var separator = Next();
                    if (separator.Text == ")") break;
                    if (separator.Text != ",") throw new HeaderParseException($"{name}: expected ',' or ')' but found '{separator.Text}'", separator.Line);
                }
            }
            Expect(";");
            functions.Add(new CFunction(returnType, name, parameters, doc));
        }
    }
}
