#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }
# Logs and benchmarks from PowerShell: Write-TensorBoard (event files read back here with their CRCs), Export-TrainingPlot and Measure-Op.

BeforeDiscovery {
    # -Skip is decided during discovery, before BeforeAll runs: ask the module whether this machine has CUDA.
    Import-Module "$PSScriptRoot/../../PSTorch.psd1" -Force
    $hasCuda = [PSTorch.Torch+Cuda]::IsAvailable()
}

BeforeAll {
    Import-Module "$PSScriptRoot/../../PSTorch.psd1" -Force

    # Bitwise CRC-32C and TFRecord's mask, written here from the format's description (not the module's code).
    function Get-Crc32C([byte[]]$Bytes, [int]$Offset, [int]$Count) {
        [uint32]$crc = [uint32]::MaxValue
        for ($i = $Offset; $i -lt $Offset + $Count; $i++) {
            $crc = $crc -bxor $Bytes[$i]
            for ($k = 0; $k -lt 8; $k++) {
                if ($crc -band 1) { $crc = ($crc -shr 1) -bxor [uint32]2197175160 } else { $crc = $crc -shr 1 }
            }
        }
        [uint32]($crc -bxor [uint32]::MaxValue)
    }

    function Get-MaskedCrc([uint32]$Crc) {
        $c = [uint64]$Crc
        $rotated = (($c -shr 15) -bor ($c -shl 17)) -band [uint64]4294967295
        [uint32](($rotated + [uint64]2726488792) % [uint64]4294967296)
    }

    # The payloads of the TFRecords in an event file; throws on a bad CRC.
    function Read-TFRecords([string]$Path) {
        $bytes = [IO.File]::ReadAllBytes($Path)
        $p = 0
        while ($p -lt $bytes.Length) {
            $length = [int][BitConverter]::ToUInt64($bytes, $p)
            if ((Get-MaskedCrc (Get-Crc32C $bytes $p 8)) -ne [BitConverter]::ToUInt32($bytes, $p + 8)) { throw "bad length CRC at $p" }
            if ((Get-MaskedCrc (Get-Crc32C $bytes ($p + 12) $length)) -ne [BitConverter]::ToUInt32($bytes, $p + 12 + $length)) { throw "bad data CRC at $p" }
            , [byte[]]$bytes[($p + 12)..($p + 11 + $length)]
            $p += 16 + $length
        }
    }

    function Get-EventFile([string]$LogDir) {
        $folder = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($LogDir)
        @([IO.DirectoryInfo]::new($folder).GetFiles('events.out.tfevents.*'))
    }

    function Get-SampleHistory {
        1..3 | ForEach-Object {
            [pscustomobject]@{ Epoch = $_; TrainLoss = 1.0 / $_; TrainAccuracy = 0.5 + 0.1 * $_; ValidationLoss = 1.5 / $_
                               ValidationAccuracy = 0.4 + 0.1 * $_; LearningRate = 0.001; Note = 'text' }
        }
    }

    # Width and height from a PNG's IHDR chunk (big-endian at bytes 16 and 20).
    function Get-PngSize([string]$Path) {
        $b = [IO.File]::ReadAllBytes($Path)
        if ($b[1] -ne 0x50 -or $b[2] -ne 0x4E -or $b[3] -ne 0x47) { throw "$Path is not a PNG" }
        [pscustomobject]@{
            Width  = ([int]$b[16] -shl 24) -bor ([int]$b[17] -shl 16) -bor ([int]$b[18] -shl 8) -bor $b[19]
            Height = ([int]$b[20] -shl 24) -bor ([int]$b[21] -shl 16) -bor ([int]$b[22] -shl 8) -bor $b[23]
        }
    }
}

Describe 'Write-TensorBoard' {
    It 'writes a scalar event file that is readable at once' {
        Write-TensorBoard -LogDir TestDrive:/runs/a -Tag loss -Value 0.5 -Step 1
        $files = @(Get-EventFile TestDrive:/runs/a)
        $files.Count | Should -Be 1
        $files[0].Name | Should -Match '^events\.out\.tfevents\.\d+\.'
        $records = @(Read-TFRecords $files[0].FullName)
        $records.Count | Should -Be 2
        [Text.Encoding]::UTF8.GetString($records[0]) | Should -BeLike '*brain.Event:2*'
        [Text.Encoding]::UTF8.GetString($records[1]) | Should -BeLike '*loss*'
    }

    It 'appends later calls to the same file' {
        Write-TensorBoard TestDrive:/runs/b -Tag loss -Value 1 -Step 1
        Write-TensorBoard TestDrive:/runs/b -Tag loss -Value 2 -Step 2
        $files = @(Get-EventFile TestDrive:/runs/b)
        $files.Count | Should -Be 1
        @(Read-TFRecords $files[0].FullName).Count | Should -Be 3
    }

    It 'logs every numeric property of piped records and passes them on to Export-Csv' {
        Get-SampleHistory | Write-TensorBoard -LogDir TestDrive:/runs/c -PassThru | Export-Csv TestDrive:/history.csv
        @(Import-Csv TestDrive:/history.csv).Count | Should -Be 3
        # per record: TrainLoss, TrainAccuracy, ValidationLoss, ValidationAccuracy, LearningRate (Epoch is the step, Note is text)
        @(Read-TFRecords (Get-EventFile TestDrive:/runs/c)[0].FullName).Count | Should -Be (1 + 3 * 5)
    }

    It 'writes only the named properties with -Property' {
        Get-SampleHistory | Write-TensorBoard TestDrive:/runs/d -Property TrainLoss
        @(Read-TFRecords (Get-EventFile TestDrive:/runs/d)[0].FullName).Count | Should -Be 4
    }

    It 'writes histograms, images and text' {
        Write-TensorBoard TestDrive:/runs/e -Tag weights -Histogram (New-Tensor -Randn -Shape 100) -Step 1
        Write-TensorBoard TestDrive:/runs/e -Tag images -Image (New-Tensor -Rand -Shape 4, 1, 8, 8) -Step 1
        Write-TensorBoard TestDrive:/runs/e -Tag notes -Text 'hello' -Step 1
        $records = @(Read-TFRecords (Get-EventFile TestDrive:/runs/e)[0].FullName)
        $records.Count | Should -Be 4
        [Text.Encoding]::UTF8.GetString($records[3]) | Should -BeLike '*notes/text_summary*hello*'
    }

    It 'reports a tensor that is not an image as a non-terminating error' {
        Write-TensorBoard TestDrive:/runs/f -Tag bad -Image (New-Tensor -Zeros -Shape 5, 4, 4) -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }
}

