using System.Text;

namespace PSTorch.Construction;

/// <summary>
/// The spellings of a constructor parameter: the C# name (inFeatures), the PowerShell parameter (-InFeatures) and
/// PyTorch's keyword (in_features). They all match case-insensitively, ignoring underscores.
/// </summary>
internal static class OptionNames
{
    public static string Normalize(string name) => name.Replace("_", "").ToLowerInvariant();

    public static bool Same(string a, string b) => Normalize(a) == Normalize(b);

    public static string Pascal(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..];

    /// <summary>PyTorch's spelling of a camelCase C# name: weightDecay -> weight_decay.</summary>
    public static string Snake(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }
}
