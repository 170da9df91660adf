namespace PSTorch.Amp;

/// <summary>
/// Whether autocast is on for a device type and in which dtype (torch.is_autocast_enabled / get_autocast_dtype),
/// per thread, as grad mode is. CPU autocast runs in bfloat16 unless told otherwise, CUDA autocast in float16.
/// </summary>
public static class AutocastMode
{
    [ThreadStatic] static bool cpuEnabled, cudaEnabled;
    // null: the device type's default dtype (a thread-static field cannot have a per-thread initial value)
    [ThreadStatic] static DType? cpuDType, cudaDType;

    /// <summary>True while autocast is on for some device type on this thread: the one check ops pay when it is off.</summary>
    internal static bool AnyEnabled => cpuEnabled || cudaEnabled;

    public static bool IsEnabled(DeviceType deviceType) => deviceType == DeviceType.Cpu ? cpuEnabled : cudaEnabled;

    /// <summary>The dtype ops on the lower-precision list run in for this device type (also while autocast is off).</summary>
    public static DType GetDType(DeviceType deviceType) => deviceType == DeviceType.Cpu
        ? cpuDType ?? DType.BFloat16
        : cudaDType ?? DType.Float16;

    /// <summary>
    /// torch.autocast(device_type, dtype, enabled) entered: sets this thread's state for the device type and returns
    /// a scope that restores the previous state when disposed. A null dtype keeps the device type's current dtype.
    /// </summary>
    public static AutocastScope Enter(DeviceType deviceType, DType? dtype = null, bool enabled = true)
    {
        var target = dtype ?? GetDType(deviceType);
        if (enabled) CheckSupported(deviceType, target);
        var scope = new AutocastScope(deviceType, IsEnabled(deviceType), deviceType == DeviceType.Cpu ? cpuDType : cudaDType);
        Set(deviceType, enabled, target);
        return scope;
    }

    static void CheckSupported(DeviceType deviceType, DType dtype)
    {
        if (dtype is DType.BFloat16 or DType.Float16) return;
        throw new ArgumentException(deviceType == DeviceType.Cpu
            ? $"In CPU autocast, but the target dtype ({dtype.TorchName()}) is not supported. CPU Autocast only supports dtype of torch.bfloat16, torch.float16 currently."
            : $"In CUDA autocast, but the target dtype ({dtype.TorchName()}) is not supported. CUDA Autocast only supports dtypes of torch.float16 and torch.bfloat16 currently.");
    }

    static void Set(DeviceType deviceType, bool enabled, DType? dtype)
    {
        if (deviceType == DeviceType.Cpu) (cpuEnabled, cpuDType) = (enabled, dtype);
        else (cudaEnabled, cudaDType) = (enabled, dtype);
    }

    internal static void Restore(DeviceType deviceType, bool enabled, DType? dtype) => Set(deviceType, enabled, dtype);
}

/// <summary>Restores the previous autocast state of one device type on Dispose: <c>using (Torch.Autocast("cpu")) { ... }</c>.</summary>
public readonly struct AutocastScope : IDisposable
{
    readonly DeviceType deviceType;
    readonly bool previousEnabled;
    readonly DType? previousDType;

    internal AutocastScope(DeviceType deviceType, bool previousEnabled, DType? previousDType) =>
        (this.deviceType, this.previousEnabled, this.previousDType) = (deviceType, previousEnabled, previousDType);

    public void Dispose() => AutocastMode.Restore(deviceType, previousEnabled, previousDType);
}
