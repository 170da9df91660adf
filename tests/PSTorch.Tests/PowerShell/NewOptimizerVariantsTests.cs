using Xunit;

namespace PSTorch.Tests.PowerShell;

/// <summary>New-Optimizer with NAdam, Rprop, ASGD and LBFGS: their options bind by reflection, and they step (LBFGS with a scriptblock closure).</summary>
public class NewOptimizerVariantsTests(ModuleRunspace ps) : IClassFixture<ModuleRunspace>
{
    object[] Run(string script) => ps.Invoke(script).Select(o => o.BaseObject).ToArray();

    [Fact]
    public void NewOptimizerNAdam_BindsItsOptionsAndSteps()
    {
        var r = Run(@"
            Set-TorchSeed 2
            $model = New-Layer Linear 3,1
            $before = $model.Weight.Clone()
            $opt = New-Optimizer NAdam $model -LearningRate 0.1 -MomentumDecay 0.01 -DecoupledWeightDecay -WeightDecay 0.2 -Betas 0.8,0.9
            $g = $opt.ParamGroups[0]
            $opt.GetType().Name; $g['lr']; $g['momentum_decay']; $g['decoupled_weight_decay']; $g['weight_decay']; $g['betas'].Item1
            $model.Call((New-Tensor -Ones -Shape 2,3)).Sum().Backward()
            $opt.Step()
            $opt.State[$model.Weight]['step']
            $opt.State[$model.Weight].ContainsKey('mu_product')
            ($model.Weight - $before).Abs().Min().Item() -gt 0");
        Assert.Equal(["NAdam", 0.1, 0.01, true, 0.2, 0.8, 1L, true, true], r);
    }

    [Fact]
    public void NewOptimizerRpropAndAsgd_TakeTheirPairsAndScalars()
    {
        var r = Run(@"
            $model = New-Layer Linear 2,2
            $rprop = New-Optimizer Rprop $model -Etas 0.4,1.3 -StepSizes 1e-5,2
            $rprop.ParamGroups[0]['etas'].Item2; $rprop.ParamGroups[0]['step_sizes'].Item1
            $asgd = New-Optimizer ASGD $model -Lambd 0.01 -T0 5 -Alpha 0.5
            $asgd.ParamGroups[0]['lambd']; $asgd.ParamGroups[0]['t0']; $asgd.ParamGroups[0]['alpha']");
        Assert.Equal([1.3, 1e-5, 0.01, 5.0, 0.5], r);
    }

    [Fact]
    public void NewOptimizerLBFGS_StepsWithAScriptBlockClosure()
    {
        var r = Run(@"
            Set-TorchSeed 3
            $model = New-Layer Linear 2,1
            $x = New-Tensor -Randn -Shape 8,2
            $y = $x.Sum(1, $true)
            $lossFn = New-LossFunction MSELoss
            $opt = New-Optimizer LBFGS $model -LineSearchFn strong_wolfe -MaxIter 50 -HistorySize 10
            $opt.ParamGroups[0]['line_search_fn']; $opt.ParamGroups[0]['max_eval']
            $first = $opt.Step({ $opt.ZeroGrad(); $loss = $lossFn.Call($model.Call($x), $y); $loss.Backward(); $loss })
            $first.Item() -gt 0.01
            $lossFn.Call($model.Call($x), $y).Item() -lt 1e-8");
        Assert.Equal(["strong_wolfe", 62, true, true], r);
    }
}
