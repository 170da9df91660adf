#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The user-facing contract of checkpoints and tensor files: Save-Checkpoint, Import-Checkpoint, Save-Tensor and
# Import-Tensor (safetensors files; -WhatIf, -Force, PowerShell-relative paths, errors with categories).

BeforeAll {
    Import-Module "$PSScriptRoot/../../PSTorch.psd1" -Force

    function New-SmallModel {
        New-Sequential { New-Layer Linear 3,4; New-Layer ReLU; New-Layer Linear 4,2 }
    }

    function Invoke-Step($model, $opt) {
        $opt.ZeroGrad()
        $null = $model.Call((New-Tensor -Ones -Shape 2,3)).Sum().Backward()
        $opt.Step()
    }

    function Get-Weights($model) {
        ($model.StateDict().Values | ForEach-Object { $_.ToArray[float]() -join ',' }) -join ';'
    }

    # Each test starts from the same seeded model and SGD optimizer, inside an empty TestDrive.
    function New-SeededTraining {
        Set-TorchSeed 1
        $model = New-SmallModel
        $model, (New-Optimizer SGD $model -LearningRate 0.1 -Momentum 0.9)
    }

    function Exit-TestDrive {
        Pop-Location
        Get-ChildItem TestDrive: | Remove-Item -Force
    }
}

Describe 'Save-Checkpoint' {
    BeforeEach {
        $model, $opt = New-SeededTraining
        Push-Location TestDrive:
    }
    AfterEach { Exit-TestDrive }

    It 'writes a safetensors file relative to the current PowerShell location' {
        Save-Checkpoint run.safetensors $model -Optimizer $opt -Epoch 3 -Metadata @{ loss = 0.25 }
        Test-Path TestDrive:/run.safetensors | Should -BeTrue
        $ckpt = Import-Checkpoint run.safetensors
        $ckpt.Epoch | Should -Be 3
        $ckpt.Metadata['loss'] | Should -Be '0.25'
        $ckpt.OptimizerType | Should -Be 'SGD'
        $ckpt.Model.Count | Should -Be 4
    }

    It 'writes nothing with -WhatIf' {
        Save-Checkpoint whatif.safetensors $model -WhatIf
        Test-Path TestDrive:/whatif.safetensors | Should -BeFalse
        Get-ChildItem TestDrive: | Should -BeNullOrEmpty
    }

    It 'refuses to overwrite an existing file without -Force and leaves it alone' {
        Set-Content -Path TestDrive:/taken.safetensors -Value 'precious'
        $err = { Save-Checkpoint taken.safetensors $model -ErrorAction Stop } |
            Should -Throw -PassThru -ExpectedMessage '*already exists; use -Force to overwrite it*'
        $err.CategoryInfo.Category | Should -Be 'ResourceExists'
        $err.FullyQualifiedErrorId | Should -Be 'FileExists,PSTorch.Commands.SaveCheckpointCommand'
        Get-Content TestDrive:/taken.safetensors | Should -Be 'precious'
    }

    It 'overwrites with -Force and returns the checkpoint with -PassThru' {
        Set-Content -Path TestDrive:/taken.safetensors -Value 'old'
        $ckpt = Save-Checkpoint taken.safetensors $model -Epoch 2 -Force -PassThru
        $ckpt.Epoch | Should -Be 2
        $ckpt.TensorCount | Should -Be 4
        (Import-Checkpoint taken.safetensors).Epoch | Should -Be 2
    }
}

