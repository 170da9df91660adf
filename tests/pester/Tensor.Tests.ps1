#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }
# The user-facing contract of New-Tensor, tensor operators, formatting, completion and help.

BeforeDiscovery {
    # -Skip is decided during discovery, before BeforeAll runs: ask the module whether this machine has CUDA.
    Import-Module "$PSScriptRoot/../../PSTorch.psd1" -Force
    $hasCuda = [PSTorch.Torch+Cuda]::IsAvailable()
}

BeforeAll {
    Import-Module "$PSScriptRoot/../../PSTorch.psd1" -Force
}

Describe 'New-Tensor' {
    Context 'from data' {
        It 'makes int64 from integer arguments, like Python ints' {
            $t = New-Tensor 1,2,3
            $t | Should -BeOfType ([PSTorch.Tensor])
            $t.DType | Should -Be ([PSTorch.DType]::Int64)
            $t.Shape | Should -Be @(3)
            $t.ToArray() | Should -Be @(1, 2, 3)
        }

        It 'makes the default float dtype from floating-point values' {
            (New-Tensor 1.5, 2).DType | Should -Be ([PSTorch.DType]::Float32)
        }

        It 'builds dimensions from nested arrays' {
            $t = New-Tensor -Data @(@(1,2),@(3,4))
            $t.Shape | Should -Be @(2, 2)
            $t.ToArray() | Should -Be @(1, 2, 3, 4)
        }

        It 'collects piped values into one tensor' {
            $out = @(1..6 | New-Tensor)
            $out.Count | Should -Be 1
            $out[0].Shape | Should -Be @(6)
        }

        It 'builds rows from piped arrays' {
            (@(1,2),@(3,4) | New-Tensor).Shape | Should -Be @(2, 2)
        }

        It 'accepts dtype names and aliases' -TestCases @(
            @{ Name = 'float64'; Expected = 'Float64' }
            @{ Name = 'torch.float32'; Expected = 'Float32' }
            @{ Name = 'float'; Expected = 'Float32' }
            @{ Name = 'long'; Expected = 'Int64' }
        ) {
            (New-Tensor 1,2 -DType $Name).DType.ToString() | Should -BeExactly $Expected
        }
    }

    Context 'factories' {
        It 'fills zeros, ones and a value' {
            (New-Tensor -Zeros -Shape 2,3).ToArray() | Should -Be @(0, 0, 0, 0, 0, 0)
            (New-Tensor -Ones -Shape 2).ToArray() | Should -Be @(1, 1)
            (New-Tensor -Full -Shape 2 -Value 7).ToArray() | Should -Be @(7, 7)
        }

        It 'takes shape and dtype from -Like' {
            $t = New-Tensor -Zeros -Shape 2,3 -DType float64
            $o = New-Tensor -Ones -Like $t
            $o.Shape | Should -Be @(2, 3)
            $o.DType | Should -Be ([PSTorch.DType]::Float64)
        }

        It 'repeats random draws with the same seed' {
            $a = New-Tensor -Rand -Shape 5 -Seed 11
            $b = New-Tensor -Rand -Shape 5 -Seed 11
            $a.ToArray() | Should -Be $b.ToArray()
            $a.ToArray() | ForEach-Object { $_ | Should -BeGreaterOrEqual 0; $_ | Should -BeLessThan 1 }
        }

        It 'repeats draws after Set-TorchSeed' {
            Set-TorchSeed 42; $a = New-Tensor -Randn -Shape 4
            Set-TorchSeed 42; $b = New-Tensor -Randn -Shape 4
            $a.ToArray() | Should -Be $b.ToArray()
        }

        It 'draws integers in [Low, High)' {
            $t = New-Tensor -Randint -Low 2 -High 5 -Shape 200 -Seed 3
            $t.DType | Should -Be ([PSTorch.DType]::Int64)
            $t.ToArray() | ForEach-Object { $_ | Should -BeIn @(2, 3, 4) }
        }

        It 'makes arange int64 from integers and linspace inclusive' {
            $a = New-Tensor -Arange -End 12
            $a.DType | Should -Be ([PSTorch.DType]::Int64)
            $a.ToArray() | Should -Be (0..11)
            (New-Tensor -Linspace -Start 0 -End 1 -Steps 5).ToArray() | Should -Be @(0, 0.25, 0.5, 0.75, 1)
        }

        It 'makes an identity matrix' {
            (New-Tensor -Eye 3).ToArray() | Should -Be @(1, 0, 0, 0, 1, 0, 0, 0, 1)
        }
    }

    Context 'errors' {
        It 'refuses ragged data as InvalidData' {
            $err = { New-Tensor -Data @(@(1,2),@(3)) } | Should -Throw -PassThru -ExpectedMessage '*expected sequence of length 2 at dim 1 (got 1)*'
            $err.CategoryInfo.Category | Should -Be 'InvalidData'
            $err.FullyQualifiedErrorId | Should -BeLike 'InvalidTensorData,*'
        }

        It 'refuses an unknown dtype as InvalidArgument naming it' {
            $err = { New-Tensor 1 -DType float33 } | Should -Throw -PassThru -ExpectedMessage "*Unknown dtype 'float33'*"
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.TargetObject | Should -BeExactly 'float33'
        }

        It 'parses cuda and refuses it when CUDA is unavailable' -Skip:$hasCuda {
            $err = { New-Tensor 1,2 -Device cuda } | Should -Throw -PassThru -ExpectedMessage 'CUDA unavailable: *'
            $err.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
            $err.TargetObject | Should -BeExactly 'cuda:0'
        }

        It 'keeps the CPU as the default device when CUDA is unavailable' -Skip:$hasCuda {
            { [PSTorch.Torch]::SetDefaultDevice('cuda') } | Should -Throw -ExpectedMessage '*CUDA unavailable: *'
            [PSTorch.Torch]::GetDefaultDevice().ToString() | Should -Be 'cpu'
            (New-Tensor -Zeros -Shape 2).Device.ToString() | Should -Be 'cpu'
        }

        It 'pins nothing without CUDA: a -PinMemory loader gives ordinary tensors' -Skip:$hasCuda {
            $data = Get-Dataset Tensor -Tensors (New-Tensor -Arange -Start 0 -End 8).View(8, 1), (New-Tensor -Arange -Start 0 -End 8)
            $loader = New-DataLoader $data -BatchSize 4 -PinMemory
            foreach ($b in $loader) { $batch = $b; break }
            $batch.Inputs.IsPinned | Should -BeFalse
            $batch.Targets.ToArray[long]() | Should -Be 0, 1, 2, 3
            { (New-Tensor 1, 2).PinMemory() } | Should -Throw -ExpectedMessage '*CUDA unavailable: *'
        }

        It 'refuses a bad device name as InvalidArgument' {
            $err = { New-Tensor 1 -Device tpu } | Should -Throw -PassThru
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        }
    }
}

