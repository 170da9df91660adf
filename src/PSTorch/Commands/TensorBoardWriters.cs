using PSTorch.IO.TensorBoard;

namespace PSTorch.Commands;

/// <summary>
/// One open SummaryWriter per log folder for the process, so repeated Write-TensorBoard calls append to one event
/// file as a Python SummaryWriter would. A writer whose file was deleted meanwhile is replaced by a new one.
/// </summary>
internal static class TensorBoardWriters
{
    static readonly Dictionary<string, SummaryWriter> Writers = new(StringComparer.Ordinal);

    public static SummaryWriter For(string logDir)
    {
        var key = Path.GetFullPath(logDir);
        lock (Writers)
        {
            if (Writers.TryGetValue(key, out var writer))
            {
                if (File.Exists(writer.FilePath)) return writer;
                writer.Dispose();
            }
            return Writers[key] = new SummaryWriter(key);
        }
    }
}
