namespace PSTorch.Tests.Host;

/// <summary>
/// pstorch end to end (a child process: arguments, streams, exit codes, prompt mode) and its
/// session in process where only the host's behaviour matters (error reporting, exit codes).
/// </summary>
public sealed class HostTests
{
    [Fact]
    public void CommandPrintsPipelineOutputThroughTheFormatter()
    {
        var run = PstorchProcess.Run("-Command", "1 + 1; 'text'; [pscustomobject]@{ Name = 'a'; Size = 3 }");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("2\ntext\n\nName Size\n---- ----\na       3\n\n", run.Stdout);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public void ShortCommandSwitchJoinsTheRemainingArguments()
    {
        var run = PstorchProcess.Run("-c", "'a' +", "'b'");

        Assert.Equal("ab\n", run.Stdout);
    }

    [Fact]
    public void ModuleIsImportedFromItsManifest()
    {
        var run = PstorchProcess.Run("-c", "$m = Get-Module PSTorch; \"$($m.Name) $($m.Version) $($m.ModuleType)\"");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("PSTorch 0.1.0 Binary\n", run.Stdout);
    }

    [Fact]
    public void FileBindsNamedSwitchAndRemainingArguments()
    {
        var script = PstorchProcess.WriteScript("""
            param([int] $Count, [string] $Name, [switch] $Loud)
            "count=$($Count + 1) name=$Name loud=$Loud rest=$($args -join ',')"
            """);

        var run = PstorchProcess.Run("-File", script, "-Count", "41", "-Name:bob", "-Loud", "extra1", "extra2");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("count=42 name=bob loud=True rest=extra1,extra2\n", run.Stdout);
    }

    [Fact]
    public void BareScriptPathIsRunLikeFile()
    {
        var script = PstorchProcess.WriteScript("param($First) \"first=$First\"");

        var run = PstorchProcess.Run(script, "positional");

        Assert.Equal("first=positional\n", run.Stdout);
    }

    [Theory]
    [InlineData("exit 3", 3)]
    [InlineData("'before'; exit 0; 'after'", 0)]
    [InlineData("throw 'boom'", 1)]
    [InlineData("$ErrorActionPreference = 'Stop'; $null.Missing()", 1)]
    [InlineData("$null.Missing(); 'statement errors do not end the script'", 0)]
    [InlineData("Write-Error 'non-terminating'; 'continues'", 0)]
    public void FileExitCodes(string body, int expected)
    {
        var run = InProcessHost.RunFile(PstorchProcess.WriteScript(body));

        Assert.True(run.ExitCode == expected, run.ToString());
    }

    [Fact]
    public void CommandExitNReturnsN()
    {
        var run = PstorchProcess.Run("-c", "'x'; exit 5");

        Assert.Equal(5, run.ExitCode);
        Assert.Equal("x\n", run.Stdout);
    }

    [Theory]
    [InlineData("New-Tensor -Zeros -Shape 2 -Device cuda", 1)]
    [InlineData("New-Tensor -Zeros -Shape 2 -Device cuda; 'recovered'", 0)]
    [InlineData("$null = New-Tensor 1,2", 0)]
    public void CommandFailsWhenItsLastStatementFailed(string command, int expected)
    {
        var run = PstorchProcess.Run("-c", command);

        Assert.True(run.ExitCode == expected, run.ToString());
    }

    [Fact]
    public void ImageCmdletsFindSkiaSharpsNativeLibraryBesideTheModule()
    {
        var png = Path.Combine(Directory.CreateTempSubdirectory("pstorch-img-").FullName, "grid.png");

        var run = PstorchProcess.Run("-c", $"$t = New-Tensor -Rand -Shape 4,1,8,8; Export-ImageGrid $t '{png}' -NRow 2");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(File.Exists(png), run.ToString());
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(png)[..4]);
    }

    [Fact]
    public void TerminatingErrorIsReportedOnStderrWithItsPosition()
    {
        var script = PstorchProcess.WriteScript("'first'\nthrow 'the model exploded'\n'never'");

        var run = InProcessHost.RunFile(script);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("first\n", run.Stdout);
        Assert.Contains("the model exploded", run.Stderr);
        Assert.Contains($"{script}:2", run.Stderr);
        Assert.Contains("throw 'the model exploded'", run.Stderr);
    }

    [Fact]
    public void NonTerminatingErrorsWarningsAndVerboseGoToStderr()
    {
        var run = InProcessHost.RunCommand("Write-Error 'bad input'; Write-Warning 'careful'; Write-Verbose 'details' -Verbose; Write-Verbose 'hidden'; 'out'");

        Assert.Equal("out\n", run.Stdout);
        Assert.Contains("bad input", run.Stderr);
        Assert.Contains("WARNING: careful", run.Stderr);
        Assert.Contains("VERBOSE: details", run.Stderr);
        Assert.DoesNotContain("hidden", run.Stderr);
    }

    [Fact]
    public void ParseErrorFailsTheCommand()
    {
        var run = InProcessHost.RunCommand("if (");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Missing", run.Stderr);
    }

    [Fact]
    public void MissingScriptFileExits64()
    {
        var run = InProcessHost.RunFile("/no/such/script.ps1");

        Assert.Equal(64, run.ExitCode);
        Assert.Contains("/no/such/script.ps1", run.Stderr);
    }

    [Fact]
    public void ProgressDoesNotDisturbRedirectedOutput()
    {
        var script = PstorchProcess.WriteScript("""
            foreach ($i in 1..5) {
                Write-Progress -Activity 'Training' -Status "epoch $i" -PercentComplete ($i * 20)
                Write-Progress -Id 1 -ParentId 0 -Activity 'Batches' -PercentComplete 50
            }
            Write-Progress -Activity 'Training' -Completed
            'done'
            """);

        var run = PstorchProcess.Run("-File", script);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("done\n", run.Stdout);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public void PromptModeReadsStatementsIncludingMultiLineOnesUntilExit()
    {
        var run = PstorchProcess.RunWithInput("1 + 1\n$a = @(\n  3,\n  4\n)\n$a.Count\nfunction Twice($x) {\n  2 * $x\n}\nTwice 21\nexit 2\n'not reached'\n");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("2\n2\n42\n", run.Stdout);
    }

    [Fact]
    public void PromptModeEndsAtEndOfInputAndKeepsGoingAfterErrors()
    {
        var run = PstorchProcess.RunWithInput("throw 'first fails'\n'second runs'\n");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("second runs\n", run.Stdout);
        Assert.Contains("first fails", run.Stderr);
    }

    [Fact]
    public void CommandFromStandardInput()
    {
        var run = PstorchProcess.RunWithInput("'from stdin'\n", "-Command", "-");

        Assert.Equal("from stdin\n", run.Stdout);
    }

    [Fact]
    public void HelpPrintsUsage()
    {
        var run = PstorchProcess.Run("-Help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("pstorch [-File] <script.ps1>", run.Stdout);
    }

    [Fact]
    public void UnknownOptionIsRejected()
    {
        var run = PstorchProcess.Run("-Bogus");

        Assert.Equal(64, run.ExitCode);
        Assert.Contains("-Bogus", run.Stderr);
    }

    [Fact]
    public void PwshStartupSwitchesAreTolerated()
    {
        var run = PstorchProcess.Run("-NoProfile", "-NoLogo", "-ExecutionPolicy", "Bypass", "-c", "'ok'");

        Assert.Equal("ok\n", run.Stdout);
    }
}
