using System.Collections;
using System.Collections.Specialized;
using PSTorch;
using PSTorch.IO;
using PSTorch.NN;
using Xunit;

namespace PSTorch.Tests.IO;

public sealed class TensorSerializationTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("pstorch-save-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    string PathOf(string name) => Path.Combine(dir, name);

    [Fact]
    public void ATensorComesBackAsATensor()
    {
        var t = Torch.Arange(0, 12, 1, DType.Float64).View(3, 4).T();
        Torch.Save(t, PathOf("t.safetensors"));
        var back = Assert.IsType<Tensor>(Torch.Load(PathOf("t.safetensors")));
        Assert.Equal(DType.Float64, back.DType);
        Assert.Equal([4L, 3], back.Shape);
        Assert.Equal(t.Contiguous().ToArray<double>(), back.ToArray<double>());
        Assert.False(back.RequiresGrad);
    }

    [Fact]
    public void AListComesBackInOrderEvenPastTenItems()
    {
        var items = Enumerable.Range(0, 12).Select(i => i % 2 == 0 ? Torch.Full([i + 1], i) : Torch.Full([2], i, DType.Int64)).ToList();
        Torch.Save(items, PathOf("l.safetensors"));
        var back = Assert.IsType<Tensor[]>(Torch.Load(PathOf("l.safetensors")));
        Assert.Equal(12, back.Length);
        for (int i = 0; i < 12; i++)
        {
            Assert.Equal(items[i].DType, back[i].DType);
            Assert.Equal(items[i].Shape, back[i].Shape);
            Assert.Equal(items[i].To(DType.Float64).ToArray<double>(), back[i].To(DType.Float64).ToArray<double>());
        }
    }

    [Fact]
    public void ADictionaryComesBackInItsOwnOrder()
    {
        var d = new OrderedDictionary { ["zeta"] = Torch.Ones(2), ["alpha"] = Torch.Zeros([3], DType.Int32), ["mid"] = Torch.Full([1], 2.5, DType.Float64) };
        Torch.Save(d, PathOf("d.safetensors"));
        var back = Assert.IsType<StateDict>(Torch.Load(PathOf("d.safetensors")));
        Assert.Equal(["zeta", "alpha", "mid"], back.Keys);
        Assert.Equal(DType.Int32, back["alpha"].DType);
        Assert.Equal([2.5], back["mid"].ToArray<double>());
    }

    [Fact]
    public void AStateDictRoundTripsAndLoadsIntoAModel()
    {
        Torch.ManualSeed(4);
        var model = new Sequential(new Linear(3, 2), new ReLU(), new Linear(2, 1));
        Torch.Save(model.StateDict(), PathOf("sd.safetensors"));
        var other = new Sequential(new Linear(3, 2), new ReLU(), new Linear(2, 1));
        var back = Assert.IsType<StateDict>(Torch.Load(PathOf("sd.safetensors")));
        Assert.Equal(model.StateDict().Keys, back.Keys);
        other.LoadStateDict(back);
        Assert.Equal(model.StateDict()["2.weight"].ToArray<float>(), other.StateDict()["2.weight"].ToArray<float>());
    }

    [Fact]
    public void AFileFromElsewhereLoadsAsADictionaryInFileOrder()
    {
        // written by hand as Python's save_file({"w": ..., "b": ...}) would write it: no PSTorch metadata
        var path = PathOf("foreign.safetensors");
        SafeTensors.Save(path, [new("w", Torch.Ones(2, 2)), new("b", Torch.Zeros([2], DType.Int64))], new Dictionary<string, string> { ["format"] = "pt" });
        var back = Assert.IsType<StateDict>(Torch.Load(path));
        Assert.Equal(["b", "w"], back.Keys);
    }

    [Fact]
    public void LoadMovesTensorsToTheGivenDevice()
    {
        Torch.Save(Torch.Ones(2), PathOf("cpu.safetensors"));
        Assert.Equal(Device.Cpu, ((Tensor)Torch.Load(PathOf("cpu.safetensors"), Device.Cpu)).Device);
    }

    [Theory]
    [InlineData("not a tensor")]
    [InlineData(42)]
    public void RefusesWhatIsNotTensors(object value)
    {
        var e = Assert.Throws<ArgumentException>(() => Torch.Save(value, PathOf("x.safetensors")));
        Assert.Contains("a tensor, a list of tensors or a dictionary of tensors", e.Message);
        Assert.False(File.Exists(PathOf("x.safetensors")));
    }

    [Fact]
    public void RefusesMixedListsAndDictionariesWithNonTensors()
    {
        Assert.Contains("item 1 is String", Assert.Throws<ArgumentException>(() => Torch.Save(new object[] { Torch.Ones(1), "x" }, PathOf("x.safetensors"))).Message);
        Assert.Contains("'b' is Int32", Assert.Throws<ArgumentException>(() => Torch.Save(new Hashtable { ["b"] = 1 }, PathOf("x.safetensors"))).Message);
        Assert.Contains("string keys", Assert.Throws<ArgumentException>(() => Torch.Save(new Hashtable { [1] = Torch.Ones(1) }, PathOf("x.safetensors"))).Message);
        Assert.False(File.Exists(PathOf("x.safetensors")));
    }

    [Theory]
    [InlineData("list", null, "has no tensor named '1'")]
    [InlineData("tensor", null, "marked as one tensor but holds 2 tensor(s)")]
    [InlineData("dict", "[\"0\"]", "does not list exactly the tensors")]
    [InlineData("dict", "{", "is not a JSON array of names")]
    [InlineData("dict", null, "has no \"pstorch.keys\" metadata")]
    [InlineData("set", null, "its \"pstorch.kind\" is 'set'")]
    public void RefusesInconsistentKindMetadata(string kind, string? keys, string expected)
    {
        var path = PathOf("bad.safetensors");
        var metadata = new Dictionary<string, string> { ["pstorch.kind"] = kind };
        if (keys != null) metadata["pstorch.keys"] = keys;
        SafeTensors.Save(path, [new("0", Torch.Ones(1)), new("2", Torch.Ones(1))], metadata);
        var e = Assert.Throws<InvalidDataException>(() => Torch.Load(path));
        Assert.Contains(expected, e.Message);
        Assert.Contains("bad.safetensors", e.Message);
    }
}
