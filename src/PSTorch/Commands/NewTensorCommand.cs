using System.Management.Automation;
using PSTorch.Completion;

namespace PSTorch.Commands;

/// <summary>
/// New-Tensor: torch.tensor from arguments or pipeline values, and the factory functions (zeros, ones, empty,
/// full, rand, randn, randint, arange, linspace, eye, and their *_like forms through -Like).
/// </summary>
[Cmdlet(VerbsCommon.New, "Tensor", DefaultParameterSetName = DataSet)]
[OutputType(typeof(Tensor))]
public sealed class NewTensorCommand : PSCmdlet
{
    const string DataSet = "Data", ZerosSet = "Zeros", OnesSet = "Ones", EmptySet = "Empty", FullSet = "Full",
        RandSet = "Rand", RandnSet = "Randn", RandintSet = "Randint", ArangeSet = "Arange", LinspaceSet = "Linspace", EyeSet = "Eye";

    /// <summary>Values, nested arrays of values (rows), or values piped in one by one.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = DataSet)]
    [AllowEmptyCollection]
    public object? Data { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ZerosSet)] public SwitchParameter Zeros { get; set; }
    [Parameter(Mandatory = true, ParameterSetName = OnesSet)] public SwitchParameter Ones { get; set; }
    [Parameter(Mandatory = true, ParameterSetName = EmptySet)] public SwitchParameter Empty { get; set; }
    [Parameter(Mandatory = true, ParameterSetName = FullSet)] public SwitchParameter Full { get; set; }
    [Parameter(Mandatory = true, ParameterSetName = RandSet)] public SwitchParameter Rand { get; set; }
    [Parameter(Mandatory = true, ParameterSetName = RandnSet)] public SwitchParameter Randn { get; set; }
    [Parameter(Mandatory = true, ParameterSetName = RandintSet)] public SwitchParameter Randint { get; set; }
    [Parameter(Mandatory = true, ParameterSetName = ArangeSet)] public SwitchParameter Arange { get; set; }
    [Parameter(Mandatory = true, ParameterSetName = LinspaceSet)] public SwitchParameter Linspace { get; set; }

    /// <summary>The shape of a filled or random tensor (give -Shape or -Like).</summary>
    [Parameter(Position = 0, ParameterSetName = ZerosSet)]
    [Parameter(Position = 0, ParameterSetName = OnesSet)]
    [Parameter(Position = 0, ParameterSetName = EmptySet)]
    [Parameter(Position = 0, ParameterSetName = FullSet)]
    [Parameter(Position = 0, ParameterSetName = RandSet)]
    [Parameter(Position = 0, ParameterSetName = RandnSet)]
    [Parameter(Position = 0, ParameterSetName = RandintSet)]
    public long[]? Shape { get; set; }

    /// <summary>A tensor whose shape, dtype and device the new tensor takes (zeros_like, ones_like, rand_like, ...).</summary>
    [Parameter(ParameterSetName = ZerosSet)]
    [Parameter(ParameterSetName = OnesSet)]
    [Parameter(ParameterSetName = EmptySet)]
    [Parameter(ParameterSetName = FullSet)]
    [Parameter(ParameterSetName = RandSet)]
    [Parameter(ParameterSetName = RandnSet)]
    [Parameter(ParameterSetName = RandintSet)]
    public Tensor? Like { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = FullSet)] public double Value { get; set; }

    [Parameter(ParameterSetName = RandintSet)] public long Low { get; set; }
    [Parameter(Mandatory = true, ParameterSetName = RandintSet)] public long High { get; set; }

    /// <summary>Seeds a generator for this call only (the global generator is left alone).</summary>
    [Parameter(ParameterSetName = RandSet)]
    [Parameter(ParameterSetName = RandnSet)]
    [Parameter(ParameterSetName = RandintSet)]
    public long? Seed { get; set; }

    /// <summary>Start of arange/linspace; integers keep arange's result int64 as in PyTorch.</summary>
    [Parameter(ParameterSetName = ArangeSet)]
    [Parameter(Mandatory = true, ParameterSetName = LinspaceSet)]
    public object Start { get; set; } = 0;

    [Parameter(Mandatory = true, ParameterSetName = ArangeSet)]
    [Parameter(Mandatory = true, ParameterSetName = LinspaceSet)]
    public object End { get; set; } = 0;

    [Parameter(ParameterSetName = ArangeSet)] public object Step { get; set; } = 1;

    [Parameter(Mandatory = true, ParameterSetName = LinspaceSet)] public long Steps { get; set; }

    /// <summary>torch.eye(n): the number of rows.</summary>
    [Parameter(Mandatory = true, ParameterSetName = EyeSet)] public long Eye { get; set; }

    /// <summary>torch.eye(n, m): the number of columns (default: n).</summary>
    [Parameter(ParameterSetName = EyeSet)] public long? Columns { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(DTypeCompleter))]
    public string? DType { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(DeviceCompleter))]
    public string? Device { get; set; }

    [Parameter] public SwitchParameter RequiresGrad { get; set; }

    DType? dtype;
    Device? device;
    readonly List<object?> pipedValues = [];

    protected override void BeginProcessing()
    {
        dtype = TorchErrors.ParseDType(this, DType);
        device = TorchErrors.ParseDevice(this, Device);
        if (ParameterSetName is not (DataSet or ArangeSet or LinspaceSet or EyeSet) && (Shape == null) == (Like == null))
            ThrowTerminatingError(new ErrorRecord(new ArgumentException($"New-Tensor -{ParameterSetName} needs either -Shape or -Like (not both)."),
                "ShapeOrLikeRequired", ErrorCategory.InvalidArgument, Shape));
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName != DataSet) return;
        if (MyInvocation.ExpectingInput) pipedValues.Add(Data);
        else WriteObject(FromData(Data));
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName == DataSet)
        {
            if (MyInvocation.ExpectingInput) WriteObject(FromData(pipedValues.ToArray()));
            return;
        }
        try
        {
            WriteObject(Create());
        }
        catch (Exception e) when (e is ArgumentException or InvalidCastException or InvalidOperationException or NotSupportedException)
        {
            ThrowTerminatingError(TorchErrors.Record(e, ParameterSetName + "Failed", (object?)Like ?? Shape, device: device));
        }
    }

    Tensor FromData(object? data)
    {
        object values;
        try { values = PowerShellData.Unwrap(data); }
        catch (ArgumentException e) { ThrowTerminatingError(TorchErrors.Record(e, "InvalidTensorData", data, ErrorCategory.InvalidData)); throw; }
        try { return Torch.NewTensor(values, dtype, device, RequiresGrad); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException)
        {
            ThrowTerminatingError(TorchErrors.Record(e, "InvalidTensorData", data, ErrorCategory.InvalidData, device));
            throw;
        }
    }

    /// <summary>A generator seeded for this call when -Seed is given; otherwise null (the global generator).</summary>
    Generator? CallGenerator() => Seed is { } s ? new Generator(s) : null;

    Tensor Create()
    {
        bool grad = RequiresGrad;
        var shape = Like?.Shape ?? Shape!;
        var type = dtype ?? Like?.DType;
        var place = device ?? Like?.Device;
        return ParameterSetName switch
        {
            ZerosSet => Torch.Zeros(shape, type, place, grad),
            OnesSet => Torch.Ones(shape, type, place, grad),
            EmptySet => Torch.Empty(shape, type, place, grad),
            FullSet => Torch.Full(shape, Value, type, place, grad),
            RandSet => Torch.Rand(shape, type, place, grad, CallGenerator()),
            RandnSet => Torch.Randn(shape, type, place, grad, CallGenerator()),
            RandintSet => Torch.Randint(Low, High, shape, type, place, grad, CallGenerator()),
            ArangeSet => Torch.Arange(PowerShellData.ToDouble(Start), PowerShellData.ToDouble(End), PowerShellData.ToDouble(Step),
                dtype ?? (PowerShellData.IsInteger(Start) && PowerShellData.IsInteger(End) && PowerShellData.IsInteger(Step) ? PSTorch.DType.Int64 : null),
                device, grad),
            LinspaceSet => Torch.Linspace(PowerShellData.ToDouble(Start), PowerShellData.ToDouble(End), Steps, dtype, device, grad),
            _ => Torch.Eye(Eye, Columns, dtype, device, grad),
        };
    }
}
