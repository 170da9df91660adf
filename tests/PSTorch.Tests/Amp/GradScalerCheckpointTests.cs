using PSTorch.Amp;
using PSTorch.IO;
using PSTorch.NN;
using PSTorch.Optim;
using Xunit;

namespace PSTorch.Tests.Amp;

/// <summary>A GradScaler's state travels in a training checkpoint (metadata "scaler") and comes back on Restore.</summary>
public sealed class GradScalerCheckpointTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("pstorch-amp-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static GradScaler Trained()
    {
        var scaler = new GradScaler("cpu", initScale: 512, growthFactor: 3, backoffFactor: 0.25, growthInterval: 4);
        var p = new Parameter(Torch.Ones(2));
        var sgd = new SGD([p], lr: 0.1);
        foreach (var grad in new[] { float.NaN, 1f, 1f })
        {
            p.Grad = Torch.Full([2], grad);
            scaler.Scale(Torch.NewTensor(1f));
            scaler.Step(sgd);
            scaler.Update();
        }
        return scaler;
    }

    [Fact]
    public void SaveLoadRestore_RoundTripsTheScalerState()
    {
        var scaler = Trained();
        Assert.Equal(128, scaler.GetScale());
        var model = new Linear(2, 1);
        var path = Path.Combine(dir, "amp.safetensors");
        Checkpoint.Capture(model, scaler: scaler).Save(path);

        var loaded = Checkpoint.Load(path);
        Assert.Equal(scaler.StateDict(), loaded.Scaler);
        var fresh = new GradScaler("cpu");
        loaded.Restore(new Linear(2, 1), scaler: fresh);
        Assert.Equal(scaler.StateDict(), fresh.StateDict());
    }

    [Fact]
    public void RestoringIntoAScaler_NeedsScalerState()
    {
        var path = Path.Combine(dir, "plain.safetensors");
        Checkpoint.Capture(new Linear(2, 1)).Save(path);
        var loaded = Checkpoint.Load(path);
        Assert.Null(loaded.Scaler);
        var e = Assert.Throws<InvalidOperationException>(() => loaded.Restore(new Linear(2, 1), scaler: new GradScaler("cpu")));
        Assert.Contains("holds no gradient scaler state", e.Message);
        loaded.Restore(new Linear(2, 1), scaler: new GradScaler("cpu", enabled: false));  // nothing to load into
    }

    [Fact]
    public void ADisabledScaler_IsNotSaved() =>
        Assert.Null(Checkpoint.Capture(new Linear(2, 1), scaler: new GradScaler("cpu", enabled: false)).Scaler);

    [Fact]
    public void ScalerIsAReservedMetadataKey() =>
        Assert.Throws<ArgumentException>(() => Checkpoint.Capture(new Linear(2, 1), metadata: new Dictionary<string, string> { ["scaler"] = "{}" }));
}