Describe 'Tensor operators' {
    BeforeAll {
        $a = New-Tensor 1.0, 2.0, 3.0
        $b = New-Tensor 4.0, 5.0, 6.0
        $i = New-Tensor 1, 2, 3
    }

    It 'adds, subtracts, multiplies and divides elementwise' {
        ($a + $b).ToArray() | Should -Be @(5, 7, 9)
        ($a - $b).ToArray() | Should -Be @(-3, -3, -3)
        ($a * $b).ToArray() | Should -Be @(4, 10, 18)
        ($b / $a).ToArray() | Should -Be @(4, 2.5, 2)
    }

    It 'supports scalars on either side and unary minus' {
        ($a * 3).ToArray() | Should -Be @(3, 6, 9)
        (3 * $a).ToArray() | Should -Be @(3, 6, 9)
        (10 - $a).ToArray() | Should -Be @(9, 8, 7)
        (-$a).ToArray() | Should -Be @(-1, -2, -3)
    }

    It 'keeps integer tensors integral with integer literals' {
        ($i * 3).DType | Should -Be ([PSTorch.DType]::Int64)
        (3 * $i).DType | Should -Be ([PSTorch.DType]::Int64)
        ($i * 2.5).DType | Should -Be ([PSTorch.DType]::Float32)
    }

    It 'broadcasts scalars and shapes' {
        ($a * 3 + 2).ToArray() | Should -Be @(5, 8, 11)
        ((New-Tensor -Ones -Shape 1,3) + (New-Tensor -Randn -Shape 1,3)).Shape | Should -Be @(1, 3)
    }

    It 'compares through methods' {
        $a.Gt(1.5).ToArray() | Should -Be @($false, $true, $true)
    }

    It 'multiplies matrices' {
        $row = New-Tensor -Data @(,@(1.0, 2.0, 3.0))
        $col = $row.T()
        $row.MatMul($col).Shape | Should -Be @(1, 1)
        $row.MatMul($col).Item() | Should -Be 14
        $col.MatMul($row).Shape | Should -Be @(3, 3)
    }

    It 'is not enumerated by the pipeline' {
        $t = New-Tensor 1, 2, 3, 4
        $out = @($t | ForEach-Object { $_ })
        $out.Count | Should -Be 1
        [object]::ReferenceEquals($out[0], $t) | Should -BeTrue
    }
}

