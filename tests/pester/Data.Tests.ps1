BeforeAll {
    Import-Module "$PSScriptRoot/../../PSTorch.psd1" -Force
    $script:root = Join-Path ([IO.Path]::GetTempPath()) ("pstorch-pester-data-" + [guid]::NewGuid())
    New-Item -ItemType Directory $root | Out-Null

    # 10 class folders of 28x28 grayscale PNGs from the embedded sample, 12 per class.
    $script:fashion = Join-Path $root 'fashion'
    $sample = Get-Dataset FashionMnistSample -Test
    $written = @{}
    for ($i = 0; $i -lt $sample.Count; $i++) {
        $label = [int]$sample.Targets[$i]
        if ($written[$label] -ge 12) { continue }
        $dir = Join-Path $fashion "class$label"
        New-Item -ItemType Directory -Force $dir | Out-Null
        $image = [PSTorch.Vision.ToImage]::Convert($sample.GetItem($i)[0])
        $image.Save((Join-Path $dir ('{0:D3}.png' -f [int]$written[$label])))
        $written[$label] = [int]$written[$label] + 1
    }

    # dog/cat with one corrupt image: 9 files, 8 good.
    $script:dogcat = Join-Path $root 'dogcat'
    foreach ($class in @{ cat = 4; dog = 5 }.GetEnumerator()) {
        $dir = Join-Path $dogcat $class.Key
        New-Item -ItemType Directory -Force $dir | Out-Null
        for ($i = 0; $i -lt $class.Value; $i++) {
            [PSTorch.Vision.Image]::Create(8, 8, 3, [byte](20 * $i)).Save((Join-Path $dir "$i.png"))
        }
    }
    $script:corrupt = [IO.Path]::Combine($dogcat, 'cat', '2.png')
    [IO.File]::WriteAllBytes($corrupt, [byte[]](0x89, 0x50, 0x4E, 0x47, 1, 2, 3))
}

AfterAll {
    Remove-Item -Recurse -Force $root -ErrorAction SilentlyContinue
}

Describe 'Get-Dataset' {
    It 'opens an image folder with sorted classes' {
        $d = Get-Dataset ImageFolder -Path $fashion
        $d.Count | Should -Be 120
        $d.Classes[0] | Should -Be 'class0'
        $d.ClassToIdx['class9'] | Should -Be 9
    }

    It 'takes a Subset of 100 whose first sample is [1,28,28] with label 0' {
        $d = Get-Dataset ImageFolder -Path $fashion
        $s = [PSTorch.Data.Subset]::new($d, [int[]](0..99))
        $s.Count | Should -Be 100
        $s[0][0].Shape | Should -Be @(1, 28, 28)
        $s[0][1] | Should -Be 0
    }

    It 'concatenates a dataset with itself' {
        $d = Get-Dataset ImageFolder -Path $fashion
        [PSTorch.Data.ConcatDataset]::new([PSTorch.Data.Dataset[]]@($d, $d)).Count | Should -Be 240
    }

    It 'completes the dataset kinds' {
        $kinds = (TabExpansion2 -inputScript 'Get-Dataset -Kind ' -cursorColumn 18).CompletionMatches.CompletionText
        $kinds | Should -Contain 'ImageFolder'
        $kinds | Should -Contain 'FashionMnistSample'
    }

    It 'opens the embedded Fashion-MNIST sample' {
        (Get-Dataset FashionMnistSample).Count | Should -Be 6000
        (Get-Dataset FashionMnistSample -Test).Count | Should -Be 1000
    }

    It 'fails with an ObjectNotFound error for a missing folder' {
        { Get-Dataset ImageFolder -Path (Join-Path $root 'missing') -ErrorAction Stop } | Should -Throw -ErrorId 'DatasetOpenFailed,PSTorch.Commands.GetDatasetCommand'
    }
}

