using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace PSTorch.Backends.Cpu;

/// <summary>
/// A persistent team of helper threads (one per extra core) that every parallel CPU kernel splits its work over.
/// Waking a thread pool worker per call costs tens of microseconds, comparable to a whole 256^3 GEMM and some
/// 20 % of a sum over 16M floats, so helpers spin briefly after each job (back-to-back ops then start in well
/// under a microsecond) and block on a monitor once idle, so they burn no CPU between bursts of work.
/// One job runs at a time; a caller that finds the team busy falls back to its own thread or the pool.
/// </summary>
internal static unsafe class ThreadTeam
{
    private static readonly long IdleSpinTicks = Stopwatch.Frequency / 2000; // 0.5 ms
    private static readonly int HelperCount = Math.Max(0, Environment.ProcessorCount - 1);
    private static readonly object SleepGate = new();

    private static int _busy;
    private static int _started;
    private static long _generation;
    private static int _sleepers;
    private static int _pending;
    private static int _parts;
    private static delegate*<void*, int, void> _work;
    private static void* _state;
    private static Exception? _helperFailure;
    private static Action<int>? _action;

    /// <summary>How many parts a job can run concurrently: the caller plus every helper.</summary>
    public static int MaxParts => HelperCount + 1;

    /// <summary>
    /// Runs <paramref name="work"/>(state, part) for every part in [0, parts), part 0 on the calling thread,
    /// and returns when all are done, rethrowing any part's exception. Returns false, running nothing,
    /// when the team is busy or has no helpers. Parts that wait on each other must stop waiting when one fails.
    /// </summary>
    public static bool TryRun(delegate*<void*, int, void> work, void* state, int parts)
    {
        if (!TryAcquire(parts))
            return false;
        try
        {
            RunAcquired(work, state, parts);
            return true;
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Like the function-pointer form, for a closure: runs <paramref name="body"/>(part) for every part.</summary>
    public static bool TryRun(Action<int> body, int parts)
    {
        if (!TryAcquire(parts))
            return false;
        try
        {
            _action = body;
            RunAcquired(&RunAction, null, parts);
            return true;
        }
        finally
        {
            _action = null;
            Volatile.Write(ref _busy, 0);
        }
    }

    private static void RunAction(void* state, int part) => _action!(part);

    private static bool TryAcquire(int parts) =>
        parts > 1 && parts <= MaxParts && Interlocked.CompareExchange(ref _busy, 1, 0) == 0;

    private static void RunAcquired(delegate*<void*, int, void> work, void* state, int parts)
    {
        EnsureStarted();
        _work = work;
        _state = state;
        _parts = parts;
        // Every helper acknowledges every job, even one without a part for it, so none can still be
        // reading this job's fields when the next job overwrites them.
        Volatile.Write(ref _pending, HelperCount);
        // Full fence: pairs with the helper's increment of _sleepers before it re-reads _generation.
        Interlocked.Increment(ref _generation);
        if (Volatile.Read(ref _sleepers) > 0)
        {
            lock (SleepGate)
                Monitor.PulseAll(SleepGate);
        }

        Exception? callerFailure = null;
        try
        {
            work(state, 0);
        }
        catch (Exception exception)
        {
            callerFailure = exception;
        }

        SpinWait wait = default;
        while (Volatile.Read(ref _pending) != 0)
            wait.SpinOnce(sleep1Threshold: -1);

        // A helper's failure is the root cause when both failed (the caller may only have been told to stop).
        Exception? failure = Interlocked.Exchange(ref _helperFailure, null) ?? callerFailure;
        if (failure != null)
            ExceptionDispatchInfo.Throw(failure);
    }

    private static void EnsureStarted()
    {
        if (Volatile.Read(ref _started) != 0)
            return;
        for (int helper = 1; helper <= HelperCount; helper++)
        {
            int part = helper;
            new Thread(() => HelperLoop(part)) { IsBackground = true, Name = "PSTorch CPU helper " + part }.Start();
        }
        _started = 1;
    }

    private static void HelperLoop(int part)
    {
        long seen = 0;
        while (true)
        {
            seen = WaitForNextJob(seen);
            if (part < _parts)
            {
                try
                {
                    _work(_state, part);
                }
                catch (Exception exception)
                {
                    // Rethrown on the caller's thread; an exception escaping here would end the process.
                    Interlocked.CompareExchange(ref _helperFailure, exception, null);
                }
            }
            Interlocked.Decrement(ref _pending);
        }
    }

    private static long WaitForNextJob(long seen)
    {
        long spinStart = Stopwatch.GetTimestamp();
        while (true)
        {
            for (int i = 0; i < 64; i++)
            {
                long generation = Volatile.Read(ref _generation);
                if (generation != seen)
                    return generation;
                Thread.SpinWait(8);
            }
            if (Stopwatch.GetTimestamp() - spinStart > IdleSpinTicks)
                break;
        }

        lock (SleepGate)
        {
            Interlocked.Increment(ref _sleepers);
            while (Volatile.Read(ref _generation) == seen)
                Monitor.Wait(SleepGate);
            Interlocked.Decrement(ref _sleepers);
            return Volatile.Read(ref _generation);
        }
    }
}
