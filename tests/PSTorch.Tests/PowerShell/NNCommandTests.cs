using System.Management.Automation;
using Xunit;

namespace PSTorch.Tests.PowerShell;

/// <summary>New-Layer, New-Sequential, New-LossFunction, New-Optimizer, New-LRScheduler and New-ScriptModule through a runspace.</summary>
public class NNCommandTests(ModuleRunspace ps) : IClassFixture<ModuleRunspace>
{
    object[] Run(string script) => ps.Invoke(script).Select(o => o.BaseObject).ToArray();

    string[] Complete(string line) =>
        ps.Invoke($"(TabExpansion2 -inputScript '{line}' -cursorColumn {line.Length}).CompletionMatches.CompletionText").Select(o => (string)o.BaseObject).ToArray();

    ErrorRecord FailureOf(string script)
    {
        var result = ps.InvokeWithErrors(script);
        Assert.False(result.Succeeded, $"expected an error from: {script}");
        return result.Errors[^1];
    }

    [Theory]
    [InlineData("New-Layer Linear 4,3")]
    [InlineData("New-Layer linear -InFeatures 4 -OutFeatures 3")]
    [InlineData("New-Layer Linear -in_features 4 -out_features 3")]
    [InlineData("New-Layer Linear -Options @{in_features = 4; OutFeatures = 3}")]
    [InlineData("$a = @{in_features = 4; out_features = 3}; New-Layer Linear @a")]
    public void NewLayer_TakesConstructorArgumentsByPositionNameOrOptions(string script)
    {
        var layer = Assert.IsType<global::PSTorch.NN.Linear>(Assert.Single(Run(script)));
        Assert.Equal([3L, 4], layer.Weight.Shape);
        Assert.Equal("Linear(in_features=4, out_features=3, bias=True)", layer.ToString());
    }

    [Fact]
    public void NewLayer_BooleanOptionsAreSwitches_AndDTypeNamesAreParsed()
    {
        var layer = Assert.IsType<global::PSTorch.NN.Linear>(Assert.Single(Run("New-Layer Linear 4,3 -Bias:$false -DType torch.float64")));
        Assert.Null(layer.Bias);
        Assert.Equal(DType.Float64, layer.Weight.DType);
        Assert.Equal("ReLU(inplace=True)", Assert.Single(Run("New-Layer ReLU -Inplace")).ToString());
        Assert.Equal("LeakyReLU(negative_slope=0.2)", Assert.Single(Run("New-Layer LeakyReLU 0.2")).ToString());
    }

    [Fact]
    public void NewLayer_ParamsArrayTakesTheRemainingValuesOrOneArray()
    {
        Assert.Equal("Unflatten(dim=1, unflattened_size=(2, 3))", Assert.Single(Run("New-Layer Unflatten 1,2,3")).ToString());
        Assert.Equal("Unflatten(dim=1, unflattened_size=(2, 3))", Assert.Single(Run("New-Layer Unflatten 1,@(2,3)")).ToString());
    }

    [Fact]
    public void NewLayer_UnknownNameIsObjectNotFoundListingTheLayers()
    {
        var error = FailureOf("New-Layer Linearr 3,4");
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.StartsWith("Unknown layer 'Linearr'. Known: ", error.Exception.Message);
        Assert.Contains("Linear, ", error.Exception.Message);
        Assert.DoesNotContain("CrossEntropyLoss", error.Exception.Message);
    }

    [Fact]
    public void NewLayer_BadArgumentsSayWhatIsWrong()
    {
        var missing = FailureOf("New-Layer Linear 3");
        Assert.Equal(ErrorCategory.InvalidArgument, missing.CategoryInfo.Category);
        Assert.Contains("missing required argument(s): out_features", missing.Exception.Message);
        Assert.Contains("Linear takes (in_features: Int64, out_features: Int64, bias: Boolean = True", missing.Exception.Message);
        Assert.Contains("Cannot use 'x' as in_features (Int64)", FailureOf("New-Layer Linear -InFeatures x -OutFeatures 2").Exception.Message);
        Assert.Contains("takes 5 positional argument(s)", FailureOf("New-Layer Linear 1,2,$true,'float32','cpu',6").Exception.Message);
        Assert.Contains("given twice", FailureOf("New-Layer Linear -InFeatures 2 -OutFeatures 2 -Options @{in_features = 3}").Exception.Message);
    }

