#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }
# Sampling and the numpy-style tensor ops from PowerShell: multinomial, the in-place distributions, cov, cdist, tile.

BeforeDiscovery {
    # -Skip is decided during discovery, before BeforeAll runs: ask the module whether this machine has CUDA.
    Import-Module "$PSScriptRoot/../../PSTorch.psd1" -Force
    $hasCuda = [PSTorch.Torch+Cuda]::IsAvailable()
}

BeforeAll {
    Import-Module "$PSScriptRoot/../../PSTorch.psd1" -Force
}

Describe 'Sampling' {
    It 'draws multinomial samples reproducibly from a seeded generator' {
        $weights = New-Tensor 0.0, 1.0, 3.0
        $first = [PSTorch.Torch]::Multinomial($weights, 1000, $true, [PSTorch.Generator]::new(7))
        $again = [PSTorch.Torch]::Multinomial($weights, 1000, $true, [PSTorch.Generator]::new(7))
        $first.DType | Should -Be ([PSTorch.DType]::Int64)
        $first.Equal($again) | Should -BeTrue
        $counts = $first.Bincount($null, 3).ToArray()
        $counts[0] | Should -Be 0
        $counts[2] | Should -BeGreaterThan $counts[1]
    }

    It 'samples without replacement as distinct categories' {
        $rows = [PSTorch.Torch]::Multinomial([PSTorch.Torch]::Ones(4, 6), 6, $false, [PSTorch.Generator]::new(1))
        foreach ($row in $rows.Unbind(0)) { ($row.ToArray() | Sort-Object -Unique).Count | Should -Be 6 }
    }

    It 'reports an empty distribution as PyTorch does' {
        { [PSTorch.Torch]::Multinomial([PSTorch.Torch]::Zeros(3), 1, $true, $null) } |
            Should -Throw '*invalid multinomial distribution (sum of probabilities <= 0)*'
    }

    It 'fills tensors in place from exponential and geometric distributions' {
        $e = [PSTorch.Torch]::Empty(1000).Exponential_(2.0, [PSTorch.Generator]::new(3))
        $e.Min().Item() | Should -BeGreaterOrEqual 0
        $e.Mean().Item() | Should -BeGreaterThan 0.4
        $e.Mean().Item() | Should -BeLessThan 0.6
        $g = [PSTorch.Torch]::Zeros(@(500), [PSTorch.DType]::Int64, $null, $false).Geometric_(0.5, $null)
        $g.Min().Item() | Should -BeGreaterOrEqual 1
    }

    It 'samples on the GPU' -Skip:(-not $hasCuda) {
        $weights = [PSTorch.Torch]::Ones(2, 5).Cuda()
        $samples = [PSTorch.Torch]::Multinomial($weights, 5, $false, $null)
        $samples.Device.ToString() | Should -BeLike 'cuda*'
        $samples.Cpu().Sort(1, $false, $false).Values.Equal([PSTorch.Torch]::Arange(5).Repeat(2, 1)) | Should -BeTrue
    }
}

Describe 'numpy-style ops' {
    It 'computes a covariance matrix and pairwise distances' {
        $x = [PSTorch.Torch]::FromArray([double[]](1, 2, 3, 2, 4, 6), [long[]](2, 3), $null, $false)
        [PSTorch.Torch]::Cov($x, 1, $null, $null).ToArray() | Should -Be @(1.0, 2.0, 2.0, 4.0)
        $d = [PSTorch.Torch]::Cdist($x, $x, 2.0)
        $d.Shape | Should -Be @(2, 2)
        $d.Diagonal(0, 0, 1).ToArray() | Should -Be @(0.0, 0.0)
    }

    It 'tiles and takes values along a dim' {
        $x = New-Tensor 10, 30, 20
        $x.Tile(2).ToArray() | Should -Be @(10, 30, 20, 10, 30, 20)
        $x.TakeAlongDim($x.Argsort(-1, $true, $false), 0).ToArray() | Should -Be @(30, 20, 10)
        [PSTorch.Torch]::TrilIndices(2, 2, 0, $null, $null).ToArray() | Should -Be @(0, 1, 1, 0, 0, 1)
    }
}
