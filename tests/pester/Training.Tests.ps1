#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The user-facing contract of training from the shell: Invoke-Training (records, -PassThru, checkpoints, -Resume,
# early stopping, mixed precision, the no-argument default run), Test-Model and Get-Prediction.

BeforeAll {
    Import-Module "$PSScriptRoot/../../PSTorch.psd1" -Force

    function New-TinyProblem {
        $x = New-Tensor -Randn -Shape 40,4 -Seed 5
        $y = $x.MatMul((New-Tensor -Randn -Shape 4,3 -Seed 6)).Argmax(1)
        $data = Get-Dataset Tensor -Tensors $x, $y
        Set-TorchSeed 3
        [pscustomobject]@{
            X     = $x
            Train = New-DataLoader $data -BatchSize 8 -Shuffle -Seed 1
            Test  = New-DataLoader $data -BatchSize 16
            Model = New-Sequential (New-Layer Linear 4,16), (New-Layer ReLU), (New-Layer Linear 16,3)
        }
    }
}

Describe 'Invoke-Training' {
    BeforeEach { $p = New-TinyProblem }

    It 'writes one record per epoch with the documented properties' {
        $records = Invoke-Training $p.Model $p.Train -ValidationLoader $p.Test -Epochs 3 -Quiet
        $records | Should -HaveCount 3
        $records.Epoch | Should -Be 1, 2, 3
        foreach ($name in 'TrainLoss', 'TrainAccuracy', 'ValidationLoss', 'ValidationAccuracy', 'LearningRate', 'Seconds', 'SamplesPerSecond') {
            $records[0].PSObject.Properties.Name | Should -Contain $name
        }
        $records[-1].ValidationAccuracy | Should -BeGreaterOrEqual 0
        $records[-1].LearningRate | Should -Be 0.001
    }

    It 'pipes into Export-Csv and Where-Object' {
        $csv = Join-Path $TestDrive 'history.csv'
        Invoke-Training $p.Model $p.Train -Epochs 2 -Quiet | Export-Csv $csv
        $rows = Import-Csv $csv
        $rows | Should -HaveCount 2
        $rows[1].Epoch | Should -Be '2'
        (Invoke-Training $p.Model $p.Train -Epochs 3 -Quiet | Where-Object Epoch -GE 2) | Should -HaveCount 2
    }

    It 'adds top-k columns with -TopK' {
        $record = Invoke-Training $p.Model $p.Train -ValidationLoader $p.Test -Epochs 1 -TopK 2 -Quiet
        $record.ValidationTop2 | Should -BeGreaterOrEqual $record.ValidationAccuracy
    }

    It 'returns the run with -PassThru and builds optimizers and losses by name' {
        $run = Invoke-Training $p.Model $p.Train -Epochs 2 -Optimizer SGD -LearningRate 0.1 -Loss CrossEntropyLoss -PassThru -Quiet
        $run | Should -BeOfType PSTorch.Training.TrainingRun
        $run.History | Should -HaveCount 2
        $run.Optimizer | Should -BeOfType PSTorch.Optim.SGD
    }

    It 'saves checkpoints relative to the current location and resumes' {
        Push-Location $TestDrive
        try {
            Invoke-Training $p.Model $p.Train -Epochs 2 -CheckpointPath run.safetensors -SaveBest -Quiet | Out-Null
            'run.safetensors', 'run.best.safetensors' | ForEach-Object { Join-Path $TestDrive $_ | Should -Exist }
            (Invoke-Training $p.Model $p.Train -Epochs 3 -CheckpointPath run.safetensors -Resume -Quiet).Epoch | Should -Be 3
        } finally { Pop-Location }
    }

    It 'gives the same weights for N epochs and k epochs + resume' {
        $straight = Invoke-Training $p.Model $p.Train -Epochs 3 -Quiet -PassThru
        $expected = $straight.Model.Parameters() | ForEach-Object { , $_.ToArray() }
        $q = New-TinyProblem
        $path = Join-Path $TestDrive 'resume.safetensors'
        Invoke-Training $q.Model $q.Train -Epochs 1 -CheckpointPath $path -Quiet | Out-Null
        $r = New-TinyProblem
        $resumed = Invoke-Training $r.Model $r.Train -Epochs 3 -CheckpointPath $path -Resume -Quiet -PassThru
        $actual = $resumed.Model.Parameters() | ForEach-Object { , $_.ToArray() }
        for ($i = 0; $i -lt $expected.Count; $i++) { $actual[$i] | Should -Be $expected[$i] }
    }

    It 'stops early when the monitored metric stops improving' {
        $run = Invoke-Training $p.Model $p.Train -ValidationLoader $p.Test -Epochs 10 -Optimizer SGD -LearningRate 0 -EarlyStoppingPatience 1 -PassThru -Quiet
        $run.StoppedEarly | Should -BeTrue
        $run.History | Should -HaveCount 2
    }

    It 'trains in mixed precision with -MixedPrecision and keeps float32 parameters' {
        $run = Invoke-Training $p.Model $p.Train -Epochs 4 -LearningRate 0.05 -MixedPrecision -PassThru -Quiet
        $run.History[-1].TrainLoss | Should -BeLessThan $run.History[0].TrainLoss
        $run.Model.Parameters() | ForEach-Object { $_.DType | Should -Be ([PSTorch.DType]::Float32) }
    }

    It 'keeps the float16 loss scale in the checkpoint' {
        $path = Join-Path $TestDrive 'amp.safetensors'
        Invoke-Training $p.Model $p.Train -Epochs 1 -MixedPrecision -AutocastDType float16 -CheckpointPath $path -Quiet | Out-Null
        (Import-Checkpoint $path).Scaler['scale'] | Should -Be 65536
        (Invoke-Training $p.Model $p.Train -Epochs 2 -MixedPrecision -AutocastDType float16 -CheckpointPath $path -Resume -Quiet).Epoch | Should -Be 2
    }

    It 'refuses -AutocastDType without -MixedPrecision' {
        { Invoke-Training $p.Model $p.Train -AutocastDType float16 -Quiet } | Should -Throw -ErrorId 'InvalidTrainingOptions,PSTorch.Commands.InvokeTrainingCommand'
    }

    It 'refuses an unknown optimizer name' {
        { Invoke-Training $p.Model $p.Train -Optimizer Nesterov -Quiet } | Should -Throw -ErrorId 'InvalidTrainingOptions,PSTorch.Commands.InvokeTrainingCommand'
    }

    It 'trains the default classifier with no model or data given' {
        $record = Invoke-Training -Epochs 1 -Quiet
        $record.ValidationAccuracy | Should -BeGreaterThan 0.6
    }
}

