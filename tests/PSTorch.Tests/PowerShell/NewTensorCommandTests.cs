using System.Management.Automation;
using Xunit;

namespace PSTorch.Tests.PowerShell;

/// <summary>New-Tensor driven through a real runspace: data forms, pipeline, factories, dtype/device, errors.</summary>
public class NewTensorCommandTests(ModuleRunspace ps) : IClassFixture<ModuleRunspace>
{
    Tensor One(string script)
    {
        var output = ps.Invoke(script);
        Assert.Single(output);
        return Assert.IsType<Tensor>(output[0].BaseObject);
    }

    ErrorRecord Error(string script)
    {
        var (output, errors) = ps.InvokeWithErrors(script);
        Assert.Empty(output);
        return Assert.Single(errors);
    }

    [Fact]
    public void IntegerArguments_GiveInt64LikePythonInts()
    {
        var t = One("New-Tensor 1,2,3");
        Assert.Equal(DType.Int64, t.DType);
        Assert.Equal([3L], t.Shape);
        Assert.Equal([1L, 2, 3], t.ToArray<long>());
    }

    [Fact]
    public void NestedArrays_GiveMoreDimensions()
    {
        var t = One("New-Tensor -Data @(@(1,2),@(3,4),@(5,6))");
        Assert.Equal([3L, 2], t.Shape);
        Assert.Equal([1L, 2, 3, 4, 5, 6], t.ToArray<long>());
    }

    [Fact]
    public void FloatingPointValues_GiveTheDefaultFloatDType()
    {
        var t = One("New-Tensor 1.5, 2");
        Assert.Equal(DType.Float32, t.DType);
        Assert.Equal([1.5f, 2f], t.ToArray<float>());
    }

    [Fact]
    public void Booleans_GiveABoolTensor() => Assert.Equal(DType.Bool, One("New-Tensor $true, $false").DType);

    [Fact]
    public void SingleValue_GivesAZeroDimensionalTensor()
    {
        var t = One("New-Tensor 7");
        Assert.Empty(t.Shape);
        Assert.Equal(7L, t.Item());
    }

    [Fact]
    public void PipedValues_AreCollectedIntoOneTensor()
    {
        var t = One("1..6 | New-Tensor");
        Assert.Equal([6L], t.Shape);
        Assert.Equal([1L, 2, 3, 4, 5, 6], t.ToArray<long>());
    }

    [Fact]
    public void PipedRows_BuildATwoDimensionalTensor()
    {
        var t = One("@(1,2),@(3,4) | New-Tensor -DType float64");
        Assert.Equal([2L, 2], t.Shape);
        Assert.Equal([1.0, 2, 3, 4], t.ToArray<double>());
    }

    [Fact]
    public void PipedValuesInVariables_AreUnwrapped()
    {
        var t = One("$rows = @(@(1.0,2.0),@(3.0,4.0)); $rows | ForEach-Object { ,$_ } | New-Tensor");
        Assert.Equal([2L, 2], t.Shape);
        Assert.Equal(DType.Float32, t.DType);
    }

    [Theory]
    [InlineData("float32", DType.Float32)]
    [InlineData("float", DType.Float32)]
    [InlineData("torch.float64", DType.Float64)]
    [InlineData("double", DType.Float64)]
    [InlineData("long", DType.Int64)]
    [InlineData("INT32", DType.Int32)]
    [InlineData("bfloat16", DType.BFloat16)]
    public void DTypeNames_AreAccepted(string name, DType expected)
    {
        var t = One($"New-Tensor 1,2 -DType {name}");
        Assert.Equal(expected, t.DType);
        Assert.Equal([1.0, 2.0], t.To(DType.Float64).ToArray<double>());
    }

    [Fact]
    public void DTypeEnumValue_IsAccepted() => Assert.Equal(DType.Int16, One("New-Tensor 1 -DType ([PSTorch.DType]::Int16)").DType);

    [Fact]
    public void RequiresGrad_MakesALeafThatRecords()
    {
        var t = One("New-Tensor 1.0, 2.0 -RequiresGrad");
        Assert.True(t.RequiresGrad);
        Assert.True(t.IsLeaf);
    }

    [Fact]
    public void DeviceCpu_IsAccepted() => Assert.Equal(Device.Cpu, One("New-Tensor 1 -Device cpu").Device);

