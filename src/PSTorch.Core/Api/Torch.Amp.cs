using PSTorch.Amp;

namespace PSTorch;

public static partial class Torch
{
    /// <summary>
    /// torch.autocast: until the returned scope is disposed, ops on <paramref name="deviceType"/> tensors run in mixed
    /// precision on this thread: matrix products and convolutions in <paramref name="dtype"/> (default: bfloat16 on the
    /// CPU, float16 on CUDA), losses (and on CUDA softmax, exp, log, pow, sum, norms) in float32, everything else in
    /// its inputs' types. <c>using (Torch.Autocast("cpu")) { ... }</c>; <paramref name="enabled"/> = false turns it off
    /// inside an enclosing scope.
    /// </summary>
    public static AutocastScope Autocast(string deviceType, DType? dtype = null, bool enabled = true) =>
        AutocastMode.Enter(Device.Parse(deviceType).Type, dtype, enabled);

    /// <inheritdoc cref="Autocast(string, DType?, bool)"/>
    public static AutocastScope Autocast(Device device, DType? dtype = null, bool enabled = true) =>
        AutocastMode.Enter(device.Type, dtype, enabled);

    /// <summary>torch.is_autocast_enabled(device_type) on this thread.</summary>
    public static bool IsAutocastEnabled(string deviceType) => AutocastMode.IsEnabled(Device.Parse(deviceType).Type);

    /// <inheritdoc cref="IsAutocastEnabled(string)"/>
    public static bool IsAutocastEnabled(DeviceType deviceType) => AutocastMode.IsEnabled(deviceType);

    /// <summary>torch.get_autocast_dtype(device_type): the dtype autocast casts to on this thread.</summary>
    public static DType GetAutocastDType(string deviceType) => AutocastMode.GetDType(Device.Parse(deviceType).Type);

    /// <inheritdoc cref="GetAutocastDType(string)"/>
    public static DType GetAutocastDType(DeviceType deviceType) => AutocastMode.GetDType(deviceType);
}
