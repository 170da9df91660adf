#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }
# The user-facing contract of the scans (cumsum, cumprod, cummax, logcumsumexp) and structural ops (flip, roll,
# tril/triu, diagonal, einsum, stacks, bincount).

BeforeAll {
    Import-Module "$PSScriptRoot/../../PSTorch.psd1" -Force
}

Describe 'Scans' {
    It 'cumsum of integers gives int64 running sums' {
        $y = (New-Tensor 1,2,3,4).Cumsum(0)
        $y.DType | Should -Be ([PSTorch.DType]::Int64)
        $y.ToArray() | Should -Be @(1, 3, 6, 10)
    }

    It 'cumprod has an exact gradient with a zero in the input' {
        $x = New-Tensor -Data @(2.0, 0.0, 3.0) -RequiresGrad
        $x.Cumprod(0).Sum().Backward()
        $x.Grad.ToArray() | Should -Be @(1, 8, 0)
        $x.Cumprod(0).GradFn.Name | Should -Be 'CumprodBackward0'
    }

    It 'cummax returns values and the index of the last tie' {
        $r = (New-Tensor 1,3,2,3).Cummax(0)
        $r.Values.ToArray() | Should -Be @(1, 3, 3, 3)
        $r.Indices.ToArray() | Should -Be @(0, 1, 1, 3)
    }

    It 'logcumsumexp does not overflow' {
        $y = (New-Tensor -Data @(1000.0, 1000.0)).Logcumsumexp(0)
        $y[1].Item() | Should -BeGreaterThan 1000.69
    }
}

Describe 'Structure' {
    It 'flips and rolls' {
        (New-Tensor 1,2,3).Flip(0).ToArray() | Should -Be @(3, 2, 1)
        (New-Tensor 1,2,3,4,5).Roll(2).ToArray() | Should -Be @(4, 5, 1, 2, 3)
        $m = New-Tensor -Data @(@(1,2),@(3,4))
        $m.Rot90().ToArray() | Should -Be @(2, 4, 1, 3)
    }

    It 'keeps a triangle with tril and triu' {
        $m = [PSTorch.Torch]::Ones(3, 3)
        $m.Tril().Sum().Item() | Should -Be 6
        $m.Triu(1).Sum().Item() | Should -Be 3
    }

    It 'diagonal is a view of the base tensor' {
        $m = [PSTorch.Torch]::Zeros(3, 3)
        $d = $m.Diagonal()
        $d[1] = 5
        $m[1, 1].Item() | Should -Be 5
    }

    It 'einsum multiplies matrices and takes traces' {
        $a = New-Tensor -Data @(@(1,2),@(3,4))
        $b = New-Tensor -Data @(@(5,6),@(7,8))
        [PSTorch.Torch]::Einsum('ij,jk->ik', $a, $b).ToArray() | Should -Be @(19, 22, 43, 50)
        [PSTorch.Torch]::Einsum('ii', $a).Item() | Should -Be 5
    }

    It 'stacks vectors into rows and columns' {
        $a = New-Tensor 1,2
        $b = New-Tensor 3,4
        [PSTorch.Torch]::Vstack($a, $b).Shape | Should -Be @(2, 2)
        [PSTorch.Torch]::ColumnStack($a, $b).ToArray() | Should -Be @(1, 3, 2, 4)
        [PSTorch.Torch]::Hstack($a, $b).ToArray() | Should -Be @(1, 2, 3, 4)
    }

    It 'counts with bincount and histc' {
        (New-Tensor 0,1,1,3).Bincount().ToArray() | Should -Be @(1, 2, 0, 1)
        (New-Tensor -Data @(1.0, 2.0, 1.0)).Histc(4, 0, 3).ToArray() | Should -Be @(0, 2, 1, 0)
    }

    It 'says what PyTorch says for a bad call' {
        { (New-Tensor 1,2,3).Tril() } | Should -Throw '*tril: input tensor must have at least 2 dimensions*'
    }
}