    [Fact]
    public void ZerosOnesFullEmpty_TakeTheShape()
    {
        Assert.Equal([0f, 0, 0, 0, 0, 0], One("New-Tensor -Zeros -Shape 2,3").ToArray<float>());
        Assert.Equal([1.0, 1, 1], One("New-Tensor -Ones 3 -DType float64").ToArray<double>());
        var full = One("New-Tensor -Full -Shape 2,2 -Value 2.5");
        Assert.Equal([2L, 2], full.Shape);
        Assert.Equal([2.5f, 2.5f, 2.5f, 2.5f], full.ToArray<float>());
        var empty = One("New-Tensor -Empty -Shape 4,1 -DType int32");
        Assert.Equal([4L, 1], empty.Shape);
        Assert.Equal(DType.Int32, empty.DType);
    }

    [Fact]
    public void Like_TakesShapeDTypeAndDevice()
    {
        var ones = One("$t = New-Tensor -Zeros -Shape 2,3 -DType float64; New-Tensor -Ones -Like $t");
        Assert.Equal([2L, 3], ones.Shape);
        Assert.Equal(DType.Float64, ones.DType);
        Assert.All(ones.ToArray<double>(), v => Assert.Equal(1.0, v));
        var full = One("$t = New-Tensor 1,2,3; New-Tensor -Full -Like $t -Value 7");
        Assert.Equal(DType.Int64, full.DType);
        Assert.Equal([7L, 7, 7], full.ToArray<long>());
        var zeros = One("$t = New-Tensor 1,2,3; New-Tensor -Zeros -Like $t -DType float32");
        Assert.Equal(DType.Float32, zeros.DType);
        Assert.Equal([3L], zeros.Shape);
        var rand = One("$t = New-Tensor -Zeros -Shape 5,2; New-Tensor -Randn -Like $t");
        Assert.Equal([5L, 2], rand.Shape);
    }

    [Fact]
    public void Rand_IsInUnitIntervalAndSeedRepeats()
    {
        var a = One("New-Tensor -Rand -Shape 100 -Seed 3");
        Assert.All(a.ToArray<float>(), v => Assert.InRange(v, 0f, 1f));
        var b = One("New-Tensor -Rand -Shape 100 -Seed 3");
        var c = One("New-Tensor -Rand -Shape 100 -Seed 4");
        Assert.Equal(a.ToArray<float>(), b.ToArray<float>());
        Assert.NotEqual(a.ToArray<float>(), c.ToArray<float>());
    }

    [Fact]
    public void Randn_HasRoughlyStandardMoments()
    {
        var values = One("New-Tensor -Randn -Shape 4000 -Seed 1 -DType float64").ToArray<double>();
        Assert.InRange(values.Average(), -0.1, 0.1);
        Assert.InRange(Math.Sqrt(values.Select(v => v * v).Average()), 0.9, 1.1);
    }

    [Fact]
    public void Randint_IsInHalfOpenRangeAndInt64()
    {
        var t = One("New-Tensor -Randint -Low 2 -High 5 -Shape 3,100 -Seed 9");
        Assert.Equal(DType.Int64, t.DType);
        Assert.Equal([3L, 100], t.Shape);
        var values = t.ToArray<long>();
        Assert.All(values, v => Assert.InRange(v, 2L, 4L));
        Assert.Equal([2L, 3, 4], values.Distinct().Order());
    }

    [Fact]
    public void SetTorchSeed_MakesDrawsRepeat()
    {
        var a = One("Set-TorchSeed 42; New-Tensor -Rand -Shape 8").ToArray<float>();
        var b = One("Set-TorchSeed 42; New-Tensor -Rand -Shape 8").ToArray<float>();
        Assert.Equal(a, b);
    }

