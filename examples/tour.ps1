# A short tour of PSTorch's tensor engine: tensors, views, broadcasting, reductions, matmul, autograd,
# a custom autograd function, and a line fitted by gradient descent with plain tensors.
#   pstorch:  dotnet run --project src/PSTorch.Host -c Release -- -File examples/tour.ps1
#   pwsh:     dotnet build; Import-Module ./PSTorch.psd1; ./examples/tour.ps1
$ErrorActionPreference = 'Stop'
if (-not (Get-Module PSTorch)) { Import-Module "$PSScriptRoot/../PSTorch.psd1" }

function Section([string] $title) { Write-Host ''; Write-Host "== $title ==" }
function Shape($t) { '[' + ($t.Shape -join ', ') + ']' }

Section '1. Creating tensors'
New-Tensor 1, 2, 3                                  # int64, like torch.tensor([1, 2, 3])
New-Tensor @(1.5, 2), @(3, 4)                       # rows of floats: float32
New-Tensor -Zeros -Shape 2, 3
New-Tensor -Arange -End 6
Set-TorchSeed 0
New-Tensor -Randn -Shape 2, 3
$null = [PSTorch.Torch]::ManualSeed(0)              # the same generator, from the static API
[PSTorch.Torch]::Randn(2, 3)                        # same values again

Section '2. Views, reshape, transpose, indexing'
$t = [PSTorch.Torch]::Arange(12).View(3, 4)
$t
"t.Shape = $(Shape $t), t.DType = $([PSTorch.DTypes]::TorchName($t.DType))"
"t.T shape = $(Shape $t.T()), contiguous: $($t.T().IsContiguous())"
$t.Reshape(2, 6)
$t['1:3', ':']                                      # t[1:3, :]
$t['...', 0]                                        # t[..., 0]
$row = $t[0]                                        # a view: writing to it changes t
$null = $row.Fill_(-1)
$t

Section '3. Broadcasting and operators'
$a = New-Tensor -Ones -Shape 2, 3
$b = New-Tensor 0.0, 10.0, 20.0
$a + $b                                             # [2,3] + [3] broadcasts over rows
$a * 2 - 1
$b.View(3, 1) + $b                                  # [3,1] + [3] -> [3,3]
$b.Gt(5)                                            # comparisons are methods: Gt, Lt, Eq, ...

Section '4. Reductions'
$m = New-Tensor @(1.0, 5.0, 3.0), @(4.0, 2.0, 6.0)
"sum = $($m.Sum().Item()), mean = $($m.Mean().Item()), max = $($m.Max().Item())"
$m.Sum(0)                                           # over rows
$m.Mean(1)                                          # over columns
$m.Argmax(1)
$m.Softmax(1)

Section '5. Matrix multiply'
$w = New-Tensor @(1.0, 0.0), @(0.0, 2.0), @(1.0, 1.0)  # [3, 2]
$m.MatMul($w)                                          # [2, 3] @ [3, 2] -> [2, 2]

Section '6. Autograd'
$x = New-Tensor -Ones -Shape 2, 2 -RequiresGrad
$y = $x.Pow(2)
$z = $y * $y * 3
$out = $z.Mean()
"y.GradFn = $($y.GradFn.Name), z.GradFn = $($z.GradFn.Name), out.GradFn = $($out.GradFn.Name)"
"out = $($out.Item())"
$out.Backward()
'x.Grad (d out / d x = 3 x^3):'
$x.Grad

Section '7. No-grad scope'
$doubled = Invoke-NoGrad { $x * 2 }
"inside Invoke-NoGrad: RequiresGrad = $($doubled.RequiresGrad), GradFn is null: $($null -eq $doubled.GradFn)"
"outside: GradFn = $(($x * 2).GradFn.Name)"

Section '8. A custom autograd function'
$exp = New-AutogradFunction -Name MyExp -Forward {
    param($ctx, $x)
    $result = $x.Exp()
    $ctx.SaveForBackward($result)
    $result
} -Backward {
    param($ctx, $grad)
    $grad * $ctx.SavedTensors[0]                    # d exp(x) / dx = exp(x)
}
$v = New-Tensor 0.0, 1.0 -RequiresGrad
$e = $exp.Apply($v)
"e.GradFn = $($e.GradFn.Name)"
$e.Sum().Backward()
$v.Grad
$check = [Func[PSTorch.Tensor[], PSTorch.Tensor]] { param($xs) $exp.Apply($xs[0]) }
"gradcheck: $([PSTorch.Torch]::GradCheck($check, @((New-Tensor -Randn -Shape 3 -DType float64 -RequiresGrad -Seed 1))))"

Section '9. Fitting a line by gradient descent'
# y = 3x + 2 plus a little noise; learn w and b from 50 points.
$xs = New-Tensor -Linspace -Start -1 -End 1 -Steps 50
$ys = $xs * 3 + 2 + (New-Tensor -Randn -Shape 50 -Seed 42) * 0.1
$slope = New-Tensor -Zeros -Shape 1 -RequiresGrad
$bias = New-Tensor -Zeros -Shape 1 -RequiresGrad
$learningRate = 0.2
for ($step = 1; $step -le 100; $step++) {
    $loss = (($xs * $slope + $bias - $ys).Pow(2)).Mean()
    $loss.Backward()
    Invoke-NoGrad {
        $null = $slope.Sub_($slope.Grad * $learningRate)
        $null = $bias.Sub_($bias.Grad * $learningRate)
    }
    $null = $slope.Grad.Zero_()
    $null = $bias.Grad.Zero_()
    if ($step -eq 1 -or $step % 20 -eq 0) { "step $step  loss $([math]::Round($loss.Item(), 4))" }
}
# "$(...)" formats numbers the same in every culture.
"learned: y = $([math]::Round($slope.Item(), 3)) x + $([math]::Round($bias.Item(), 3))  (true: y = 3 x + 2)"
