using System.Management.Automation;

namespace PSTorch.Host.Polyfills;

/// <summary>
/// CSV lines for ConvertTo-Csv and Export-Csv the way pwsh 7 writes them: the first object's
/// property names are the header, every field is quoted, embedded quotes are doubled.
/// </summary>
internal sealed class CsvFormatter(char delimiter)
{
    private string[]? _columns;

    public bool HasHeader => _columns is not null;

    /// <summary>Fixes the columns from the first object and returns the header line.</summary>
    public string Header(PSObject first)
    {
        _columns = first.Properties.Select(p => p.Name).ToArray();
        return Line(_columns);
    }

    public string Row(PSObject item) =>
        Line(_columns!.Select(name => item.Properties[name]?.Value is { } value ? LanguagePrimitives.ConvertTo<string>(value) : ""));

    /// <summary>Takes the columns from an existing file's header instead, so appended rows line up.</summary>
    public void UseColumns(string headerLine) =>
        _columns = headerLine.Split(delimiter).Select(c => c.Trim().Trim('"').Replace("\"\"", "\"")).ToArray();

    private string Line(IEnumerable<string> fields) =>
        string.Join(delimiter, fields.Select(f => "\"" + f.Replace("\"", "\"\"") + "\""));
}
