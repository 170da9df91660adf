#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }
# Sorting and selection as a PowerShell user calls them: tensor members with optional arguments, (values, indices) results.

BeforeDiscovery {
    # -Skip is decided during discovery, before BeforeAll runs: ask the module whether this machine has CUDA.
    Import-Module "$PSScriptRoot/../../PSTorch.psd1" -Force
    $hasCuda = [PSTorch.Torch+Cuda]::IsAvailable()
}

BeforeAll {
    Import-Module "$PSScriptRoot/../../PSTorch.psd1" -Force
}

Describe 'Sort' {
    It 'sorts ascending by default and returns values and indices' {
        $r = (New-Tensor 3, 1, 2).Sort()
        $r.Values.ToArray() | Should -Be @(1, 2, 3)
        $r.Indices.ToArray() | Should -Be @(1, 2, 0)
        $r.Indices.DType | Should -Be ([PSTorch.DType]::Int64)
    }

    It 'takes dim and descending positionally' {
        $t = New-Tensor -Data @(@(1, 5), @(4, 2))
        $t.Sort(0, $true).Values.ToArray() | Should -Be @(4, 5, 1, 2)
        $t.Argsort(1, $true).ToArray() | Should -Be @(1, 0, 0, 1)
    }

    It 'puts NaN last and keeps ties in index order' {
        $r = (New-Tensor 2.0, ([double]::NaN), 1.0, 2.0).Sort()
        $r.Indices.ToArray() | Should -Be @(2, 0, 3, 1)
    }

    It 'sends the gradient back through the indices' {
        $x = (New-Tensor 3.0, 1.0, 2.0).RequiresGrad_()
        $x.Sort().Values.GradFn.Name | Should -Be 'SortBackward0'
        ($x.Sort().Values * (New-Tensor 10.0, 20.0, 30.0)).Sum().Backward()
        $x.Grad.ToArray() | Should -Be @(30, 10, 20)
    }

    It 'sorts on the GPU like on the CPU' -Skip:(-not $hasCuda) {
        $t = [PSTorch.Torch]::Randint(0, 5, [long[]]@(4, 100))
        $t.Cuda().Sort(1).Indices.Cpu().ToArray() | Should -Be $t.Sort(1).Indices.ToArray()
    }
}

Describe 'Selection' {
    It 'topk gives the largest k' {
        (New-Tensor 5, 1, 4, 2).Topk(2).Values.ToArray() | Should -Be @(5, 4)
        { (New-Tensor 5, 1).Topk(3) } | Should -Throw '*selected index k out of range*'
    }

    It 'median is the lower median, with or without a dim' {
        $t = New-Tensor 4, 1, 3, 2
        $t.Median().Item() | Should -Be 2
        $m = $t.Median(0)
        $m.Values.Item() | Should -Be 2
        $m.Indices.Item() | Should -Be 3
    }

    It 'unique returns values, counts and the inverse' {
        $u = [PSTorch.Torch]::Unique((New-Tensor 3, 1, 3), $true, $true, $true)
        $u.Values.ToArray() | Should -Be @(1, 3)
        $u.Inverse.ToArray() | Should -Be @(1, 0, 1)
        $u.Counts.ToArray() | Should -Be @(1, 2)
    }

    It 'searchsorted and bucketize find insertion points' {
        $seq = New-Tensor 1, 3, 5
        [PSTorch.Torch]::Searchsorted($seq, (New-Tensor 3, 4)).ToArray() | Should -Be @(1, 2)
        [PSTorch.Torch]::Bucketize((New-Tensor 3, 4), $seq, $false, $true).ToArray() | Should -Be @(2, 2)
    }
}