Describe 'New-DataLoader' {
    It 'batches a TensorDataset of randn(1000,1,28,28) into [32,1,28,28] and [32]' {
        $x = [PSTorch.Torch]::Randn([long[]](1000, 1, 28, 28))
        $y = [PSTorch.Torch]::Randint(0, 10, [long[]]@(1000))
        $loader = Get-Dataset Tensor -Tensors $x, $y | New-DataLoader -BatchSize 32 -Shuffle -Seed 1
        $loader.Count | Should -Be 32
        $first = $loader | Select-Object -First 1
        $first.Inputs.Shape | Should -Be @(32, 1, 28, 28)
        $first.Targets.Shape | Should -Be @(32)
    }

    It 'gives two epochs when enumerated twice' {
        $loader = Get-Dataset FashionMnistSample -Test | New-DataLoader -BatchSize 100 -Shuffle -Seed 2
        $a = $loader | ForEach-Object { $_.Indices[0] }
        $b = $loader | ForEach-Object { $_.Indices[0] }
        $a.Count | Should -Be 10
        ($a -join ',') | Should -Not -Be ($b -join ',')
    }

    It 'raises naming the corrupt file by default' {
        $loader = Get-Dataset ImageFolder -Path $dogcat | New-DataLoader -BatchSize 2
        { $loader | ForEach-Object { $_ } } | Should -Throw "*cat*2.png*"
    }

    It 'skips the corrupt file: 5 batches of 8 samples, one of them short' {
        $loader = Get-Dataset ImageFolder -Path $dogcat | New-DataLoader -BatchSize 2 -Shuffle -Seed 4 -BadSamples Skip
        $sizes = @($loader | ForEach-Object { $_.Size })
        $sizes.Count | Should -Be 5
        ($sizes | Measure-Object -Sum).Sum | Should -Be 8
        @($sizes | Where-Object { $_ -eq 1 }).Count | Should -Be 2
        $loader.LastEpochSkipped | Should -Be 1
    }

    It 'drops the short last batch with -DropLast' {
        $loader = Get-Dataset ImageFolder -Path $dogcat | New-DataLoader -BatchSize 2 -DropLast -BadSamples Skip
        $loader.Count | Should -Be 4
    }

    It 'loads with worker threads and a composed transform' {
        $t = New-Transform -Resize 32 -RandomHorizontalFlip -ToTensor -Normalize -Mean 0.5 -Std 0.5
        $loader = Get-Dataset ImageFolder -Path $fashion -Transform $t | New-DataLoader -BatchSize 16 -Workers 2 -Seed 1
        $shapes = $loader | ForEach-Object { $_.Inputs.Shape -join 'x' }
        $shapes[0] | Should -Be '16x1x32x32'
        $shapes.Count | Should -Be 8
    }

    It 'rejects a sampler together with -Shuffle' {
        { Get-Dataset FashionMnistSample -Test | New-DataLoader -Shuffle -Sampler ([PSTorch.Data.SequentialSampler]::new(3)) -ErrorAction Stop } |
            Should -Throw '*mutually exclusive with shuffle*'
    }
}

Describe 'WeightedRandomSampler' {
    It 'draws dogs about twice as often as cats' {
        $d = Get-Dataset ImageFolder -Path $dogcat
        $weights = [double[]]($d.Targets | ForEach-Object { if ($d.Classes[$_] -eq 'dog') { 2.0 } else { 1.0 } })
        $sampler = [PSTorch.Data.WeightedRandomSampler]::new($weights, 30000, $true, [PSTorch.Generator]::new(7))
        $dog = $d.ClassToIdx['dog']
        $dogs = @($sampler | Where-Object { $d.Targets[$_] -eq $dog }).Count
        $p = 10 / 14
        $sd = [math]::Sqrt(30000 * $p * (1 - $p))
        $dogs | Should -BeGreaterThan (30000 * $p - 3 * $sd)
        $dogs | Should -BeLessThan (30000 * $p + 3 * $sd)
    }

    It 'returns every sample once without replacement' {
        $d = Get-Dataset ImageFolder -Path $dogcat
        $sampler = [PSTorch.Data.WeightedRandomSampler]::new([double[]](1..9), 9, $false, $null)
        (@($sampler) | Sort-Object) -join ',' | Should -Be ((0..8) -join ',')
    }
}

Describe 'New-Dataset' {
    It 'builds a dataset from a script block' {
        $d = New-Dataset -Count 4 -GetItem { param($i) [double]$i, ($i % 2) }
        $d.Count | Should -Be 4
        $loader = New-DataLoader $d -BatchSize 4
        ($loader | ForEach-Object { $_.Targets.ToArray() }) -join ',' | Should -Be '0,1,0,1'
    }

    It 'labels pipeline files with a script block' {
        $d = Get-ChildItem -Recurse -Filter *.png $dogcat | Where-Object FullName -ne $corrupt | New-Dataset -Label { $_.Directory.Name }
        $d.Count | Should -Be 8
        $d.Classes | Should -Be @('cat', 'dog')
    }
}

Describe 'Export-ImageGrid' {
    It 'writes a PNG grid and honours -WhatIf' {
        $path = Join-Path $root 'grid.png'
        $batch = Get-Dataset FashionMnistSample -Test | New-DataLoader -BatchSize 16 | Select-Object -First 1
        $batch | Export-ImageGrid -Path $path -WhatIf
        Test-Path $path | Should -BeFalse
        $batch | Export-ImageGrid -Path $path -NRow 4
        Test-Path $path | Should -BeTrue
        [PSTorch.Vision.Image]::Load($path).Width | Should -Be 122
    }
}
