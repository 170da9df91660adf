using PSTorch.Amp;
using PSTorch.NN;
using Xunit;
using F = PSTorch.NN.Functional;

namespace PSTorch.Tests.Amp;

/// <summary>torch.autocast on the CPU: PyTorch's cast lists, the state's scoping, and gradients through the casts.</summary>
public class AutocastTests
{
    static Tensor Randn(int seed, params long[] shape) => Torch.Randn(shape, generator: new Generator().ManualSeed(seed));

    [Fact]
    public void StateIsOffByDefault_AndTheScopeSetsAndRestoresIt()
    {
        Assert.False(Torch.IsAutocastEnabled("cpu"));
        Assert.Equal(DType.BFloat16, Torch.GetAutocastDType("cpu"));
        Assert.Equal(DType.Float16, Torch.GetAutocastDType("cuda"));
        using (Torch.Autocast("cpu"))
        {
            Assert.True(Torch.IsAutocastEnabled("cpu"));
            Assert.False(Torch.IsAutocastEnabled("cuda"));
            Assert.Equal(DType.BFloat16, Torch.GetAutocastDType(DeviceType.Cpu));
        }
        Assert.False(Torch.IsAutocastEnabled(DeviceType.Cpu));
    }

    [Fact]
    public void Nesting_RestoresTheOuterStateAndDType()
    {
        using (Torch.Autocast(Device.Cpu, DType.Float16))
        {
            using (Torch.Autocast("cpu", enabled: false))
            {
                Assert.False(Torch.IsAutocastEnabled("cpu"));
                Assert.Equal(DType.Float32, Torch.MatMul(Randn(1, 2, 3), Randn(2, 3, 2)).DType);
            }
            Assert.True(Torch.IsAutocastEnabled("cpu"));
            Assert.Equal(DType.Float16, Torch.GetAutocastDType("cpu"));
            using (Torch.Autocast("cpu"))
                Assert.Equal(DType.Float16, Torch.GetAutocastDType("cpu"));  // no dtype: the enclosing one
            using (Torch.Autocast("cpu", DType.BFloat16))
                Assert.Equal(DType.BFloat16, Torch.MatMul(Randn(1, 2, 3), Randn(2, 3, 2)).DType);
            Assert.Equal(DType.Float16, Torch.MatMul(Randn(1, 2, 3), Randn(2, 3, 2)).DType);
        }
        Assert.Equal(DType.BFloat16, Torch.GetAutocastDType("cpu"));
    }

    [Fact]
    public void StateIsPerThread()
    {
        using (Torch.Autocast("cpu"))
        {
            bool other = true;
            var thread = new Thread(() => other = Torch.IsAutocastEnabled("cpu"));
            thread.Start();
            thread.Join();
            Assert.False(other);
        }
    }

