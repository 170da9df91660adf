using Xunit;

namespace PSTorch.Tests.PowerShell;

/// <summary>New-Layer makes the adaptive max pools by name, a null size included.</summary>
public class AdaptiveMaxPoolLayerTests(ModuleRunspace ps) : IClassFixture<ModuleRunspace>
{
    string Repr(string script) => Assert.Single(ps.Invoke(script)).BaseObject.ToString()!;

    [Fact]
    public void NewLayer_MakesTheAdaptiveMaxPools()
    {
        Assert.Equal("AdaptiveMaxPool2d(output_size=7)", Repr("New-Layer AdaptiveMaxPool2d 7"));
        Assert.Equal("AdaptiveMaxPool2d(output_size=(4, None))", Repr("New-Layer AdaptiveMaxPool2d -OutputSize @(4, $null)"));
        Assert.Equal("AdaptiveMaxPool1d(output_size=5)", Repr("New-Layer AdaptiveMaxPool1d 5"));
        Assert.Equal("2 3 4 6", Repr("$x = [PSTorch.Torch]::Randn([long[]](2, 3, 5, 6)); (New-Layer AdaptiveMaxPool2d -OutputSize @(4, $null)).Call($x).Shape -join ' '"));
    }
}