Describe 'Views' {
    It 'refuses view on a transposed tensor and reshapes instead' {
        $a = (New-Tensor -Arange -End 12).View(3, 4)
        $b = $a.T()
        $b.IsContiguous() | Should -BeFalse
        { $b.View(-1) } | Should -Throw -ExpectedMessage '*view size is not compatible*'
        $f = $b.Flatten()
        $f.SharesStorageWith($a) | Should -BeFalse
        $f.ToArray() | Should -Be @(0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11)
        $b.Reshape(-1).Shape | Should -Be @(12)
    }

    It 'indexes several dimensions in square brackets like Python' {
        $t = (New-Tensor -Arange -End 12).View(3, 4)
        $t['1:3', ':'].Shape | Should -Be @(2, 4)
        $t[1, 2].Item() | Should -Be 6
        $t[-1, '::2'].ToArray() | Should -Be @(8, 10)
        $t['...', 0].ToArray() | Should -Be @(0, 4, 8)
    }

    It 'assigns through square brackets, writing into the storage' {
        $t = (New-Tensor -Arange -End 12).View(3, 4)
        $row = $t[0]
        $t[0] = 100
        $t[1, '2:'] = -1
        $row.ToArray() | Should -Be @(100, 100, 100, 100)
        $t[1].ToArray() | Should -Be @(4, 5, -1, -1)
    }
}

Describe 'Formatting' {
    It 'prints like PyTorch' {
        (New-Tensor 1, 2, 3).ToString() | Should -BeExactly 'tensor([1, 2, 3])'
        (New-Tensor 1.5, 2).ToString() | Should -BeExactly 'tensor([1.5000, 2.0000])'
    }

    It 'uses the printed text as the default view' {
        $t = New-Tensor -Data @(@(1, 2), @(3, 4))
        # Out-String ends its lines with the platform's newline; the tensor's text uses `n.
        (($t | Out-String) -replace "`r`n", "`n").Trim() | Should -BeExactly $t.ToString()
    }

    It 'has a table view with shape, dtype, device, requires_grad and grad_fn' {
        $t = (New-Tensor -Ones -Shape 2, 3 -RequiresGrad) * 2
        $text = $t | Format-Table | Out-String
        $text | Should -BeLike '*Shape*DType*Device*RequiresGrad*GradFn*'
        $text | Should -BeLike '*`[2, 3`]*torch.float32*cpu*True*MulBackward0*'
    }

    It 'shows a device as its name' {
        ((New-Tensor 1).Device | Out-String).Trim() | Should -BeExactly 'cpu'
    }

    It 'registers format data for PSTorch.Tensor' {
        $views = (Get-FormatData -TypeName PSTorch.Tensor).FormatViewDefinition
        $views.Name | Should -Contain 'PSTorch.Tensor'
        $views.Name | Should -Contain 'PSTorch.Tensor.Table'
    }
}

Describe 'Completion and help' {
    It 'completes dtypes' {
        $line = 'New-Tensor 1 -DType fl'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('float16', 'float32', 'float64')
    }

    It 'completes devices' {
        $line = 'New-Tensor 1 -Device cu'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('cuda', 'cuda:0')
    }

    It 'has help with examples for <Name>' -TestCases @(
        @{ Name = 'New-Tensor' }, @{ Name = 'Invoke-NoGrad' }, @{ Name = 'Invoke-EnableGrad' }, @{ Name = 'Set-TorchSeed' }, @{ Name = 'New-AutogradFunction' },
        @{ Name = 'Get-Dataset' }, @{ Name = 'New-Dataset' }, @{ Name = 'New-DataLoader' }, @{ Name = 'New-Transform' }, @{ Name = 'Export-ImageGrid' }
    ) {
        $help = Get-Help $Name -Examples
        $help.Synopsis | Should -Not -BeLike "$Name *"
        @($help.examples.example).Count | Should -BeGreaterOrEqual 2
    }
}
