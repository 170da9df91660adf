namespace PSTorch.Bindings.Generator;

/// <summary>A C type as the header spells it: a base name, how many '*' follow it, and whether it is const.</summary>
internal sealed record CType(string BaseName, int PointerDepth, bool IsConst);

internal sealed record CConstant(string Name, long Value, IReadOnlyList<string> Doc);

internal sealed record CEnumMember(string Name, long Value, IReadOnlyList<string> Doc);

internal sealed record CEnum(string Name, IReadOnlyList<CEnumMember> Members, IReadOnlyList<string> Doc);

/// <summary>A struct field; <see cref="ArrayLength"/> is the element count of a fixed array (null for a scalar).</summary>
internal sealed record CField(CType Type, string Name, long? ArrayLength, IReadOnlyList<string> Doc);

internal sealed record CStruct(string Name, IReadOnlyList<CField> Fields, IReadOnlyList<string> Doc);

internal sealed record CParameter(CType Type, string Name);

internal sealed record CFunction(CType ReturnType, string Name, IReadOnlyList<CParameter> Parameters, IReadOnlyList<string> Doc);

/// <summary>Everything the generator takes from a header, in declaration order per kind.</summary>
internal sealed record CHeader(
    IReadOnlyList<CConstant> Constants,
    IReadOnlyList<CEnum> Enums,
    IReadOnlyList<CStruct> Structs,
    IReadOnlyList<CFunction> Functions);

/// <summary>A header outside the restricted style the parser accepts; the message names the line.</summary>
internal sealed class HeaderParseException(string message, int line) : Exception($"line {line}: {message}")
{
    public int Line { get; } = line;
}