Describe 'Import-Checkpoint' {
    BeforeEach {
        $model, $opt = New-SeededTraining
        Push-Location TestDrive:
    }
    AfterEach { Exit-TestDrive }

    It 'restores a model and optimizer so training continues exactly' {
        Invoke-Step $model $opt
        Save-Checkpoint mid.safetensors $model -Optimizer $opt -Epoch 1
        Invoke-Step $model $opt
        $expected = Get-Weights $model

        Set-TorchSeed 99
        $fresh = New-SmallModel
        $freshOpt = New-Optimizer SGD $fresh -LearningRate 0.5 -Momentum 0.9
        $ckpt = Import-Checkpoint mid.safetensors -Model $fresh -Optimizer $freshOpt
        $ckpt.Epoch | Should -Be 1
        $freshOpt.ParamGroups[0].LearningRate | Should -Be 0.1
        Invoke-Step $fresh $freshOpt
        Get-Weights $fresh | Should -Be $expected
    }

    It 'names the keys of another architecture, or reports them as warnings with -NonStrict' {
        Save-Checkpoint arch.safetensors $model
        $deeper = New-Sequential { New-Layer Linear 3,4; New-Layer ReLU; New-Layer Linear 4,2; New-Layer Linear 2,2 }
        { Import-Checkpoint arch.safetensors -Model $deeper -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*Missing key(s) in state_dict: "3.weight", "3.bias"*'

        $result = Import-Checkpoint arch.safetensors -Model $deeper -NonStrict -WarningVariable warnings -WarningAction SilentlyContinue
        $result.MissingKeys | Should -Be @('3.weight', '3.bias')
        $warnings.Count | Should -Be 1
        $warnings[0] | Should -BeLike '*3.weight, 3.bias*'
    }

    It 'reports a missing file as ObjectNotFound and a truncated one as InvalidData, with the path' {
        $err = { Import-Checkpoint nothing.safetensors -ErrorAction Stop } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.TargetObject | Should -BeLike '*nothing.safetensors'

        Save-Checkpoint cut.safetensors $model
        $bytes = [System.IO.File]::ReadAllBytes((Resolve-Path cut.safetensors).ProviderPath)
        [System.IO.File]::WriteAllBytes((Resolve-Path cut.safetensors).ProviderPath, $bytes[0..($bytes.Length - 6)])
        $err = { Import-Checkpoint cut.safetensors -ErrorAction Stop } | Should -Throw -PassThru -ExpectedMessage '*cut.safetensors*truncated*'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
    }

    It 'completes -Device' {
        $line = 'Import-Checkpoint x -Device c'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('cpu', 'cuda', 'cuda:0')
    }
}

Describe 'Save-Tensor and Import-Tensor' {
    BeforeEach { Push-Location TestDrive: }
    AfterEach { Exit-TestDrive }

    It 'round-trips one tensor' {
        $t = (New-Tensor 0,1,2,3,4,5).View(2, 3)
        Save-Tensor one.safetensors $t
        $back = Import-Tensor one.safetensors
        $back | Should -BeOfType PSTorch.Tensor
        $back.ShapeText | Should -Be '[2, 3]'
        $back.ToArray[long]() | Should -Be @(0, 1, 2, 3, 4, 5)
    }

    It 'collects piped tensors into one list' {
        (New-Tensor 1.5), (New-Tensor 2.5, 3.5) | Save-Tensor list.safetensors
        $list = Import-Tensor list.safetensors
        $list.GetType().Name | Should -Be 'Tensor[]'
        $list.Count | Should -Be 2
        $list[1].ToArray[float]() | Should -Be @(2.5, 3.5)
    }

    It 'round-trips a dictionary in its order and a state dict into a model' {
        Save-Tensor dict.safetensors ([ordered]@{ zeta = (New-Tensor 1.0); alpha = (New-Tensor 2.0, 3.0) })
        $d = Import-Tensor dict.safetensors
        @($d.Keys) | Should -Be @('zeta', 'alpha')
        $d['alpha'].ToArray[float]() | Should -Be @(2, 3)

        Set-TorchSeed 3
        $model = New-SmallModel
        Save-Tensor weights.safetensors $model.StateDict()
        $other = New-SmallModel
        $other.LoadStateDict((Import-Tensor weights.safetensors)).MissingKeys.Count | Should -Be 0
        Get-Weights $other | Should -Be (Get-Weights $model)
    }

    It 'writes nothing with -WhatIf and refuses an existing file without -Force' {
        Save-Tensor w.safetensors (New-Tensor 1, 2) -WhatIf
        Test-Path TestDrive:/w.safetensors | Should -BeFalse

        Save-Tensor w.safetensors (New-Tensor 1, 2)
        $err = { Save-Tensor w.safetensors (New-Tensor 3) -ErrorAction Stop } | Should -Throw -PassThru -ExpectedMessage '*already exists*'
        $err.CategoryInfo.Category | Should -Be 'ResourceExists'
        (Import-Tensor w.safetensors).ToArray[long]() | Should -Be @(1, 2)
        Save-Tensor w.safetensors (New-Tensor 3) -Force
        (Import-Tensor w.safetensors).ToArray[long]() | Should -Be @(3)
    }

    It 'refuses what is not tensors' {
        $err = { Save-Tensor bad.safetensors 'text' -ErrorAction Stop } | Should -Throw -PassThru -ExpectedMessage '*a tensor, a list of tensors or a dictionary of tensors*'
        $err.CategoryInfo.Category | Should -Be 'InvalidType'
        Test-Path TestDrive:/bad.safetensors | Should -BeFalse
    }
}