    [Fact]
    public void Completion_ListsWhatTheEngineHas()
    {
        Assert.Equal(["Linear"], Complete("New-Layer Lin"));
        Assert.Contains("ReLU", Complete("New-Layer "));
        Assert.DoesNotContain("MSELoss", Complete("New-Layer "));
        Assert.Equal(["CrossEntropyLoss"], Complete("New-LossFunction Cross"));
        Assert.Superset(new HashSet<string>(["SGD", "Adam", "AdamW"]), Complete("New-Optimizer ").ToHashSet());
        Assert.DoesNotContain("Optimizer", Complete("New-Optimizer "));
    }

    [Fact]
    public void Completion_OffersTheConstructorParametersOfTheNamedType()
    {
        Assert.Equal(["-InFeatures"], Complete("New-Layer Linear -InFe"));
        Assert.Contains("-OutFeatures", Complete("New-Layer Linear -Out"));
        ps.Invoke("$m = New-Layer Linear 2,2");  // completion binds -Parameters from the variable's value
        Assert.Equal(["-Momentum"], Complete("New-Optimizer SGD $m -Mom"));
        Assert.Equal(["-LabelSmoothing"], Complete("New-LossFunction CrossEntropyLoss -Lab"));
        Assert.Equal(["float16", "float32", "float64"], Complete("New-Layer Linear -DType fl"));
    }

