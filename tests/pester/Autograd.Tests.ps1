#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Autograd from PowerShell: the seed notes' PyTorch examples, and Invoke-NoGrad / Invoke-EnableGrad.

BeforeAll {
    Import-Module "$PSScriptRoot/../../PSTorch.psd1" -Force
}

Describe 'Autograd' {
    It 'records grad_fn names and computes the gradient of a mean' {
        $x = New-Tensor -Ones -Shape 2, 2 -RequiresGrad
        $y = $x.Pow(2)
        $z = $y * $y * 3
        $out = $z.Mean()
        $y.GradFn.Name | Should -BeExactly 'PowBackward0'
        $z.GradFn.Name | Should -BeExactly 'MulBackward0'
        $out.GradFn.Name | Should -BeExactly 'MeanBackward0'
        $out.Item() | Should -Be 3
        $out.Backward()
        $x.Grad.ToArray() | Should -Be @(3, 3, 3, 3)
    }

    It 'computes a vector-Jacobian product' {
        $x = New-Tensor -Randn -Shape 3 -RequiresGrad -Seed 5
        $j = $x * 2
        $doublings = 1
        while (($j * $j).Sum().Sqrt().Item() -lt 1000) { $j = $j * 2; $doublings++ }
        $v = New-Tensor 0.1, 1.0, 0.0001
        $j.Backward($v)
        $scale = [math]::Pow(2, $doublings)
        $expected = @((0.1 * $scale), (1.0 * $scale), (0.0001 * $scale))
        $actual = $x.Grad.ToArray()
        for ($k = 0; $k -lt 3; $k++) { $actual[$k] | Should -BeGreaterThan ($expected[$k] * 0.9999); $actual[$k] | Should -BeLessThan ($expected[$k] * 1.0001) }
    }

    It 'accumulates gradients until they are zeroed' {
        $x = New-Tensor -Ones -Shape 2 -RequiresGrad
        ($x * 2).Sum().Backward()
        ($x * 2).Sum().Backward()
        $x.Grad.ToArray() | Should -Be @(4, 4)
        $null = $x.Grad.Zero_()
        $x.Grad.ToArray() | Should -Be @(0, 0)
    }

    It 'does not record changes made through .Data' {
        $x = New-Tensor -Ones -Shape 1 -RequiresGrad
        $y = 2 * $x
        $x.Data = $x.Data * 100
        $y.Backward()
        $x.Grad.Item() | Should -Be 2
        $x.Item() | Should -Be 100
    }

    It 'refuses requires_grad on integer tensors' {
        { New-Tensor -Ones -Shape 2 -DType int64 -RequiresGrad } | Should -Throw -ExpectedMessage '*only Tensors of floating point*'
    }
}

Describe 'Invoke-NoGrad' {
    It 'computes without recording' {
        $x = New-Tensor -Ones -Shape 2 -RequiresGrad
        $y = Invoke-NoGrad { $x * 2 }
        $y.RequiresGrad | Should -BeFalse
        $y.GradFn | Should -BeNullOrEmpty
        ($x * 2).GradFn.Name | Should -BeExactly 'MulBackward0'
    }

    It 'restores recording after an error' {
        { Invoke-NoGrad { throw 'boom' } } | Should -Throw -ExpectedMessage 'boom'
        [PSTorch.Torch]::IsGradEnabled() | Should -BeTrue
    }

    It 'passes every output object through' {
        Invoke-NoGrad { 1; 2; 3 } | Should -Be @(1, 2, 3)
    }

    It 'lets Invoke-EnableGrad record again inside it' {
        $x = New-Tensor -Ones -Shape 2 -RequiresGrad
        (Invoke-NoGrad { Invoke-EnableGrad { $x * 2 } }).GradFn.Name | Should -BeExactly 'MulBackward0'
    }
}

Describe 'New-AutogradFunction' {
    BeforeAll {
        $script:exp = New-AutogradFunction -Name MyExp -Forward {
            param($ctx, $x)
            $y = $x.Exp()
            $ctx.SaveForBackward($y)
            $y
        } -Backward {
            param($ctx, $grad)
            $grad * $ctx.SavedTensors[0]
        }
    }

    Context 'a function of one input' {
        It 'names the node <Name>Backward and computes forward and backward' {
            $x = New-Tensor 0.0, 1.0 -RequiresGrad
            $y = $exp.Apply($x)
            $y.GradFn.Name | Should -BeExactly 'MyExpBackward'
            ($y * 3).Sum().Backward()
            $x.Grad.ToArray()[0] | Should -Be 3
            [math]::Abs($x.Grad.ToArray()[1] - 3 * [math]::E) | Should -BeLessThan 1e-5
        }

        It 'passes gradcheck with a script block converted to Func' {
            $x = New-Tensor -Randn -Shape 3 -DType float64 -RequiresGrad -Seed 3
            $f = [Func[PSTorch.Tensor[], PSTorch.Tensor]] { param($xs) $exp.Apply($xs[0]) }
            [PSTorch.Torch]::GradCheck($f, @($x)) | Should -BeTrue
        }

        It 'records nothing under Invoke-NoGrad' {
            $x = New-Tensor 1.0 -RequiresGrad
            (Invoke-NoGrad { $exp.Apply($x) }).GradFn | Should -BeNullOrEmpty
        }
    }

    Context 'a function of two inputs' {
        It 'takes one gradient per input, $null where none is needed' {
            $mul = New-AutogradFunction MyMul { param($ctx, $a, $b) $ctx.SaveForBackward($a, $b); $a * $b } {
                param($ctx, $grad)
                $a, $b = $ctx.SavedTensors
                $grad * $b
                if ($ctx.NeedsInputGrad[1]) { $grad * $a } else { $null }
            }
            $a = New-Tensor 2.0, 3.0 -RequiresGrad
            $b = New-Tensor 5.0, 7.0
            $mul.Apply($a, $b).Sum().Backward()
            $a.Grad.ToArray() | Should -Be @(5, 7)
            $b.Grad | Should -BeNullOrEmpty
        }
    }

    Context 'script blocks that output the wrong things' {
        It 'explains a forward that outputs more than the tensor' {
            $f = New-AutogradFunction Stray { param($ctx, $x) 42; $x * 2 } { param($ctx, $grad) $grad * 2 }
            { $f.Apply((New-Tensor 1.0 -RequiresGrad)) } | Should -Throw -ExpectedMessage "*autograd function 'Stray' must output one tensor, but it output 2 objects (Int32, Tensor)*"
        }

        It 'explains a backward that outputs a non-tensor' {
            $f = New-AutogradFunction Str { param($ctx, $x) $x * 2 } { param($ctx, $grad) 'two' }
            { $f.Apply((New-Tensor 1.0 -RequiresGrad)).Backward() } | Should -Throw -ExpectedMessage '*must output one tensor or $null per input, but output 0 is System.String*'
        }
    }
}
