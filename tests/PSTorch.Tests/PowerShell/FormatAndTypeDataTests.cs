using System.Management.Automation.Runspaces;
using System.Xml.Linq;
using Xunit;

namespace PSTorch.Tests.PowerShell;

/// <summary>
/// PSTorch.format.ps1xml / PSTorch.types.ps1xml. The engine package has no Format-*/Out-String/Get-FormatData,
/// so the views are checked by loading the file with the engine's FormatTable and by their content;
/// tests/pester/Tensor.Tests.ps1 checks the rendered text in pwsh.
/// </summary>
public class FormatAndTypeDataTests(ModuleRunspace ps) : IClassFixture<ModuleRunspace>
{
    static string ModuleFile(string name) => Path.Combine(ModuleDirectory(), name);

    static string ModuleDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "module", "PSTorch.dll"))) return Path.Combine(dir.FullName, "module");
        throw new DirectoryNotFoundException("module/PSTorch.dll not found");
    }

    [Fact]
    public void FormatFiles_LoadIntoTheEngine() => _ = new FormatTable([ModuleFile("PSTorch.format.ps1xml"), ModuleFile("PSTorch.Data.format.ps1xml")]);

    [Fact]
    public void TypesFile_LoadsIntoTheEngine() => _ = new TypeTable([ModuleFile("PSTorch.types.ps1xml")]);

    [Fact]
    public void ModuleProcessesItsFormatAndTypeFiles()
    {
        var files = ps.Invoke("$m = Get-Module PSTorch; $m.ExportedFormatFiles; $m.ExportedTypeFiles").Select(o => Path.GetFileName((string)o.BaseObject));
        Assert.Equal(["PSTorch.format.ps1xml", "PSTorch.Data.format.ps1xml", "PSTorch.types.ps1xml"], files);
    }

    [Fact]
    public void DefaultTensorView_PrintsToString_AndTheTableViewShowsMetadata()
    {
        var views = XDocument.Load(ModuleFile("PSTorch.format.ps1xml")).Descendants("View")
            .Where(v => v.Element("ViewSelectedBy")!.Element("TypeName")!.Value == "PSTorch.Tensor").ToArray();
        Assert.Equal(2, views.Length);
        Assert.NotNull(views[0].Element("CustomControl"));  // the first view is what Out-Default uses
        Assert.Equal("$_.ToString()", views[0].Descendants("ScriptBlock").Single().Value);
        Assert.Equal(["Shape", "DType", "Device", "RequiresGrad", "GradFn"], views[1].Descendants("TableColumnHeader").Select(h => h.Value));
    }

    [Fact]
    public void TableColumns_EvaluateToPyTorchStyleText()
    {
        var r = ps.Invoke("$t = (New-Tensor -Ones -Shape 2,3 -RequiresGrad) * 2; $t.ShapeText; [PSTorch.DTypes]::TorchName($t.DType); \"$($t.Device)\"; $t.GradFnName").Select(o => o.BaseObject.ToString());
        Assert.Equal(["[2, 3]", "torch.float32", "cpu", "MulBackward0"], r);
        Assert.Equal("[]", Assert.Single(ps.Invoke("(New-Tensor 5).ShapeText")).BaseObject);
        Assert.Empty(ps.Invoke("(New-Tensor 5).GradFnName"));
    }

    [Fact]
    public void DefaultDisplayPropertySet_NamesTheTableColumns() =>
        Assert.Equal(["ShapeText", "DType", "Device", "RequiresGrad", "GradFnName"],
            ps.Invoke("(New-Tensor 1).PSStandardMembers.DefaultDisplayPropertySet.ReferencedPropertyNames").Select(o => (string)o.BaseObject));

    [Fact]
    public void NodeView_ShowsNameAndNextFunctions()
    {
        var view = XDocument.Load(ModuleFile("PSTorch.format.ps1xml")).Descendants("View")
            .Single(v => v.Element("ViewSelectedBy")!.Element("TypeName")!.Value == "PSTorch.Autograd.Node");
        var next = view.Descendants("ScriptBlock").Single().Value;
        var r = ps.Invoke($"$x = New-Tensor -Ones -Shape 2 -RequiresGrad; $_ = ($x * 2 + 1).GradFn; {next}");
        Assert.Equal("MulBackward0, None", Assert.Single(r).BaseObject);
    }
}
