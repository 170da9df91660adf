using System.Management.Automation;
using System.Management.Automation.Runspaces;
using PSTorch.Commands;
using PSTorch.Data;
using Xunit;

namespace PSTorch.Tests.Data;

/// <summary>The data cmdlets driven through a real PowerShell runspace.</summary>
public sealed class DataCmdletTests : IDisposable
{
    readonly Runspace runspace;
    readonly TestFolders folders = new();

    public DataCmdletTests()
    {
        var state = InitialSessionState.CreateDefault2();
        foreach (var type in new[] { typeof(NewDataLoaderCommand), typeof(GetDatasetCommand), typeof(NewDatasetCommand), typeof(NewTransformCommand), typeof(ExportImageGridCommand) })
        {
            var name = type.GetCustomAttributes(typeof(CmdletAttribute), false).Cast<CmdletAttribute>().Single();
            state.Commands.Add(new SessionStateCmdletEntry($"{name.VerbName}-{name.NounName}", type, null));
        }
        runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
    }

    public void Dispose()
    {
        runspace.Dispose();
        folders.Dispose();
    }

    List<object> Run(string script, params (string Name, object Value)[] variables)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        foreach (var (name, value) in variables) runspace.SessionStateProxy.SetVariable(name, value);
        var result = ps.AddScript(script).Invoke().Select(o => o.BaseObject).ToList();
        if (ps.HadErrors) throw new InvalidOperationException(string.Join("; ", ps.Streams.Error.Select(e => e.ToString())));
        return result;
    }

    [Fact]
    public void LoaderOverEmbeddedSampleEnumeratesWithForEachObject()
    {
        var shapes = Run("$l = Get-Dataset FashionMnistSample -Test | New-DataLoader -BatchSize 100 -Shuffle -Seed 1; $l | ForEach-Object { ($_.Inputs.Shape -join 'x') + '|' + ($_.Targets.Shape -join 'x') }");
        Assert.Equal(10, shapes.Count);
        Assert.All(shapes, s => Assert.Equal("100x1x28x28|100", s));
    }

    [Fact]
    public void ImageFolderWithTransformAndWorkers()
    {
        var folder = folders.FashionFolder(perClass: 3);
        var result = Run("$t = New-Transform -Resize 32 -RandomHorizontalFlip -ToTensor -Normalize -Mean 0.5 -Std 0.5; " +
                         "$d = Get-Dataset ImageFolder -Path $folder -Transform $t; $l = New-DataLoader $d -BatchSize 8 -Workers 2 -Seed 3; " +
                         "$d.Count; $l.Count; @($l | ForEach-Object { $_.Inputs.Shape -join 'x' })", ("folder", folder));
        Assert.Equal(30, result[0]);
        Assert.Equal(4, result[1]);
        Assert.Equal(["8x1x32x32", "8x1x32x32", "8x1x32x32", "6x1x32x32"], result.Skip(2));
    }

    [Fact]
    public void ScriptBlockDatasetRunsWithoutWorkersAndWarns()
    {
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        var batches = ps.AddScript("$l = New-Dataset -Count 5 -GetItem { param($i) [double]$i, ($i % 2) } | New-DataLoader -BatchSize 2 -Workers 2; $l | ForEach-Object { $_.Targets.ToArray() -join ',' }").Invoke();
        Assert.Equal(["0,1", "0,1", "0"], batches.Select(b => b.BaseObject));
        Assert.Single(ps.Streams.Warning);
    }

    [Fact]
    public void PipelineItemsWithLabelScriptBlock()
    {
        var (folder, _) = folders.DogCatFolder();
        var result = Run("$d = [IO.DirectoryInfo]::new($folder).GetFiles('*.png', 'AllDirectories') | ForEach-Object { if ($_.Name -ne '2.png') { $_ } } | New-Dataset -Label { $_.Directory.Name }; $d.Count; $d.Classes; $l = New-DataLoader $d -BatchSize 8; foreach ($b in $l) { , $b.Targets.ToArray(); break }", ("folder", folder));
        Assert.Equal(7, result[0]);
        Assert.Equal(["cat", "dog"], result.Skip(1).Take(2));
        Assert.Equal([0L, 0, 0, 1, 1, 1, 1], ((long[])result[3]).Order());
    }

    [Fact]
    public void ExportImageGridHonoursWhatIf()
    {
        var path = Path.Combine(folders.Root, "grid.png");
        Run("$l = Get-Dataset FashionMnistSample -Test | New-DataLoader -BatchSize 16; foreach ($b in $l) { $b | Export-ImageGrid -Path $path -NRow 4 -WhatIf; break }", ("path", path));
        Assert.False(File.Exists(path));
        var written = Run("$l = Get-Dataset FashionMnistSample -Test | New-DataLoader -BatchSize 16; foreach ($b in $l) { $b | Export-ImageGrid -Path $path -NRow 4 -PassThru; break }", ("path", path));
        Assert.Equal(path, ((FileInfo)written.Single()).FullName);
        using var image = PSTorch.Vision.Image.Load(path);
        Assert.Equal((4 * 30 + 2, 4 * 30 + 2), (image.Width, image.Height));
    }

    [Fact]
    public void BadOptionsBecomeErrorRecords()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Run("Get-Dataset FashionMnistSample -Test | New-DataLoader -Shuffle -Sampler ([PSTorch.Data.SequentialSampler]::new(3))"));
        Assert.Equal("sampler option is mutually exclusive with shuffle", e.Message);
        var missing = Assert.ThrowsAny<Exception>(() => Run("Get-Dataset ImageFolder -Path $p", ("p", Path.Combine(folders.Root, "nope"))));
        Assert.Contains("Couldn't find the dataset folder", missing.Message);
    }
}