    [Fact]
    public void NewSequential_FromAScriptblock_RunsTheLayersInOrder()
    {
        var r = Run(@"
            Set-TorchSeed 0
            $model = New-Sequential { New-Layer Linear 784,256; New-Layer ReLU; New-Layer Linear 256,10 }
            $model.ToString()
            ,$model.Call((New-Tensor -Randn -Shape 2,784)).Shape
            $model[2].OutFeatures");
        Assert.Equal("Sequential(\n  (0): Linear(in_features=784, out_features=256, bias=True)\n  (1): ReLU()\n  (2): Linear(in_features=256, out_features=10, bias=True)\n)", r[0]);
        Assert.Equal([2L, 10], (long[])r[1]);
        Assert.Equal(10L, r[2]);
    }

    [Fact]
    public void NewSequential_FromAnOrderedHashtable_NamesTheLayersAsProperties()
    {
        var r = Run(@"
            $model = New-Sequential ([ordered]@{ hidden = New-Layer Linear 4,3; act = New-Layer ReLU })
            $model.ToString()
            $model.hidden.InFeatures
            @($model.PSObject.Properties.Match('*', 'NoteProperty')).Name -join ','
            ($model.NamedParameters() | ForEach-Object { $_.Item1 }) -join ','");
        Assert.Equal("Sequential(\n  (hidden): Linear(in_features=4, out_features=3, bias=True)\n  (act): ReLU()\n)", r[0]);
        Assert.Equal(4L, r[1]);
        Assert.Equal("hidden,act", r[2]);
        Assert.Equal("hidden.weight,hidden.bias", r[3]);
    }

    [Fact]
    public void NewSequential_FromThePipelineAndArguments()
    {
        Assert.Equal(2, ((global::PSTorch.NN.Sequential)Assert.Single(Run("(New-Layer Linear 4,3), (New-Layer Tanh) | New-Sequential"))).Count);
        Assert.Equal(2, ((global::PSTorch.NN.Sequential)Assert.Single(Run("New-Sequential (New-Layer Linear 4,3), (New-Layer Tanh)"))).Count);
    }

    [Fact]
    public void NewSequential_RefusesAnUnorderedHashtableAndNonModules()
    {
        Assert.Contains("[ordered]@{", FailureOf("New-Sequential @{ a = New-Layer ReLU; b = New-Layer Tanh }").Exception.Message);
        Assert.Contains("a String is not a layer", FailureOf("New-Sequential 'Linear'").Exception.Message);
    }

    [Fact]
    public void NewLossFunction_WeightedCrossEntropy_IsTheWeightedMean()
    {
        var r = Run(@"
            $loss = New-LossFunction CrossEntropyLoss -Weight 1,3
            $logits = New-Tensor @(@(1.0, 2.0), @(0.5, -1.0), @(3.0, 0.0), @(-2.0, 2.0))
            $labels = New-Tensor 0,1,1,0
            $loss.Call($logits, $labels).Item()
            $loss.Reduction");
        double[][] logits = [[1, 2], [0.5, -1], [3, 0], [-2, 2]];
        long[] labels = [0, 1, 1, 0];
        double[] weight = [1, 3];
        double num = 0, den = 0;
        for (int i = 0; i < 4; i++)
        {
            double lse = Math.Log(Math.Exp(logits[i][0]) + Math.Exp(logits[i][1]));
            num += weight[labels[i]] * (lse - logits[i][labels[i]]);
            den += weight[labels[i]];
        }
        Assert.Equal(num / den, (double)r[0], 1e-5);
        Assert.Equal("mean", r[1]);
    }

    [Fact]
    public void NewLossFunction_Options()
    {
        var loss = Assert.IsType<global::PSTorch.NN.CrossEntropyLoss>(Assert.Single(Run("New-LossFunction CrossEntropyLoss -LabelSmoothing 0.1 -Reduction sum -ignore_index 3")));
        Assert.Equal((0.1, "sum", 3L), (loss.LabelSmoothing, loss.Reduction, loss.IgnoreIndex));
        Assert.Contains("bogus is not a valid value for reduction", FailureOf("New-LossFunction MSELoss -Reduction bogus").Exception.Message);
    }

    [Fact]
    public void NewOptimizer_MapsLearningRateAndOptionsToTheParamGroup()
    {
        var r = Run(@"
            $model = New-Layer Linear 4,2
            $opt = New-Optimizer SGD $model -LearningRate 0.1 -Momentum 0.9 -Nesterov -Options @{ weight_decay = 0.01 }
            $g = $opt.ParamGroups[0]
            $g['lr']; $g['momentum']; $g['nesterov']; $g['weight_decay']; $g.Params.Count
            $adam = New-Optimizer Adam $model -Betas 0.8,0.9
            $adam.ParamGroups[0]['betas'].Item1; $adam.ParamGroups[0]['betas'].Item2; $adam.ParamGroups[0]['lr']");
        Assert.Equal([0.1, 0.9, true, 0.01, 2, 0.8, 0.9, 1e-3], r);
    }

    [Fact]
    public void NewOptimizer_ParameterGroupsKeepTheirOwnOptions()
    {
        var r = Run(@"
            $model = New-Sequential ([ordered]@{ hidden = New-Layer Linear 4,3; output = New-Layer Linear 3,2 })
            $opt = New-Optimizer AdamW @(@{ params = $model.hidden }, @{ params = $model.output; lr = 0.5; WeightDecay = 0 }) -LearningRate 0.1
            $opt.ParamGroups.Count
            $opt.ParamGroups[0]['lr']; $opt.ParamGroups[0]['weight_decay']
            $opt.ParamGroups[1]['lr']; $opt.ParamGroups[1]['weight_decay']");
        Assert.Equal([2, 0.1, 0.01, 0.5, 0], r);
    }

    [Fact]
    public void NewOptimizer_RefusesTensorsAndEmptyLists()
    {
        Assert.Contains("wrap a tensor with [PSTorch.NN.Parameter]", FailureOf("New-Optimizer SGD (New-Tensor -Ones -Shape 2 -RequiresGrad)").Exception.Message);
        Assert.Contains("optimizer got an empty parameter list", FailureOf("New-Optimizer SGD (New-Layer ReLU)").Exception.Message);
        Assert.Contains("Invalid learning rate: -1", FailureOf("New-Optimizer SGD (New-Layer Linear 2,2) -LearningRate -1").Exception.Message);
    }

    [Fact]
    public void NewOptimizer_StepsLowerTheLoss()
    {
        var r = Run(@"
            Set-TorchSeed 1
            $model = New-Sequential { New-Layer Linear 4,8; New-Layer Tanh; New-Layer Linear 8,1 }
            $x = New-Tensor -Randn -Shape 16,4
            $y = $x.Sum(1, $true)
            $lossFn = New-LossFunction MSELoss
            $opt = New-Optimizer Adam $model -LearningRate 0.05
            foreach ($i in 1..30) {
                $opt.ZeroGrad()
                $loss = $lossFn.Call($model.Call($x), $y)
                if ($i -eq 1) { $loss.Item() }
                $loss.Backward()
                $opt.Step()
            }
            $lossFn.Call($model.Call($x), $y).Item()");
        Assert.True((double)r[1] < 0.5 * (double)r[0], $"loss went from {r[0]} to {r[1]}");
    }

    [Fact]
    public void NewLRScheduler_UnknownNameListsTheSchedulers()
    {
        var error = FailureOf("$opt = New-Optimizer SGD (New-Layer Linear 2,2); New-LRScheduler NoSuchLR $opt");
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.StartsWith("Unknown learning-rate scheduler 'NoSuchLR'. Known: ", error.Exception.Message);
    }

    [Fact]
    public void NewLRScheduler_StepLR_DecaysTheLearningRate()
    {
        var r = Run(@"
            $opt = New-Optimizer SGD (New-Layer Linear 2,2) -LearningRate 1
            $sched = New-LRScheduler StepLR $opt -StepSize 2 -Gamma 0.5
            foreach ($epoch in 1..4) { $opt.Step(); $null = $sched.Step(); $opt.ParamGroups[0].LearningRate }");
        Assert.Equal([1.0, 0.5, 0.5, 0.25], r);
    }

    [Fact]
    public void NewLRScheduler_LambdaLR_TakesAScriptBlock()
    {
        var r = Run(@"
            $opt = New-Optimizer SGD (New-Layer Linear 2,2) -LearningRate 2
            $sched = New-LRScheduler LambdaLR $opt -LrLambda { param($epoch) 1 / ($epoch + 1) }
            $opt.ParamGroups[0].LearningRate
            foreach ($epoch in 1..3) { $opt.Step(); $null = $sched.Step(); $opt.ParamGroups[0].LearningRate }");
        Assert.Equal([2.0, 1.0, 2.0 / 3, 0.5], r.Cast<double>(), (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void NewLRScheduler_MultiplicativeLR_TakesOneScriptBlockPerGroup()
    {
        var r = Run(@"
            $opt = New-Optimizer SGD (New-Layer Linear 2,2) -LearningRate 1
            $sched = New-LRScheduler MultiplicativeLR $opt -LrLambda @({ 0.5 })
            foreach ($epoch in 1..2) { $opt.Step(); $null = $sched.Step(); $opt.ParamGroups[0].LearningRate }");
        Assert.Equal([0.5, 0.25], r);
    }

    [Fact]
    public void NewLRScheduler_ChainedScheduler_ComposesSchedulersOfOneOptimizer()
    {
        var r = Run(@"
            $opt = New-Optimizer SGD (New-Layer Linear 2,2) -LearningRate 1
            $step = New-LRScheduler StepLR $opt -StepSize 2 -Gamma 0.5
            $exp = New-LRScheduler ExponentialLR $opt -Gamma 0.9
            $chain = New-LRScheduler ChainedScheduler $opt -Schedulers $step, $exp
            foreach ($epoch in 1..2) { $opt.Step(); $null = $chain.Step(); $opt.ParamGroups[0].LearningRate }");
        Assert.Equal([0.9, 0.5 * 0.81], r.Cast<double>(), (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void NewLRScheduler_SequentialLR_SwitchesAtTheMilestones()
    {
        var r = Run(@"
            $opt = New-Optimizer SGD (New-Layer Linear 2,2) -LearningRate 1
            $warm = New-LRScheduler ConstantLR $opt -Factor 0.5 -TotalIters 2
            $decay = New-LRScheduler ExponentialLR $opt -Gamma 0.9
            $seq = New-LRScheduler SequentialLR $opt -Schedulers $warm, $decay -Milestones 2
            foreach ($epoch in 1..3) { $opt.Step(); $null = $seq.Step(); $opt.ParamGroups[0].LearningRate }");
        Assert.Equal([0.5, 1.0, 0.9], r.Cast<double>(), (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void NewLRScheduler_AValueNoOverloadTakes_NamesTheParameter()
    {
        var error = FailureOf("$opt = New-Optimizer SGD (New-Layer Linear 2,2) -Momentum 0.9; New-LRScheduler CyclicLR $opt -BaseLr 'slow' -MaxLr 1");
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("Cannot use 'slow' as base_lr (Double)", error.Exception.Message);
        Assert.Contains("Cannot use 'slow' as base_lr (IReadOnlyList<Double>)", error.Exception.Message);
    }

    [Fact]
    public void NewLRScheduler_CyclicLR_CyclesPerBatch()
    {
        var r = Run(@"
            $opt = New-Optimizer SGD (New-Layer Linear 2,2) -LearningRate 1 -Momentum 0.9
            $sched = New-LRScheduler CyclicLR $opt -BaseLr 0.1 -MaxLr 1 -StepSizeUp 2
            $opt.ParamGroups[0].LearningRate
            foreach ($batch in 1..4) { $opt.Step(); $null = $sched.Step(); $opt.ParamGroups[0].LearningRate }");
        Assert.Equal([0.1, 0.55, 1.0, 0.55, 0.1], r.Cast<double>(), (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Theory]
    [InlineData("PSTorch.NN.Module")]
    [InlineData("PSTorch.Optim.Optimizer")]
    public void ModulesAndOptimizers_HaveAReprView(string typeName)
    {
        // The engine package has no Out-String; tests/pester/NN.Tests.ps1 checks the rendered text under pwsh.
        var file = Path.Combine(Path.GetDirectoryName(ModuleRunspace.ManifestPath)!, "module", "PSTorch.format.ps1xml");
        var view = System.Xml.Linq.XDocument.Load(file).Descendants("View")
            .Single(v => v.Element("ViewSelectedBy")!.Element("TypeName")!.Value == typeName);
        Assert.NotNull(view.Element("CustomControl"));
        Assert.Equal("$_.ToString()", view.Descendants("ScriptBlock").Single().Value);
    }
}
