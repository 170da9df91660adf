using PSTorch.Data;
using PSTorch.Vision;

namespace PSTorch.Tests.Data;

/// <summary>Image folders written for the tests: Fashion-MNIST PNGs by class, and the seed notes' dog/cat folder.</summary>
internal sealed class TestFolders : IDisposable
{
    public TestFolders()
    {
        Root = Directory.CreateTempSubdirectory("pstorch-data-").FullName;
    }

    public string Root { get; }

    /// <summary>10 class folders (named after the labels 0..9) of <paramref name="perClass"/> 28x28 grayscale PNGs from the embedded sample.</summary>
    public string FashionFolder(int perClass = 12)
    {
        var folder = Path.Combine(Root, "fashion");
        var sample = FashionMnistSample.Load(train: false);
        var written = new int[10];
        for (int i = 0; i < sample.Count && written.Any(w => w < perClass); i++)
        {
            int label = (int)sample.Targets[i];
            if (written[label] >= perClass) continue;
            var dir = Directory.CreateDirectory(Path.Combine(folder, $"class{label}")).FullName;
            using var image = ToImage.Convert((Tensor)((object[])sample.GetItem(i))[0]);
            image.Save(Path.Combine(dir, $"{written[label]++:D3}.png"));
        }
        return folder;
    }

    /// <summary>cat/ with 4 files (cat/2.png corrupt) and dog/ with 5: 9 files, 8 good. Returns the folder and the corrupt file.</summary>
    public (string Folder, string Corrupt) DogCatFolder()
    {
        var folder = Path.Combine(Root, "dogcat");
        foreach (var (cls, count) in new[] { ("cat", 4), ("dog", 5) })
        {
            var dir = Directory.CreateDirectory(Path.Combine(folder, cls)).FullName;
            for (int i = 0; i < count; i++)
            {
                using var image = Image.Create(8, 8, 3, (byte)(cls == "cat" ? 40 * i : 200 - 10 * i));
                image.Save(Path.Combine(dir, $"{i}.png"));
            }
        }
        var corrupt = Path.Combine(folder, "cat", "2.png");
        File.WriteAllBytes(corrupt, [0x89, 0x50, 0x4E, 0x47, 1, 2, 3, 4, 5, 6, 7]);
        return (folder, corrupt);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
