#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Mixed precision from PowerShell: Invoke-Autocast (torch.autocast) and [PSTorch.Amp.GradScaler].

BeforeAll {
    Import-Module "$PSScriptRoot/../../PSTorch.psd1" -Force
}

Describe 'Invoke-Autocast' {
    BeforeAll {
        $script:a = New-Tensor -Randn -Shape 3,4 -Seed 1
        $script:b = New-Tensor -Randn -Shape 4,2 -Seed 2
    }

    It 'runs matrix products in bfloat16 on the CPU and restores the state' {
        (Invoke-Autocast -Device cpu { $a.MatMul($b) }).DType | Should -Be ([PSTorch.DType]::BFloat16)
        $a.MatMul($b).DType | Should -Be ([PSTorch.DType]::Float32)
        [PSTorch.Torch]::IsAutocastEnabled('cpu') | Should -BeFalse
    }

    It 'runs losses in float32' {
        $target = New-Tensor 0, 1, 1 -DType int64
        $loss = Invoke-Autocast -Device cpu { [PSTorch.NN.Functional]::CrossEntropy($a.MatMul($b), $target) }
        $loss.DType | Should -Be ([PSTorch.DType]::Float32)
    }

    It 'honours -DType and -Disable' {
        Invoke-Autocast -Device cpu -DType float16 {
            $a.MatMul($b).DType | Should -Be ([PSTorch.DType]::Float16)
            Invoke-Autocast -Device cpu -Disable { $a.MatMul($b).DType } | Should -Be ([PSTorch.DType]::Float32)
        }
    }

    It 'restores the state after an error' {
        { Invoke-Autocast -Device cpu { throw 'boom' } } | Should -Throw -ExpectedMessage 'boom'
        [PSTorch.Torch]::IsAutocastEnabled('cpu') | Should -BeFalse
    }

    It 'refuses an unsupported dtype' {
        { Invoke-Autocast -Device cpu -DType float64 { 1 } } | Should -Throw -ExpectedMessage '*CPU Autocast only supports*'
    }
}

Describe 'GradScaler' {
    It 'skips the step and backs off when a gradient is not finite' {
        $w = [PSTorch.NN.Parameter]::new((New-Tensor 1.0, 2.0))
        $opt = New-Optimizer SGD $w -Lr 0.1
        $scaler = [PSTorch.Amp.GradScaler]::new('cpu', 1024)
        ($scaler.Scale(($w * [double]::PositiveInfinity).Sum())).Backward()
        $scaler.Step($opt) | Should -BeFalse
        $scaler.Update()
        $scaler.GetScale() | Should -Be 512
        $w.ToArray() | Should -Be @(1.0, 2.0)
    }
}
