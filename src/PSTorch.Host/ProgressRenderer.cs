using System.Diagnostics;
using System.Management.Automation;
using System.Text;

namespace PSTorch.Host;

/// <summary>
/// Shows Write-Progress as one line on a terminal, rewritten in place with a carriage return and
/// erased when the activity completes. When the stream is not a terminal it writes nothing: a log
/// full of carriage-return frames helps nobody.
/// </summary>
internal sealed class ProgressRenderer
{
    private const int BarWidth = 20;

    private readonly TextWriter _writer;
    private readonly bool _live;
    private readonly Func<int> _width;
    private readonly TimeSpan _minInterval;
    private readonly Stopwatch _sinceRender = new();
    private readonly List<(long SourceId, ProgressRecord Record)> _active = [];
    private readonly Lock _gate = new();
    private int _shownLength;

    public ProgressRenderer(TextWriter writer, bool live, Func<int> width, TimeSpan minInterval)
    {
        _writer = writer;
        _live = live;
        _width = width;
        _minInterval = minInterval;
    }

    public void Update(long sourceId, ProgressRecord record)
    {
        if (!_live) return;
        lock (_gate)
        {
            _active.RemoveAll(a => a.SourceId == sourceId && a.Record.ActivityId == record.ActivityId);
            if (record.RecordType == ProgressRecordType.Completed)
            {
                _active.RemoveAll(a => a.SourceId == sourceId && a.Record.ParentActivityId == record.ActivityId);
                if (_active.Count == 0) EraseLine(); else Render();
                return;
            }
            _active.Add((sourceId, record));
            // Training loops report per batch; redrawing thousands of times a second costs more than it shows.
            if (_sinceRender.IsRunning && _sinceRender.Elapsed < _minInterval && record.PercentComplete < 100) return;
            Render();
        }
    }

    /// <summary>Erases the progress line so other output starts on a clean line; the next update redraws it.</summary>
    public void Suspend()
    {
        if (!_live) return;
        lock (_gate) EraseLine();
    }

    /// <summary>Forgets every activity (a pipeline ended, possibly without completing them) and erases the line.</summary>
    public void Reset()
    {
        if (!_live) return;
        lock (_gate)
        {
            _active.Clear();
            EraseLine();
        }
    }

    internal static string Describe(ProgressRecord record, int width)
    {
        var text = new StringBuilder(record.Activity);
        if (!string.IsNullOrEmpty(record.StatusDescription)) text.Append(": ").Append(record.StatusDescription);
        if (record.PercentComplete >= 0)
        {
            var percent = Math.Min(record.PercentComplete, 100);
            var filled = percent * BarWidth / 100;
            text.Append(" [").Append('#', filled).Append(' ', BarWidth - filled).Append("] ").Append(percent).Append('%');
        }
        if (record.SecondsRemaining >= 0)
            text.Append(' ').Append(TimeSpan.FromSeconds(record.SecondsRemaining).ToString(@"h\:mm\:ss")).Append(" left");
        if (!string.IsNullOrEmpty(record.CurrentOperation)) text.Append(" - ").Append(record.CurrentOperation);
        var line = text.Replace('\r', ' ').Replace('\n', ' ').ToString();
        return line.Length < width ? line : line[..Math.Max(width - 1, 0)];
    }

    private void Render()
    {
        var line = Describe(_active[^1].Record, _width());
        _writer.Write('\r' + line.PadRight(_shownLength));
        _writer.Flush();
        _shownLength = line.Length;
        _sinceRender.Restart();
    }

    private void EraseLine()
    {
        if (_shownLength == 0) return;
        _writer.Write('\r' + new string(' ', _shownLength) + '\r');
        _writer.Flush();
        _shownLength = 0;
        _sinceRender.Reset();
    }
}