    [Fact]
    public void Arange_WithIntegers_IsInt64()
    {
        var t = One("New-Tensor -Arange -End 12");
        Assert.Equal(DType.Int64, t.DType);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), t.ToArray<long>());
        Assert.Equal([1L, 4, 7], One("New-Tensor -Arange -Start 1 -End 10 -Step 3").ToArray<long>());
    }

    [Fact]
    public void Arange_WithAFloat_IsFloat32()
    {
        var t = One("New-Tensor -Arange -Start 0 -End 1 -Step 0.25");
        Assert.Equal(DType.Float32, t.DType);
        Assert.Equal([0f, 0.25f, 0.5f, 0.75f], t.ToArray<float>());
    }

    [Fact]
    public void Linspace_IncludesBothEnds()
    {
        var t = One("New-Tensor -Linspace -Start 0 -End 1 -Steps 5");
        Assert.Equal(DType.Float32, t.DType);
        Assert.Equal([0f, 0.25f, 0.5f, 0.75f, 1f], t.ToArray<float>());
    }

    [Fact]
    public void Eye_IsTheIdentity()
    {
        Assert.Equal([1f, 0, 0, 0, 1, 0, 0, 0, 1], One("New-Tensor -Eye 3").ToArray<float>());
        var rect = One("New-Tensor -Eye 2 -Columns 3 -DType int64");
        Assert.Equal([2L, 3], rect.Shape);
        Assert.Equal([1L, 0, 0, 0, 1, 0], rect.ToArray<long>());
    }

    [Fact]
    public void RaggedData_IsAnInvalidDataError()
    {
        var e = Error("New-Tensor -Data @(@(1,2),@(3))");
        Assert.Equal(ErrorCategory.InvalidData, e.CategoryInfo.Category);
        Assert.StartsWith("InvalidTensorData,", e.FullyQualifiedErrorId);
        Assert.Contains("expected sequence of length 2 at dim 1 (got 1)", e.Exception.Message);
        Assert.IsType<object[]>(e.TargetObject);
    }

    [Fact]
    public void RaggedPipedRows_AreAnInvalidDataError() =>
        Assert.Equal(ErrorCategory.InvalidData, Error("@(1,2),@(3,4,5) | New-Tensor").CategoryInfo.Category);

    [Fact]
    public void Strings_AreAnInvalidDataError()
    {
        var e = Error("New-Tensor 1,'two'");
        Assert.Equal(ErrorCategory.InvalidData, e.CategoryInfo.Category);
        Assert.Contains("'two'", e.Exception.Message);
    }

    [Fact]
    public void UnknownDType_IsAnInvalidArgumentErrorNamingIt()
    {
        var e = Error("New-Tensor 1,2 -DType float33");
        Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
        Assert.StartsWith("InvalidDType,", e.FullyQualifiedErrorId);
        Assert.Equal("float33", e.TargetObject);
        Assert.Contains("Unknown dtype 'float33'", e.Exception.Message);
    }

    [Fact]
    public void BadDeviceName_IsAnInvalidArgumentError()
    {
        var e = Error("New-Tensor 1 -Device tpu");
        Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
        Assert.Equal("tpu", e.TargetObject);
    }

    [Theory]
    [InlineData("New-Tensor 1,2 -Device cuda")]
    [InlineData("New-Tensor -Zeros -Shape 2 -Device cuda")]
    [InlineData("New-Tensor -Arange -End 3 -Device cuda:0")]
    public void Cuda_ParsesAndIsRefusedAsUnavailable(string script)
    {
        var e = Error(script);
        Assert.Equal(ErrorCategory.ResourceUnavailable, e.CategoryInfo.Category);
        Assert.StartsWith("DeviceUnavailable,", e.FullyQualifiedErrorId);
        Assert.StartsWith("CUDA unavailable: ", e.Exception.Message);
        Assert.Equal("cuda:0", e.TargetObject);
    }

    [Fact]
    public void FactoryWithoutShapeOrLike_IsAnInvalidArgumentError()
    {
        var e = Error("New-Tensor -Zeros");
        Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
        Assert.Contains("-Shape or -Like", e.Exception.Message);
    }

    [Fact]
    public void RequiresGradOnIntegers_IsRefusedWithPyTorchsMessage()
    {
        var e = Error("New-Tensor -Ones -Shape 2 -DType int64 -RequiresGrad");
        Assert.Equal(ErrorCategory.InvalidOperation, e.CategoryInfo.Category);
        Assert.Contains("only Tensors of floating point and complex dtype can require gradients", e.Exception.Message);
    }

    [Fact]
    public void ErrorsAreTerminating_SoTryCatchSeesThem()
    {
        var output = ps.Invoke("try { New-Tensor 1 -DType nope; 'not reached' } catch { $_.CategoryInfo.Category.ToString() }");
        Assert.Equal("InvalidArgument", Assert.Single(output).BaseObject);
    }
}
