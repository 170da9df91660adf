#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The added torch.nn layers and losses from the shell: activations, normalisation, padding, pixel shuffle, 1-d pools
# and the three-input losses, built with New-Layer / New-LossFunction by PyTorch's constructor arguments.

BeforeAll {
    Import-Module "$PSScriptRoot/../../PSTorch.psd1" -Force
}

Describe 'New-Layer with the added layers' {
    It 'GroupNorm normalises each group of a sample to mean 0' {
        $gn = New-Layer GroupNorm 2,4
        $gn.ToString() | Should -Be 'GroupNorm(2, 4, eps=1e-05, affine=True)'
        $y = $gn.Call((New-Tensor -Randn -Shape 3,4,5 -Seed 1))
        $y.Shape | Should -Be @(3, 4, 5)
        [Math]::Abs($y.Reshape(3, 2, 10).Mean(2).Abs().Max().Item()) | Should -BeLessThan 1e-5
    }

    It 'Softplus reverts to the input above the threshold' {
        $softplus = New-Layer Softplus -Beta 1 -Threshold 20
        $softplus.ToString() | Should -Be 'Softplus(beta=1.0, threshold=20.0)'
        $y = $softplus.Call((New-Tensor 0.0, 30.0 -DType float64))
        $y.ToArray()[0] | Should -BeGreaterThan 0.6931
        $y.ToArray()[0] | Should -BeLessThan 0.6932
        $y.ToArray()[1] | Should -Be 30
    }

    It 'ReflectionPad2d mirrors the edges' {
        $pad = New-Layer ReflectionPad2d 1
        $pad.ToString() | Should -Be 'ReflectionPad2d((1, 1, 1, 1))'
        $x = (New-Tensor 1.0, 2.0, 3.0, 4.0).Reshape(1, 1, 2, 2)
        $pad.Call($x).Shape | Should -Be @(1, 1, 4, 4)
        $pad.Call($x).Reshape(-1).ToArray()[0] | Should -Be 4
    }

    It 'PixelShuffle turns channels into a larger image' {
        (New-Layer PixelShuffle 2).Call((New-Tensor -Randn -Shape 1,8,3,3)).Shape | Should -Be @(1, 2, 6, 6)
    }

    It 'Upsample doubles an image bilinearly' {
        $up = New-Layer Upsample -ScaleFactor 2 -Mode bilinear
        $x = (New-Tensor 1.0, 2.0, 3.0, 4.0 -DType float64).Reshape(1, 1, 2, 2)
        $up.Call($x).Reshape(-1).ToArray()[0..3] | Should -Be @(1, 1.25, 1.75, 2)
    }

    It 'a Sequential of the added layers trains a step' {
        $net = New-Sequential { New-Layer Linear 4,8; New-Layer Mish; New-Layer Linear 8,1 }
        $loss = (New-LossFunction HingeEmbeddingLoss).Call($net.Call((New-Tensor -Randn -Shape 6,4 -Seed 2)).Reshape(-1), (New-Tensor @(1.0, -1.0, 1.0, -1.0, 1.0, -1.0)))
        $loss.Backward()
        $net.Parameters() | ForEach-Object { $_.Grad | Should -Not -BeNullOrEmpty }
    }
}

Describe 'New-LossFunction with three inputs' {
    It 'MarginRankingLoss is called with input1, input2 and target' {
        $loss = New-LossFunction MarginRankingLoss -Margin 0.5
        $value = $loss.Call((New-Tensor 1.0, 2.0), (New-Tensor 2.0, 0.0), (New-Tensor 1.0, 1.0)).Item()
        # max(0, -(1 - 2) + 0.5) = 1.5 and max(0, -(2 - 0) + 0.5) = 0: mean 0.75
        $value | Should -Be 0.75
    }
}
