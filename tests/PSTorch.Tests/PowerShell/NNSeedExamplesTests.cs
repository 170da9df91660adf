using Xunit;

namespace PSTorch.Tests.PowerShell;

/// <summary>
/// The seed notes' nn examples written as a PowerShell user writes them: models as PowerShell classes deriving
/// from [PSTorch.NN.Module] (registration by assignment to their properties) and as script modules.
/// </summary>
public class NNSeedExamplesTests(ModuleRunspace ps) : IClassFixture<ModuleRunspace>
{
    object[] Run(string script) => ps.Invoke(script).Select(o => o.BaseObject).ToArray();

    const string MlpClass = @"
        class MLP : PSTorch.NN.Module {
            $hidden
            [PSTorch.NN.Module]$act
            [PSTorch.NN.Linear]$output
            MLP() {
                $this.hidden = New-Layer Linear 784,256
                $this.act = New-Layer ReLU
                $this.output = New-Layer Linear 256,10
            }
            [PSTorch.Tensor] Forward([PSTorch.Tensor]$x) {
                return $this.output.Call($this.act.Call($this.hidden.Call($x)))
            }
        }";

    [Fact]
    public void MLP_AsAPowerShellClass_RegistersItsPropertiesInDeclarationOrder()
    {
        var r = Run(MlpClass + @"
            $net = [MLP]::new()
            ,$net.Call((New-Tensor -Randn -Shape 2,784)).Shape
            $net.ToString()
            ($net.NamedParameters() | ForEach-Object { $_.Item1 }) -join ','
            ($net.StateDict().Keys) -join ','");
        Assert.Equal([2L, 10], (long[])r[0]);
        Assert.Equal("MLP(\n  (hidden): Linear(in_features=784, out_features=256, bias=True)\n  (act): ReLU()\n  (output): Linear(in_features=256, out_features=10, bias=True)\n)", r[1]);
        Assert.Equal("hidden.weight,hidden.bias,output.weight,output.bias", r[2]);
        Assert.Equal("hidden.weight,hidden.bias,output.weight,output.bias", r[3]);
    }

    [Fact]
    public void MLP_AsAPowerShellClass_TrainsWithNewOptimizer()
    {
        var r = Run(MlpClass + @"
            Set-TorchSeed 3
            $net = [MLP]::new()
            $x = New-Tensor -Randn -Shape 8,784
            $y = New-Tensor 0,1,2,3,4,5,6,7
            $lossFn = New-LossFunction CrossEntropyLoss
            $opt = New-Optimizer SGD $net -LearningRate 0.1
            $first = $lossFn.Call($net.Call($x), $y)
            foreach ($i in 1..5) { $opt.ZeroGrad(); $l = $lossFn.Call($net.Call($x), $y); $l.Backward(); $opt.Step() }
            $first.Item(); $lossFn.Call($net.Call($x), $y).Item()");
        Assert.True((double)r[1] < (double)r[0], $"loss went from {r[0]} to {r[1]}");
    }

    [Fact]
    public void MyListDense_ChainsFourParametersAndPrintsThem()
    {
        var r = Run(@"
            class MyListDense : PSTorch.NN.Module {
                [PSTorch.NN.ParameterList]$params
                MyListDense() {
                    $this.params = [PSTorch.NN.ParameterList]::new()
                    foreach ($i in 1..3) { $null = $this.params.Append([PSTorch.NN.Parameter]::new((New-Tensor -Randn -Shape 4,4))) }
                    $null = $this.params.Append([PSTorch.NN.Parameter]::new((New-Tensor -Randn -Shape 4,1)))
                }
                [PSTorch.Tensor] Forward([PSTorch.Tensor]$x) {
                    for ($i = 0; $i -lt $this.params.Count; $i++) { $x = $x.Mm($this.params[$i]) }
                    return $x
                }
            }
            $net = [MyListDense]::new()
            $net.ToString()
            ,$net.Call((New-Tensor -Ones -Shape 1,4)).Shape
            @($net.Parameters()).Count");
        Assert.Equal("MyListDense(\n  (params): ParameterList(\n      (0): Parameter containing: [torch.float32 of size 4x4]\n" +
            "      (1): Parameter containing: [torch.float32 of size 4x4]\n      (2): Parameter containing: [torch.float32 of size 4x4]\n" +
            "      (3): Parameter containing: [torch.float32 of size 4x1]\n  )\n)", r[0]);
        Assert.Equal([1L, 1], (long[])r[1]);
        Assert.Equal(4, r[2]);
    }

    [Fact]
    public void MyDictDense_ForwardChoosesAParameterByName()
    {
        var r = Run(@"
            class MyDictDense : PSTorch.NN.Module {
                [PSTorch.NN.ParameterDict]$params
                MyDictDense() {
                    $this.params = [PSTorch.NN.ParameterDict]::new()
                    $this.params['linear1'] = [PSTorch.NN.Parameter]::new((New-Tensor -Randn -Shape 4,4))
                    $this.params['linear2'] = [PSTorch.NN.Parameter]::new((New-Tensor -Randn -Shape 4,1))
                    $this.params['linear3'] = [PSTorch.NN.Parameter]::new((New-Tensor -Randn -Shape 4,2))
                }
                [PSTorch.Tensor] Forward([PSTorch.Tensor]$x) { return $this.Forward($x, 'linear1') }
                [PSTorch.Tensor] Forward([PSTorch.Tensor]$x, [string]$choice) { return $x.Mm($this.params[$choice]) }
            }
            $net = [MyDictDense]::new()
            $net.ToString()
            $x = New-Tensor -Ones -Shape 1,4
            ($net.Call($x).Shape -join 'x'); ($net.Forward($x, 'linear2').Shape -join 'x'); ($net.Forward($x, 'linear3').Shape -join 'x')");
        Assert.Equal("MyDictDense(\n  (params): ParameterDict(\n      (linear1): Parameter containing: [torch.float32 of size 4x4]\n" +
            "      (linear2): Parameter containing: [torch.float32 of size 4x1]\n      (linear3): Parameter containing: [torch.float32 of size 4x2]\n  )\n)", r[0]);
        Assert.Equal(["1x4", "1x1", "1x2"], r[1..]);
    }

    const string SymmetryScript = @"
        function Test-Symmetry([switch]$ZeroInit) {
            Set-TorchSeed 7
            $net = New-Sequential ([ordered]@{ hidden = New-Layer Linear 4,3; act = New-Layer Sigmoid; output = New-Layer Linear 3,1 })
            if ($ZeroInit) { foreach ($p in $net.Parameters()) { $null = [PSTorch.NN.Init]::Zeros_($p) } }
            $opt = New-Optimizer SGD $net -LearningRate 0.5
            $x = New-Tensor -Randn -Shape 8,4
            $loss = (New-LossFunction MSELoss).Call($net.Call($x), (New-Tensor -Randn -Shape 8,1))
            $loss.Backward(); $opt.Step()
            # hidden units are identical when their rows of hidden.weight and their columns of output.weight are
            $w = $net.hidden.Weight; $v = $net.output.Weight
            (($w.Index(0) - $w.Index(1)).Abs().Max().Item() + ($v.T().Index(0) - $v.T().Index(1)).Abs().Max().Item())
            $v.Abs().Max().Item()
        }";

    [Fact]
    public void ZeroInitialisation_LeavesHiddenUnitsIdenticalAfterAStep_DefaultInitialisationDoesNot()
    {
        var zero = Run(SymmetryScript + "; Test-Symmetry -ZeroInit");
        Assert.Equal(0.0, (double)zero[0]);
        Assert.True((double)zero[1] > 0, "the output layer did learn");  // so the symmetry is not just all-zero weights
        var random = Run(SymmetryScript + "; Test-Symmetry");
        Assert.True((double)random[0] > 1e-3, $"hidden units differ by {random[0]}");
    }

    [Fact]
    public void ScriptModule_PrintsUnderItsName_ReachesChildrenAsProperties_AndTrains()
    {
        var r = Run(@"
            Set-TorchSeed 11
            $block = New-ScriptModule MyBlock -Modules ([ordered]@{ fc = New-Layer Linear 4,8; out = New-Layer Linear 8,1 }) -Parameters @{ scale = New-Tensor -Ones -Shape 1 } -Forward {
                param($self, $x)
                $self.out.Call($self.fc.Call($x).Relu()) * $self.scale
            }
            $block.ToString()
            ($block.NamedParameters() | ForEach-Object { $_.Item1 }) -join ','
            $x = New-Tensor -Randn -Shape 16,4
            $y = $x.Sum(1, $true)
            $lossFn = New-LossFunction MSELoss
            $opt = New-Optimizer SGD $block -LearningRate 0.05
            $lossFn.Call($block.Call($x), $y).Item()
            foreach ($i in 1..20) { $opt.ZeroGrad(); $l = $lossFn.Call($block.Call($x), $y); $l.Backward(); $opt.Step() }
            $lossFn.Call($block.Call($x), $y).Item()");
        Assert.Equal("MyBlock(\n  (fc): Linear(in_features=4, out_features=8, bias=True)\n  (out): Linear(in_features=8, out_features=1, bias=True)\n)", r[0]);
        Assert.Equal("scale,fc.weight,fc.bias,out.weight,out.bias", r[1]);
        Assert.True((double)r[3] < (double)r[2], $"loss went from {r[2]} to {r[3]}");
    }

    [Fact]
    public void ScriptModule_MustReturnOneTensor()
    {
        var result = ps.InvokeWithErrors(@"
            $bad = New-ScriptModule Bad -Forward { param($self, $x) $x; 'extra' }
            $bad.Call((New-Tensor -Ones -Shape 2))");
        Assert.False(result.Succeeded);
        Assert.Contains("The forward of Bad must return one tensor; it returned 2 objects (Tensor, String)", result.Errors[^1].Exception.ToString());
    }
}