Describe 'Test-Model' {
    It 'reports accuracy, per-class accuracy and a confusion matrix' {
        $p = New-TinyProblem
        $result = Test-Model $p.Model $p.Test -ClassNames a, b, c -TopK 2
        $result.Samples | Should -Be 40
        $result.ConfusionMatrix.ClassNames | Should -Be 'a', 'b', 'c'
        ($result.GetClassAccuracies() | Measure-Object Support -Sum).Sum | Should -Be 40
        $result.TopKAccuracy[2] | Should -BeGreaterOrEqual $result.Accuracy
        ($result | Out-String) | Should -Match 'Confusion matrix'
    }
}

Describe 'Get-Prediction' {
    BeforeAll { $p = New-TinyProblem }

    It 'predicts every sample of a batch tensor and a single sample' {
        $predictions = $p.X | Get-Prediction $p.Model -ClassNames a, b, c
        $predictions | Should -HaveCount 40
        $predictions[0].ClassName | Should -BeIn 'a', 'b', 'c'
        (Get-Prediction $p.Model $p.X.Index(0)).ClassIndex | Should -Be $predictions[0].ClassIndex
    }

    It 'predicts image files from Get-ChildItem' {
        foreach ($level in 0, 255) {
            $image = [PSTorch.Vision.Image]::Create(2, 2, 1, $level)
            $image.Save((Join-Path $TestDrive "gray$level.png")); $image.Dispose()
        }
        $flat = New-Sequential (New-Layer Flatten), $p.Model
        $predictions = Get-ChildItem $TestDrive -Filter *.png | Get-Prediction $flat -Transform (New-Transform -Grayscale 1 -ToTensor)
        $predictions | Should -HaveCount 2
        $predictions.Input | Should -Be (Get-ChildItem $TestDrive -Filter *.png).FullName
    }
}
