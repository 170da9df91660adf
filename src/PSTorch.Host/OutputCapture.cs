using System.Text;

namespace PSTorch.Host;

/// <summary>
/// Lets the Out-String polyfill borrow the real formatter: while a capture is open, text the host
/// would print (Out-Host's formatted lines) is collected instead. Captures nest.
/// </summary>
public sealed class OutputCapture
{
    private readonly Stack<StringBuilder> _buffers = new();
    private readonly Lock _gate = new();

    internal bool TryWrite(string text)
    {
        lock (_gate)
        {
            if (_buffers.Count == 0) return false;
            _buffers.Peek().Append(text);
            return true;
        }
    }

    /// <summary>Runs <paramref name="render"/> and returns what it printed.</summary>
    public string Capture(Action render)
    {
        var buffer = new StringBuilder();
        lock (_gate) _buffers.Push(buffer);
        try
        {
            render();
        }
        finally
        {
            lock (_gate) _buffers.Pop();
        }
        lock (_gate) return buffer.ToString();
    }
}
