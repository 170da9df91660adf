#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }
# The elementwise math functions from PowerShell: rounding, transcendental functions, classification, binary math,
# lerp/addcmul/addcdiv, their dtypes, in-place forms and gradients.

BeforeAll {
    Import-Module "$PSScriptRoot/../../PSTorch.psd1" -Force
}

Describe 'Rounding' {
    It 'rounds halves to even, like torch.round' {
        (New-Tensor @(0.5, 1.5, 2.5, -2.5) -DType float64).Round().ToArray() | Should -Be @(0, 2, 2, -2)
    }

    It 'rounds to decimals' {
        (New-Tensor @(1.234, -5.678) -DType float64).Round(2).ToArray() | Should -Be @(1.23, -5.68)
    }

    It 'keeps integer tensors integer' {
        $i = New-Tensor @(3, -4)
        $i.Floor().DType | Should -Be ([PSTorch.DType]::Int64)
        $i.Ceil().ToArray() | Should -Be @(3, -4)
    }

    It 'refuses bool tensors with the message PyTorch gives' {
        { (New-Tensor $true, $false).Floor() } | Should -Throw '*"floor_vml_cpu" not implemented for ''Bool''*'
    }
}

Describe 'Transcendental functions' {
    It 'promotes integers to float32' {
        (New-Tensor 1, 2).Log2().DType | Should -Be ([PSTorch.DType]::Float32)
        (New-Tensor 1, 8).Log2().ToArray() | Should -Be @(0, 3)
    }

    It 'matches [Math] in float64' {
        $inputs = 0.1, 0.5, 0.9
        $x = New-Tensor $inputs -DType float64
        $asin = $x.Asin().ToArray()
        $atanh = $x.Atanh().ToArray()
        for ($i = 0; $i -lt 3; $i++) {
            [Math]::Abs($asin[$i] - [Math]::Asin($inputs[$i])) | Should -BeLessOrEqual 1e-15
            [Math]::Abs($atanh[$i] - [Math]::Atanh($inputs[$i])) | Should -BeLessOrEqual 1e-15
        }
    }

    It 'keeps log1p exact for tiny arguments' {
        (New-Tensor 1e-20 -DType float64).Log1p().Item() | Should -Be 1e-20
    }

    It 'inverts erf with erfinv' {
        $y = New-Tensor @(-0.9, 0.25, 0.75) -DType float64
        [PSTorch.Torch]::AllClose($y.Erfinv().Erf(), $y, 1e-12, 1e-14) | Should -BeTrue
    }

    It 'refuses an in-place result the tensor cannot hold' {
        { (New-Tensor 1, 2).Sinh_() } | Should -Throw "*result type Float can't be cast to the desired output type Long*"
    }
}

Describe 'Classification' {
    It 'finds NaN and infinities as bool tensors' {
        $x = New-Tensor ([double]::NaN), ([double]::PositiveInfinity), 1 -DType float64
        $x.IsNan().ToArray() | Should -Be @($true, $false, $false)
        $x.IsInf().ToArray() | Should -Be @($false, $true, $false)
        $x.IsFinite().ToArray() | Should -Be @($false, $false, $true)
    }

    It 'sees the sign of negative zero' {
        (New-Tensor ([double]::NegativeZero), 0.0 -DType float64).Signbit().ToArray() | Should -Be @($true, $false)
    }

    It 'replaces NaN and infinities' {
        $x = New-Tensor ([double]::NaN), ([double]::NegativeInfinity) -DType float64
        $x.NanToNum(0, 1, -1).ToArray() | Should -Be @(0, -1)
    }
}

Describe 'Binary math' {
    It 'computes atan2 and hypot' {
        $angle = (New-Tensor 1 -DType float64).Atan2((New-Tensor @(-1.0) -DType float64)).Item()
        [Math]::Abs($angle - 3 * [Math]::PI / 4) | Should -BeLessOrEqual 1e-15
        (New-Tensor 3.0).Hypot((New-Tensor 4.0)).Item() | Should -Be 5
    }

    It 'ignores NaN in fmax, unlike maximum' {
        $a = New-Tensor ([double]::NaN), 1 -DType float64
        $b = New-Tensor 2, ([double]::NaN) -DType float64
        $a.Fmax($b).ToArray() | Should -Be @(2, 1)
    }

    It 'gives float64 from float_power' {
        (New-Tensor 2, 3).FloatPower(2).DType | Should -Be ([PSTorch.DType]::Float64)
    }

    It 'takes xlogy of zero as zero' {
        (New-Tensor 0.0, 2.0 -DType float64).Xlogy((New-Tensor 0.0, 1.0 -DType float64)).ToArray() | Should -Be @(0, 0)
    }
}

Describe 'Lerp, addcmul and addcdiv' {
    It 'interpolates and records LerpBackward0' {
        $start = New-Tensor 0.0, 10.0 -DType float64 -RequiresGrad
        $y = $start.Lerp((New-Tensor 4.0, 20.0 -DType float64), 0.25)
        $y.ToArray() | Should -Be @(1, 12.5)
        $y.GradFn.Name | Should -Be 'LerpBackward0'
        $y.Sum().Backward()
        $start.Grad.ToArray() | Should -Be @(0.75, 0.75)
    }

    It 'updates in place' {
        $t = New-Tensor 1.0, 2.0 -DType float64
        $null = $t.Addcmul_((New-Tensor 2.0, 3.0 -DType float64), (New-Tensor 4.0, 5.0 -DType float64), 0.5)
        $t.ToArray() | Should -Be @(5, 9.5)
        $null = $t.Addcdiv_((New-Tensor 1.0, 1.0 -DType float64), (New-Tensor 2.0, 4.0 -DType float64))
        $t.ToArray() | Should -Be @(5.5, 9.75)
    }
}
