using System.Management.Automation;
using PSTorch.Tests.PowerShell;
using Xunit;

namespace PSTorch.Tests.Data;

/// <summary>The data cmdlets driven through a runspace that imports the module from its manifest.</summary>
public sealed class DataCmdletTests(ModuleRunspace runspace) : IClassFixture<ModuleRunspace>, IDisposable
{
    readonly TestFolders folders = new();

    public void Dispose() => folders.Dispose();

    List<object> Run(string script, params (string Name, object Value)[] variables) =>
        runspace.Invoke(script, variables.ToDictionary(v => v.Name, v => (object?)v.Value)).Select(o => o.BaseObject).ToList();

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
        var output = Run("$l = New-Dataset -Count 5 -GetItem { param($i) [double]$i, ($i % 2) } | New-DataLoader -BatchSize 2 -Workers 2 3>&1; $l | ForEach-Object { if ($_ -is [PSTorch.Data.DataLoader]) { $_ | ForEach-Object { $_.Targets.ToArray() -join ',' } } else { $_ } }");
        Assert.Contains("only the enumerating thread", Assert.IsType<WarningRecord>(output[0]).Message);
        Assert.Equal(["0,1", "0,1", "0"], output.Skip(1));
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
        var e = Assert.Throws<ScriptFailedException>(() => Run("Get-Dataset FashionMnistSample -Test | New-DataLoader -Shuffle -Sampler ([PSTorch.Data.SequentialSampler]::new(3))"));
        Assert.Contains("sampler option is mutually exclusive with shuffle", e.Message);
        var missing = Assert.Throws<ScriptFailedException>(() => Run("Get-Dataset ImageFolder -Path $p", ("p", Path.Combine(folders.Root, "nope"))));
        Assert.Contains("Couldn't find the dataset folder", missing.Message);
    }
}
