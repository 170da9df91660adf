using System.Text.Json;
using System.Text.Json.Serialization;

namespace PSTorch.Bench;

static class Json
{
    /// <summary>The peer's JSON conventions: snake_case names, NaN/Infinity allowed, indented.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
