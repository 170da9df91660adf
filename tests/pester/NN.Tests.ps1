#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The user-facing contract of building, training and printing models from the shell: New-Layer, New-Sequential,
# New-LossFunction, New-Optimizer, New-LRScheduler, New-ScriptModule and PowerShell classes deriving from Module,
# with the seed notes' nn examples.

BeforeAll {
    Import-Module "$PSScriptRoot/../../PSTorch.psd1" -Force

    # Classes deriving from [PSTorch.NN.Module] are parsed after the module is loaded, so their base type resolves.
    . ([scriptblock]::Create(@'
class MLP : PSTorch.NN.Module {
    $hidden
    $act
    $output
    MLP() {
        $this.hidden = New-Layer Linear 784,256
        $this.act = New-Layer ReLU
        $this.output = New-Layer Linear 256,10
    }
    [PSTorch.Tensor] Forward([PSTorch.Tensor]$x) {
        return $this.output.Call($this.act.Call($this.hidden.Call($x)))
    }
}

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

function New-MLP { [MLP]::new() }
function New-MyListDense { [MyListDense]::new() }
function New-MyDictDense { [MyDictDense]::new() }
'@))

    function Get-Completion([string]$Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText
    }

    function Get-Rendered($InputObject) {
        (($InputObject | Out-String) -replace "`r`n", "`n").Trim()
    }
}

Describe 'New-Layer' {
    It 'builds a layer from positional, named and PyTorch-style arguments' {
        (New-Layer Linear 784,256).ToString() | Should -Be 'Linear(in_features=784, out_features=256, bias=True)'
        (New-Layer Linear -InFeatures 4 -OutFeatures 2 -Bias:$false).ToString() | Should -Be 'Linear(in_features=4, out_features=2, bias=False)'
        $kw = @{ in_features = 3; out_features = 5 }
        (New-Layer Linear @kw).Weight.Shape | Should -Be @(5, 3)
        (New-Layer Linear -Options $kw).Weight.Shape | Should -Be @(5, 3)
        (New-Layer ReLU).ToString() | Should -Be 'ReLU()'
    }

    It 'completes layer names and the named layer''s constructor parameters' {
        Get-Completion 'New-Layer Lin' | Should -Be @('Linear')
        Get-Completion 'New-Layer Linear -OutF' | Should -Be @('-OutFeatures')
    }

    It 'refuses an unknown layer, listing the known ones' {
        { New-Layer Linearr 2,2 } | Should -Throw -ExpectedMessage "Unknown layer 'Linearr'. Known: *Linear*"
    }

    # comp_conv2d from the seed notes: the output height and width of Conv2d on an 8x8 input.
    It 'gives comp_conv2d shapes: <Arguments> -> <Expected>' -TestCases @(
        @{ Arguments = @{ in_channels = 1; out_channels = 1; kernel_size = 3; padding = 1 }; Expected = @(8, 8) }
        @{ Arguments = @{ in_channels = 1; out_channels = 1; kernel_size = @(5, 3); padding = @(2, 1) }; Expected = @(8, 8) }
        @{ Arguments = @{ in_channels = 1; out_channels = 1; kernel_size = @(3, 5); padding = @(0, 1); stride = @(3, 4) }; Expected = @(2, 2) }
    ) {
        $conv = New-Layer Conv2d -Options $Arguments
        $y = $conv.Call((New-Tensor -Randn -Shape 1,1,8,8))
        $y.Shape[2..3] | Should -Be $Expected
    }

    # pool2d from the seed notes: 2x2 windows with stride 1 over a 3x3 input.
    It 'pools 2x2 windows: max and average' {
        $x = (New-Tensor @(@(0.0, 1, 2), @(4, 5, 6), @(7, 8, 9))).View(1, 1, 3, 3)
        (New-Layer MaxPool2d 2 -Stride 1).Call($x).Flatten().ToArray() | Should -Be @(5, 6, 8, 9)
        (New-Layer AvgPool2d 2 -Stride 1).Call($x).Flatten().ToArray() | Should -Be @(2.5, 3.5, 6, 7)
    }
}

Describe 'New-Sequential' {
    It 'chains layers from a scriptblock and displays the PyTorch repr' {
        $model = New-Sequential { New-Layer Linear 784,256; New-Layer ReLU; New-Layer Linear 256,10 }
        $model.Call((New-Tensor -Randn -Shape 2,784)).Shape | Should -Be @(2, 10)
        Get-Rendered $model | Should -Be "Sequential(`n  (0): Linear(in_features=784, out_features=256, bias=True)`n  (1): ReLU()`n  (2): Linear(in_features=256, out_features=10, bias=True)`n)"
    }

    It 'names layers from an ordered hashtable and exposes them as properties' {
        $model = New-Sequential ([ordered]@{ hidden = New-Layer Linear 4,3; act = New-Layer ReLU })
        $model.hidden.OutFeatures | Should -Be 3
        ($model | Get-Member -MemberType NoteProperty).Name | Should -Contain 'hidden'
    }

    It 'takes layers from the pipeline' {
        ((New-Layer Linear 4,3), (New-Layer Tanh) | New-Sequential).Count | Should -Be 2
    }
}

Describe 'Models written in PowerShell' {
    It 'MLP: a class with hidden/act/output properties gives (2,10) and the PyTorch repr' {
        $net = New-MLP
        $net.Call((New-Tensor -Randn -Shape 2,784)).Shape | Should -Be @(2, 10)
        $expected = "MLP(`n  (hidden): Linear(in_features=784, out_features=256, bias=True)`n  (act): ReLU()`n  (output): Linear(in_features=256, out_features=10, bias=True)`n)"
        $net.ToString() | Should -Be $expected
        Get-Rendered $net | Should -Be $expected
        ($net.NamedParameters() | ForEach-Object { $_.Item1 }) | Should -Be @('hidden.weight', 'hidden.bias', 'output.weight', 'output.bias')
    }

    It 'MyListDense chains four parameters and prints them' {
        $net = New-MyListDense
        $net.Call((New-Tensor -Ones -Shape 1,4)).Shape | Should -Be @(1, 1)
        $net.ToString() | Should -Be ("MyListDense(`n  (params): ParameterList(`n" +
            "      (0): Parameter containing: [torch.float32 of size 4x4]`n      (1): Parameter containing: [torch.float32 of size 4x4]`n" +
            "      (2): Parameter containing: [torch.float32 of size 4x4]`n      (3): Parameter containing: [torch.float32 of size 4x1]`n  )`n)")
    }

    It 'MyDictDense chooses a parameter by name and prints them' {
        $net = New-MyDictDense
        $x = New-Tensor -Ones -Shape 1,4
        $net.Call($x).Shape | Should -Be @(1, 4)
        $net.Forward($x, 'linear2').Shape | Should -Be @(1, 1)
        $net.Forward($x, 'linear3').Shape | Should -Be @(1, 2)
        $net.ToString() | Should -Be ("MyDictDense(`n  (params): ParameterDict(`n" +
            "      (linear1): Parameter containing: [torch.float32 of size 4x4]`n      (linear2): Parameter containing: [torch.float32 of size 4x1]`n" +
            "      (linear3): Parameter containing: [torch.float32 of size 4x2]`n  )`n)")
    }

    It 'a script module prints under its name and trains like a built-in one' {
        Set-TorchSeed 11
        $block = New-ScriptModule MyBlock -Modules ([ordered]@{ fc = New-Layer Linear 4,8; out = New-Layer Linear 8,1 }) -Forward {
            param($self, $x)
            $self.out.Call($self.fc.Call($x).Relu())
        }
        $block.ToString() | Should -Be "MyBlock(`n  (fc): Linear(in_features=4, out_features=8, bias=True)`n  (out): Linear(in_features=8, out_features=1, bias=True)`n)"
        $x = New-Tensor -Randn -Shape 16,4
        $y = $x.Sum(1, $true)
        $lossFn = New-LossFunction MSELoss
        $opt = New-Optimizer SGD $block -LearningRate 0.05
        $before = $lossFn.Call($block.Call($x), $y).Item()
        foreach ($i in 1..20) { $opt.ZeroGrad(); $lossFn.Call($block.Call($x), $y).Backward(); $opt.Step() }
        $lossFn.Call($block.Call($x), $y).Item() | Should -BeLessThan $before
    }
}

Describe 'New-LossFunction' {
    It 'CrossEntropyLoss with weight [1,3] on 4x2 logits is the weighted mean' {
        $loss = New-LossFunction CrossEntropyLoss -Weight 1,3
        $logits = New-Tensor @(@(1.0, 2.0), @(0.5, -1.0), @(3.0, 0.0), @(-2.0, 2.0))
        $labels = New-Tensor 0,1,1,0
        $w = @(1, 3); $num = 0.0; $den = 0.0
        for ($i = 0; $i -lt 4; $i++) {
            $row = $logits.Index($i).ToArray(); $c = $labels.Index($i).Item()
            $lse = [Math]::Log([Math]::Exp($row[0]) + [Math]::Exp($row[1]))
            $num += $w[$c] * ($lse - $row[$c]); $den += $w[$c]
        }
        $loss.Call($logits, $labels).Item() | Should -BeGreaterThan ($num / $den - 1e-5)
        $loss.Call($logits, $labels).Item() | Should -BeLessThan ($num / $den + 1e-5)
    }

    It 'completes loss names and options' {
        Get-Completion 'New-LossFunction Cross' | Should -Be @('CrossEntropyLoss')
        Get-Completion 'New-LossFunction CrossEntropyLoss -Lab' | Should -Be @('-LabelSmoothing')
    }
}

Describe 'New-Optimizer' {
    It 'steps and lowers the loss' {
        Set-TorchSeed 1
        $model = New-Sequential { New-Layer Linear 4,8; New-Layer Tanh; New-Layer Linear 8,1 }
        $x = New-Tensor -Randn -Shape 16,4
        $y = $x.Sum(1, $true)
        $lossFn = New-LossFunction MSELoss
        $opt = New-Optimizer Adam $model -LearningRate 0.05
        $before = $lossFn.Call($model.Call($x), $y).Item()
        foreach ($i in 1..30) { $opt.ZeroGrad(); $lossFn.Call($model.Call($x), $y).Backward(); $opt.Step() }
        $lossFn.Call($model.Call($x), $y).Item() | Should -BeLessThan (0.5 * $before)
    }

    It 'maps options by name and completes them' {
        $m = New-Layer Linear 2,2
        $opt = New-Optimizer SGD $m -LearningRate 0.1 -Momentum 0.9 -Nesterov -Options @{ weight_decay = 0.01 }
        $opt.ParamGroups[0]['momentum'] | Should -Be 0.9
        $opt.ParamGroups[0]['weight_decay'] | Should -Be 0.01
        Get-Completion 'New-Optimizer SGD $m -Mom' | Should -Be @('-Momentum')
        Get-Completion 'New-Optimizer Ad' | Should -Contain 'Adam'
    }

    It 'keeps hidden units identical after a step from all-zero initialisation, unlike the default one' {
        $spread = foreach ($zero in $true, $false) {
            Set-TorchSeed 7
            $net = New-Sequential ([ordered]@{ hidden = New-Layer Linear 4,3; act = New-Layer Sigmoid; output = New-Layer Linear 3,1 })
            if ($zero) { foreach ($p in $net.Parameters()) { $null = [PSTorch.NN.Init]::Zeros_($p) } }
            $opt = New-Optimizer SGD $net -LearningRate 0.5
            (New-LossFunction MSELoss).Call($net.Call((New-Tensor -Randn -Shape 8,4)), (New-Tensor -Randn -Shape 8,1)).Backward()
            $opt.Step()
            $w = $net.hidden.Weight; $v = $net.output.Weight
            ($w.Index(0) - $w.Index(1)).Abs().Max().Item() + ($v.T().Index(0) - $v.T().Index(1)).Abs().Max().Item()
        }
        $spread[0] | Should -Be 0
        $spread[1] | Should -BeGreaterThan 1e-3
    }

    It 'displays its parameter groups as PyTorch does' {
        $opt = New-Optimizer SGD (New-Layer Linear 2,2) -LearningRate 0.5
        Get-Rendered $opt | Should -BeLike "SGD (`nParameter Group 0`n*lr: 0.5*"
    }
}

Describe 'New-LRScheduler' {
    It 'StepLR halves the learning rate every two epochs' {
        $opt = New-Optimizer SGD (New-Layer Linear 2,2) -LearningRate 1
        $sched = New-LRScheduler StepLR $opt -StepSize 2 -Gamma 0.5
        $rates = foreach ($epoch in 1..4) { $opt.Step(); $null = $sched.Step(); $opt.ParamGroups[0].LearningRate }
        $rates | Should -Be @(1, 0.5, 0.5, 0.25)
    }

    It 'LambdaLR takes a scriptblock of the epoch' {
        $opt = New-Optimizer SGD (New-Layer Linear 2,2) -LearningRate 1
        $sched = New-LRScheduler LambdaLR $opt -LrLambda { param($epoch) 0.5 * $epoch + 1 }
        $rates = foreach ($epoch in 1..2) { $opt.Step(); $null = $sched.Step(); $opt.ParamGroups[0].LearningRate }
        $rates | Should -Be @(1.5, 2)
    }

    It 'ChainedScheduler composes schedulers of one optimizer' {
        $opt = New-Optimizer SGD (New-Layer Linear 2,2) -LearningRate 1
        $step = New-LRScheduler StepLR $opt -StepSize 1 -Gamma 0.5
        $constant = New-LRScheduler ConstantLR $opt -Factor 0.5 -TotalIters 1
        $chain = New-LRScheduler ChainedScheduler $opt -Schedulers $step, $constant
        $opt.Step(); $null = $chain.Step()
        $opt.ParamGroups[0].LearningRate | Should -Be 0.5
    }

    It 'completes scheduler names' {
        Get-Completion 'New-LRScheduler Step' | Should -Contain 'StepLR'
        Get-Completion 'New-LRScheduler Chain' | Should -Contain 'ChainedScheduler'
    }
}
