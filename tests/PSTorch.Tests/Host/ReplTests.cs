using PSTorch.Host;

namespace PSTorch.Tests.Host;

public sealed class ReplTests
{
    [Theory]
    [InlineData("if ($x) {", true)]
    [InlineData("@(1,", true)]
    [InlineData("'open string", true)]
    [InlineData("Get-Module |", true)]
    [InlineData("if ($x) { 1 }", false)]
    [InlineData("1 + 1", false)]
    [InlineData(")", false)]
    [InlineData("if (", true)]
    public void IncompleteInputWaitsForMoreLines(string text, bool incomplete) =>
        Assert.Equal(incomplete, Repl.IsIncomplete(text));
}
