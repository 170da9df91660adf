namespace PSTorch.Tests.Host;

/// <summary>The utility cmdlets pstorch adds, run on pstorch's host so they meet its user interface.</summary>
public sealed class PolyfillTests
{
    private static string Output(string command)
    {
        var run = InProcessHost.RunCommand(command);
        Assert.True(run.ExitCode == 0 && run.Stderr == "", run.ToString());
        return run.Stdout;
    }

    [Fact]
    public void FormatTableUsesTheEngineFormatterWithoutEscapesWhenRedirected() =>
        Assert.Equal("\nA B\n- -\n1 x\n\n", Output("[pscustomobject]@{ A = 1; B = 'x' } | Format-Table"));

    [Fact]
    public void FormatListShowsOnePropertyPerLine() =>
        Assert.Equal("\nA : 1\nB : x\n\n", Output("[pscustomobject]@{ A = 1; B = 'x' } | Format-List"));

    [Fact]
    public void OutStringCapturesFormattedText() =>
        Assert.Equal("[\nA\n-\n1\n\n]\n", Output("'[' + ([pscustomobject]@{ A = 1 } | Out-String) + ']'"));

    [Fact]
    public void OutStringStreamEmitsLines() =>
        Assert.Equal("<1>\n<2>\n", Output("1, 2 | Out-String -Stream | ForEach-Object { \"<$_>\" }"));

    [Fact]
    public void WriteHostAndWriteOutput() =>
        Assert.Equal("a-b\n1\n2\n", Output("Write-Host a b -Separator '-'; Write-Output 1 2"));

    [Fact]
    public void SelectObjectFirstLastSkipPropertyAndExpand()
    {
        Assert.Equal("1\n2\n", Output("1..5 | Select-Object -First 2"));
        Assert.Equal("4\n5\n", Output("1..5 | Select-Object -Last 2"));
        Assert.Equal("3\n", Output("1..5 | Select-Object -Skip 2 -First 1"));
        Assert.Equal("1 6\n", Output("[pscustomobject]@{ A = 1; B = 3 } | Select-Object A, @{ Name = 'C'; Expression = { $_.B * 2 } } | ForEach-Object { \"$($_.A) $($_.C)\" }"));
        Assert.Equal("3\n", Output("[pscustomobject]@{ A = 1; B = 3 } | Select-Object -ExpandProperty B"));
    }

    [Fact]
    public void MeasureObjectStatistics() =>
        Assert.Equal("4 10 2.5 1 4\n", Output("$m = 1..4 | Measure-Object -Sum -Average -Minimum -Maximum; \"$($m.Count) $($m.Sum) $($m.Average) $($m.Minimum) $($m.Maximum)\""));

    [Fact]
    public void ConvertToCsvQuotesEveryField() =>
        Assert.Equal("\"Epoch\",\"Loss\"\n\"1\",\"0.5\"\n\"2\",\"a \"\"b\"\"\"\n",
            Output("[pscustomobject]@{ Epoch = 1; Loss = 0.5 }, [pscustomobject]@{ Epoch = 2; Loss = 'a \"b\"' } | ConvertTo-Csv"));

    [Fact]
    public void ExportCsvWritesAndAppendsUnderTheSameHeader()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("pstorch-csv-").FullName, "log.csv");

        Output($"[pscustomobject]@{{ Epoch = 1; Loss = 0.5 }} | Export-Csv '{path}'; [pscustomobject]@{{ Loss = 0.25; Epoch = 2 }} | Export-Csv '{path}' -Append");

        Assert.Equal(["\"Epoch\",\"Loss\"", "\"1\",\"0.5\"", "\"2\",\"0.25\""], File.ReadAllLines(path));
    }

    [Fact]
    public void PathCommands()
    {
        var dir = Directory.CreateTempSubdirectory("pstorch-path-").FullName;
        File.WriteAllText(Path.Combine(dir, "file.txt"), "x");

        Assert.Equal($"{Path.Combine(dir, "file.txt")}\nTrue\nFalse\nTrue\nfile.txt\nfile\n.txt\n{dir}\n",
            Output($"$p = Join-Path '{dir}' file.txt; $p; Test-Path $p; Test-Path $p -PathType Container; Test-Path '{dir}' -PathType Container; " +
                   "Split-Path $p -Leaf; Split-Path $p -LeafBase; Split-Path $p -Extension; Split-Path $p"));
    }

    [Fact]
    public void GetRandomIsRepeatableWithASeedAndStaysInRange() =>
        Assert.Equal("True True\n", Output(
            "$a = Get-Random -SetSeed 7 -Maximum 1000; $b = Get-Random -SetSeed 7 -Maximum 1000; " +
            "$r = Get-Random -Minimum 5 -Maximum 6; \"$($a -eq $b) $($r -eq 5)\""));

    [Fact]
    public void GetDateFormats() =>
        Assert.Equal("2024-03-05\n", Output("Get-Date -Date ([datetime]'2024-03-05T10:00:00') -Format yyyy-MM-dd"));

    [Fact]
    public void StartSleepWaitsAtLeastTheGivenTime() =>
        Assert.Equal("True\n", Output("$t = [datetime]::UtcNow; Start-Sleep -Milliseconds 100; ([datetime]::UtcNow - $t).TotalMilliseconds -ge 99"));
}