Describe 'Export-TrainingPlot' {
    It 'draws the piped records into a PNG of the asked size' {
        $file = Get-SampleHistory | Export-TrainingPlot TestDrive:/loss.png -Width 640 -Height 400 -Title 'Run a' -PassThru
        $file | Should -BeOfType ([IO.FileInfo])
        $size = Get-PngSize $file.FullName
        $size.Width | Should -Be 640
        $size.Height | Should -Be 400
    }

    It 'needs -Force to replace a file, and -WhatIf writes nothing' {
        Set-Content TestDrive:/plot.png 'old'
        { Get-SampleHistory | Export-TrainingPlot TestDrive:/plot.png -ErrorAction Stop } | Should -Throw '*-Force*'
        Get-SampleHistory | Export-TrainingPlot TestDrive:/plot.png -Force -WhatIf
        Get-Content TestDrive:/plot.png | Should -Be 'old'
        Get-SampleHistory | Export-TrainingPlot TestDrive:/new.png -WhatIf
        Test-Path TestDrive:/new.png | Should -BeFalse
        Get-SampleHistory | Export-TrainingPlot TestDrive:/plot.png -Force
        (Get-PngSize (Convert-Path TestDrive:/plot.png)).Width | Should -Be 900
    }

    It 'draws what is there: a history with only a training loss' {
        1..4 | ForEach-Object { [pscustomobject]@{ TrainLoss = 1 / $_ } } | Export-TrainingPlot TestDrive:/train-only.png
        Test-Path TestDrive:/train-only.png | Should -BeTrue
    }

    It 'refuses records with no loss or accuracy' {
        { [pscustomobject]@{ Epoch = 1 } | Export-TrainingPlot TestDrive:/none.png -ErrorAction Stop } | Should -Throw '*Nothing to plot*'
        Test-Path TestDrive:/none.png | Should -BeFalse
    }
}

Describe 'Measure-Op' {
    It 'times a sleeping script block' {
        $m = Measure-Op { [Threading.Thread]::Sleep(20) } -MinTime 0.05 -MinRuns 3
        $m.Median | Should -BeGreaterOrEqual 0.02
        $m.Runs | Should -BeGreaterOrEqual 3
        $m.Min | Should -Be ($m.Times | Measure-Object -Minimum).Minimum
        $m.Max | Should -Be ($m.Times | Measure-Object -Maximum).Maximum
        ($m | Out-String) | Should -Match 'Median: \d+\.\d\d ms'
        ($m | Out-String) | Should -Match 'IQR:    '
    }

    It 'knows the work of a named op' {
        $m = Measure-Op -Op matmul -Size 32, 16, 8 -MinTime 0.01 -MinRuns 2
        $m.Flops | Should -Be (2 * 32 * 16 * 8)
        $m.GFlopsPerSecond | Should -BeGreaterThan 0
        $m.Label | Should -Be 'matmul(32, 16, 8)'
    }

    It 'turns -Flops and -Bytes into rates' {
        $m = Measure-Op { } -Flops 4e9 -Bytes 2e9 -MinTime 0.01 -MinRuns 2
        $m.GFlopsPerSecond / $m.GBPerSecond | Should -Be 2
    }

    It 'lists the known ops for an unknown name' {
        { Measure-Op -Op matmull -Size 4 -ErrorAction Stop } | Should -Throw '*Known ops: add, bmm, conv2d, matmul, mm, mul, relu, softmax, sum*'
    }

    It 'still measures the CPU when CUDA is unavailable' -Skip:$hasCuda {
        $m = Measure-Op -Op add -Size 64 -Device cpu, cuda -MinTime 0.01 -MinRuns 2 -ErrorVariable err -ErrorAction SilentlyContinue
        "$($m.Device)" | Should -Be 'cpu'
        $err.Count | Should -Be 1
        $err[0].Exception.Message | Should -BeLike 'CUDA unavailable*'
    }

    It 'compares two script blocks pair by pair' {
        $c = Measure-Op { [Threading.Thread]::Sleep(2) } -Compare { [Threading.Thread]::Sleep(100) } -MinTime 0.05 -MinRuns 5
        $c.Baseline.Runs | Should -Be $c.Candidate.Runs
        $c.MedianRatio | Should -BeGreaterThan 1.5
        $c.PairedRatio | Should -BeGreaterThan 1.5
    }

    It 'completes op names' {
        $line = 'Measure-Op -Op so'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'softmax'
    }
}
