namespace PSTorch;

public enum DeviceType { Cpu, Cuda }

/// <summary>torch.device: "cpu", "cuda", "cuda:N".</summary>
public readonly record struct Device(DeviceType Type, int Index = -1)
{
    public static readonly Device Cpu = new(DeviceType.Cpu);

    /// <summary>Names offered by tab completion.</summary>
    public static IReadOnlyList<string> Names { get; } = ["cpu", "cuda", "cuda:0"];

    public static Device Parse(string name)
    {
        var n = name.Trim().ToLowerInvariant();
        if (n == "cpu") return Cpu;
        if (n == "cuda") return new Device(DeviceType.Cuda, 0);
        if (n.StartsWith("cuda:") && int.TryParse(n[5..], out int i) && i >= 0) return new Device(DeviceType.Cuda, i);
        throw new ArgumentException($"Invalid device string: '{name}'. Expected 'cpu', 'cuda' or 'cuda:N'.");
    }

    public static implicit operator Device(string name) => Parse(name);

    public override string ToString() => Type == DeviceType.Cpu ? "cpu" : $"cuda:{Math.Max(Index, 0)}";
}