    [Fact]
    public void UnsupportedDType_IsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => Torch.Autocast("cpu", DType.Float64));
        Assert.Contains("CPU Autocast only supports dtype of torch.bfloat16, torch.float16", e.Message);
        Assert.False(Torch.IsAutocastEnabled("cpu"));
        using (Torch.Autocast("cpu", DType.Float64, enabled: false)) Assert.False(Torch.IsAutocastEnabled("cpu"));
    }

    [Fact]
    public void MatrixProducts_RunInBFloat16_WithTheValuesOfTheRoundedInputs()
    {
        var a = Randn(1, 5, 7);
        var b = Randn(2, 7, 3);
        var batched = Randn(3, 2, 5, 7);
        Tensor mm, matmul, bmm, addmm;
        using (Torch.Autocast("cpu"))
        {
            mm = Torch.Mm(a, b);
            matmul = a.MatMul(b);
            bmm = Torch.Bmm(batched, Randn(4, 2, 7, 3));
            addmm = Torch.Addmm(Randn(5, 3), a, b);
        }
        foreach (var t in new[] { mm, matmul, bmm, addmm }) Assert.Equal(DType.BFloat16, t.DType);
        var expected = Torch.Mm(a.BFloat16().Float(), b.BFloat16().Float()).BFloat16();
        Assert.True(mm.Float().Equal(expected.Float()));
        Assert.True(mm.Float().AllClose(Torch.Mm(a, b), rtol: 2e-2, atol: 2e-2));
    }

    [Fact]
    public void LinearAndConvolutions_RunInBFloat16_IncludingTheBias()
    {
        var linear = new Linear(4, 3);
        var conv = new Conv2d(2, 3, 3, padding: 1);
        var x = Randn(1, 2, 4);
        var image = Randn(2, 2, 2, 5, 5);
        var reference = conv.Call(image);
        using (Torch.Autocast("cpu"))
        {
            Assert.Equal(DType.BFloat16, linear.Call(x).DType);
            Assert.Equal(DType.BFloat16, linear.Call(Randn(3, 2, 5, 4)).DType);  // batched: matmul + bias
            var y = conv.Call(image);
            Assert.Equal(DType.BFloat16, y.DType);
            Assert.True(y.Float().AllClose(reference, rtol: 3e-2, atol: 3e-2));
            Assert.Equal(DType.BFloat16, F.Conv1d(Randn(3, 2, 2, 9), Randn(4, 3, 2, 3)).DType);
            Assert.Equal(DType.BFloat16, F.ConvTranspose2d(image, Randn(5, 2, 4, 3, 3), Randn(6, 4)).DType);
        }
        Assert.Equal(DType.Float32, linear.Call(x).DType);
    }

    [Fact]
    public void Losses_RunInFloat32_EvenOnBFloat16Inputs()
    {
        var logits = Randn(1, 4, 5).BFloat16();
        var target = Torch.NewTensor(new long[] { 0, 3, 1, 4 });
        using (Torch.Autocast("cpu"))
        {
            Assert.Equal(DType.Float32, F.CrossEntropy(logits, target).DType);
            Assert.Equal(DType.Float32, F.NllLoss(logits, target).DType);
            Assert.Equal(DType.Float32, F.MseLoss(logits, Randn(2, 4, 5)).DType);
            Assert.Equal(DType.Float32, F.BinaryCrossEntropyWithLogits(logits, Torch.RandLike(Randn(3, 4, 5))).DType);
            Assert.Equal(DType.Float32, F.L1Loss(logits, Randn(2, 4, 5).BFloat16()).DType);
            Assert.Equal(DType.Float32, logits.Prod().DType);
            // CPU autocast leaves softmax alone (it is on CUDA's float32 list, not the CPU's), as PyTorch does
            Assert.Equal(DType.BFloat16, logits.Softmax(1).DType);
            Assert.Equal(DType.BFloat16, (logits + 1).DType);
        }
        Assert.Equal(DType.BFloat16, F.MseLoss(logits, Randn(2, 4, 5).BFloat16()).DType);
    }

    [Fact]
    public void CrossEntropyUnderAutocast_EqualsTheFloat32LossOfTheRoundedLogits()
    {
        var logits = Randn(1, 4, 5).BFloat16();
        var target = Torch.NewTensor(new long[] { 0, 3, 1, 4 });
        Tensor loss;
        using (Torch.Autocast("cpu")) loss = F.CrossEntropy(logits, target);
        Assert.Equal(F.CrossEntropy(logits.Float(), target).Item<float>(), loss.Item<float>());
    }

    [Fact]
    public void PolicyTables_FollowPyTorchPerDeviceType()
    {
        Assert.Equal(AutocastPolicy.LowerPrecision, Autocast.PolicyOf("mm", DeviceType.Cpu));
        Assert.Equal(AutocastPolicy.LowerPrecision, Autocast.PolicyOf("conv_transpose2d", DeviceType.Cuda));
        Assert.Equal(AutocastPolicy.None, Autocast.PolicyOf("softmax", DeviceType.Cpu));
        Assert.Equal(AutocastPolicy.Float32, Autocast.PolicyOf("softmax", DeviceType.Cuda));
        Assert.Equal(AutocastPolicy.Float32, Autocast.PolicyOf("layer_norm", DeviceType.Cuda));
        Assert.Equal(AutocastPolicy.Float32, Autocast.PolicyOf("exp", DeviceType.Cuda));
        Assert.Equal(AutocastPolicy.Float32, Autocast.PolicyOf("binary_cross_entropy", DeviceType.Cpu));
        Assert.Equal(AutocastPolicy.Banned, Autocast.PolicyOf("binary_cross_entropy", DeviceType.Cuda));
        Assert.Equal(AutocastPolicy.None, Autocast.PolicyOf("add", DeviceType.Cuda));
    }

    [Fact]
    public void Gradients_ReachFloat32ParametersInFloat32_CloseToTheFloat32Run()
    {
        Tensor[] Run(bool autocast)
        {
            Torch.ManualSeed(7);
            var model = new Sequential(new Conv2d(2, 4, 3, padding: 1), new ReLU(), new Flatten(), new Linear(4 * 6 * 6, 5));
            var x = Randn(8, 3, 2, 6, 6);
            var target = Torch.NewTensor(new long[] { 1, 4, 0 });
            using (Torch.Autocast("cpu", enabled: autocast))
            {
                var output = model.Call(x);
                Assert.Equal(autocast ? DType.BFloat16 : DType.Float32, output.DType);
                var loss = F.CrossEntropy(output, target);
                Assert.Equal(DType.Float32, loss.DType);
                loss.Backward();
            }
            return model.Parameters().Select(p => p.Grad!).ToArray();
        }
        var mixed = Run(true);
        var full = Run(false);
        Assert.Equal(full.Length, mixed.Length);
        for (int i = 0; i < full.Length; i++)
        {
            Assert.Equal(DType.Float32, mixed[i].DType);
            Assert.True(mixed[i].AllClose(full[i], rtol: 5e-2, atol: 2e-2), $"gradient {i}: {mixed[i]} vs {full[i]}");
            Assert.False(mixed[i].Equal(full[i]), $"gradient {i} is exactly the float32 one: autocast had no effect");
        }
    }

    [Fact]
    public void TheCast_IsRecordedAsToCopyBackward()
    {
        var w = Randn(1, 3, 2).RequiresGrad_();
        Tensor y;
        using (Torch.Autocast("cpu")) y = Torch.Mm(Randn(2, 4, 3), w);
        Assert.Equal("MmBackward0", y.GradFn!.Name);
        Assert.Contains(y.GradFn.NextFunctions, e => e.Function?.Name == "ToCopyBackward0");
    }

    [Fact]
    public void NoGrad_DoesNotSwitchAutocastOff_AndOutsideTheScopeNothingChanges()
    {
        var a = Randn(1, 3, 3);
        using (Torch.NoGrad())
        {
            using (Torch.Autocast("cpu")) Assert.Equal(DType.BFloat16, Torch.Mm(a, a).DType);
            Assert.Equal(DType.Float32, Torch.Mm(a, a).DType);
        }
        Assert.Equal(DType.Float32, Torch.Mm(a, a).DType);
    }

    [Fact]
    public void AutocastOfAnotherDeviceType_LeavesCpuTensorsAlone()
    {
        var a = Randn(1, 3, 3);
        using (Torch.Autocast("cuda"))
        {
            Assert.True(Torch.IsAutocastEnabled("cuda"));
            Assert.Equal(DType.Float32, Torch.Mm(a, a).DType);
            Assert.Equal(DType.BFloat16, a.BFloat16().Softmax(0).DType);
        }
    }

    [Fact]
    public void Float64AndIntegerInputs_AreNotCast()
    {
        using (Torch.Autocast("cpu"))
        {
            var d = Randn(1, 3, 3).Double();
            Assert.Equal(DType.Float64, Torch.Mm(d, d).DType);
            Assert.Equal(DType.Float64, F.MseLoss(d, d).DType);
            var i = Torch.NewTensor(new long[,] { { 1, 2 }, { 3, 4 } });
            Assert.Equal(DType.Int64, Torch.Mm(i, i).DType);
        }
    }

    [Fact]
    public void BFloat16Convolution_OnTheCpu_MatchesFloat32OfTheRoundedOperands_ForwardAndBackward()
    {
        var x = Randn(1, 2, 3, 6, 5).BFloat16().RequiresGrad_();
        var w = Randn(2, 4, 3, 3, 3).BFloat16().RequiresGrad_();
        var b = Randn(3, 4).BFloat16().RequiresGrad_();
        var y = F.Conv2d(x, w, b, padding: 1);
        Assert.Equal(DType.BFloat16, y.DType);
        var g = Randn(4, y.Shape).BFloat16();
        y.Backward(g);

        var xf = x.Detach().Float().RequiresGrad_();
        var wf = w.Detach().Float().RequiresGrad_();
        var bf = b.Detach().Float().RequiresGrad_();
        var yf = F.Conv2d(xf, wf, bf, padding: 1);
        yf.Backward(g.Float());
        Assert.True(y.Float().Equal(yf.BFloat16().Float()));
        foreach (var (half, full) in new[] { (x, xf), (w, wf), (b, bf) })
        {
            Assert.Equal(DType.BFloat16, half.Grad!.DType);
            Assert.True(half.Grad.Float().Equal(full.Grad!.BFloat16().Float()));
        }
    }
}
