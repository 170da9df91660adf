using PSTorch.Host;

namespace PSTorch.Tests.Host;

public sealed class CommandLineOptionsTests
{
    [Fact]
    public void NoArgumentsMeansInteractive()
    {
        var options = CommandLineOptions.Parse([]);

        Assert.Null(options.File);
        Assert.Null(options.Command);
        Assert.Null(options.Error);
    }

    [Fact]
    public void FileTakesTheRestAsScriptArguments()
    {
        var options = CommandLineOptions.Parse(["-NoProfile", "-File", "train.ps1", "-Epochs", "3", "-Command"]);

        Assert.Equal("train.ps1", options.File);
        Assert.Equal(["-Epochs", "3", "-Command"], options.ScriptArguments);
    }

    [Theory]
    [InlineData("-Command")]
    [InlineData("-c")]
    [InlineData("-COMMAND")]
    public void CommandJoinsTheRest(string flag)
    {
        var options = CommandLineOptions.Parse([flag, "Get-Date;", "'x'"]);

        Assert.Equal("Get-Date; 'x'", options.Command);
    }

    [Fact]
    public void SwitchesWithValuesSkipTheirValue()
    {
        var options = CommandLineOptions.Parse(["-ExecutionPolicy", "Bypass", "script.ps1"]);

        Assert.Equal("script.ps1", options.File);
    }

    [Fact]
    public void NonInteractiveIsKept() =>
        Assert.True(CommandLineOptions.Parse(["-NonInteractive", "-c", "1"]).NonInteractive);

    [Theory]
    [InlineData("-File")]
    [InlineData("-c")]
    [InlineData("-Unknown")]
    public void MalformedCommandLinesExplainThemselves(string argument) =>
        Assert.NotNull(CommandLineOptions.Parse([argument]).Error);

    [Theory]
    [InlineData("-Help")]
    [InlineData("-h")]
    [InlineData("-?")]
    public void HelpSpellings(string argument) =>
        Assert.True(CommandLineOptions.Parse([argument]).ShowHelp);
}
