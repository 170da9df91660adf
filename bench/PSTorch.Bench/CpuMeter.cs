using System.Diagnostics;

namespace PSTorch.Bench;

/// <summary>
/// Tells how much CPU other processes used while a case was timed: machine-wide busy jiffies from /proc/stat
/// minus this process's own (/proc/self/stat). Jiffy resolution (10 ms); zero where /proc is missing.
/// </summary>
public readonly struct CpuMeter
{
    readonly long startTimestamp, busyJiffies, stealJiffies, ownJiffies;

    CpuMeter(long startTimestamp, (long busy, long steal, long own) sample)
    {
        this.startTimestamp = startTimestamp;
        (busyJiffies, stealJiffies, ownJiffies) = sample;
    }

    public static CpuMeter Start() => new(Stopwatch.GetTimestamp(), Sample());

    /// <summary>(foreign %, steal %) of all cores' capacity since <see cref="Start"/>.</summary>
    public (double Foreign, double Steal) Stop()
    {
        var (busy, steal, own) = Sample();
        double capacity = Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds * 100.0 * Environment.ProcessorCount; // USER_HZ = 100
        if (capacity <= 0) return (0, 0);
        double foreign = Math.Max(0, busy - busyJiffies - (own - ownJiffies));
        return (Math.Round(foreign / capacity * 100, 1), Math.Round((steal - stealJiffies) / capacity * 100, 1));
    }

    static (long busy, long steal, long own) Sample()
    {
        try
        {
            // cpu  user nice system idle iowait irq softirq steal ...
            var f = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long Field(int i) => i < f.Length ? long.Parse(f[i]) : 0;
            var self = File.ReadAllText("/proc/self/stat");
            var rest = self[(self.LastIndexOf(')') + 2)..].Split(' ');
            long own = long.Parse(rest[11]) + long.Parse(rest[12]); // utime + stime
            return (Field(1) + Field(2) + Field(3) + Field(6) + Field(7), Field(8), own);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
        {
            return (0, 0, 0);
        }
    }
}
