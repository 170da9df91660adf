using PSTorch;
using PSTorch.IO;
using PSTorch.NN;
using PSTorch.Optim;
using Xunit;

namespace PSTorch.Tests.IO;

/// <summary>Seeds and restores the default generator, so it runs alone (the DefaultGenerator collection).</summary>
[Collection("DefaultGenerator")]
public sealed class CheckpointTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("pstorch-ckpt-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    string PathOf(string name) => Path.Combine(dir, name);

    sealed record Run(Module Model, Optimizer Optimizer, LRScheduler Scheduler);

    /// <summary>A small net with dropout (so the generator's state matters) and its optimizer and scheduler.</summary>
    static Run NewRun(string optimizer, string scheduler, long seed, long totalSteps)
    {
        Torch.ManualSeed(seed);
        var model = new Sequential(new Linear(4, 8), new Tanh(), new Dropout(0.25), new Linear(8, 2));
        var parameters = model.Parameters().ToList();
        Optimizer opt = optimizer switch
        {
            "sgd" => new SGD(parameters, lr: 0.1, momentum: 0.9, weightDecay: 1e-3),
            "nesterov" => new SGD(parameters, lr: 0.05, momentum: 0.8, nesterov: true),
            "adam" => new Adam(parameters, lr: 0.01, betas: (0.85, 0.995)),
            "adamw" => new AdamW(parameters, lr: 0.01, amsgrad: true),
            _ => throw new ArgumentException(optimizer),
        };
        LRScheduler sched = scheduler switch
        {
            "step" => new StepLR(opt, stepSize: 2, gamma: 0.5),
            "onecycle" => new OneCycleLR(opt, maxLr: 0.2, totalSteps: totalSteps),
            _ => throw new ArgumentException(scheduler),
        };
        return new Run(model, opt, sched);
    }

    static void TrainSteps(Run run, int steps)
    {
        for (int i = 0; i < steps; i++)
        {
            // the batch comes from the default generator too, so its restored state decides the data as well
            var x = Torch.Randn(6, 4);
            var y = Torch.Randn(6, 2);
            run.Optimizer.ZeroGrad();
            Functional.MseLoss(run.Model.Call(x), y).Backward();
            run.Optimizer.Step();
            run.Scheduler.Step();
        }
    }

    static List<float[]> Values(Module model) => model.StateDict().Values.Select(t => t.ToArray<float>()).ToList();

    [Theory]
    [InlineData("sgd", "step")]
    [InlineData("nesterov", "onecycle")]
    [InlineData("adam", "step")]
    [InlineData("adam", "onecycle")]
    [InlineData("adamw", "onecycle")]
    public void ResumingFromASavedCheckpointContinuesBitIdentically(string optimizer, string scheduler)
    {
        const int total = 7, before = 3;
        var straight = NewRun(optimizer, scheduler, seed: 1, total);
        TrainSteps(straight, total);
        var generatorAfterStraight = Torch.GetRngState();

        var first = NewRun(optimizer, scheduler, seed: 1, total);
        TrainSteps(first, before);
        var path = PathOf("resume.safetensors");
        Checkpoint.Capture(first.Model, first.Optimizer, first.Scheduler, epoch: before).Save(path);

        // fresh objects, built from another seed, and a generator moved on: everything must come from the file
        var resumed = NewRun(optimizer, scheduler, seed: 99, total);
        Torch.Randn(17);
        var loaded = Checkpoint.Load(path);
        Assert.Equal(before, loaded.Epoch);
        var result = loaded.Restore(resumed.Model, resumed.Optimizer, resumed.Scheduler);
        Assert.Empty(result.MissingKeys);
        Assert.Empty(result.UnexpectedKeys);
        TrainSteps(resumed, total - before);

        var expected = Values(straight.Model);
        var actual = Values(resumed.Model);
        for (int i = 0; i < expected.Count; i++) Assert.Equal(expected[i], actual[i]);
        Assert.Equal(straight.Scheduler.GetLastLr(), resumed.Scheduler.GetLastLr());
        Assert.Equal(straight.Scheduler.LastEpoch, resumed.Scheduler.LastEpoch);
        for (int g = 0; g < straight.Optimizer.ParamGroups.Count; g++)
            foreach (var (key, value) in straight.Optimizer.ParamGroups[g].Options)
            {
                Assert.Equal(value.GetType(), resumed.Optimizer.ParamGroups[g][key].GetType());
                Assert.Equal(value, resumed.Optimizer.ParamGroups[g][key]);
            }
        Assert.Equal(generatorAfterStraight, Torch.GetRngState());
        var straightState = straight.Optimizer.StateDict();
        var resumedState = resumed.Optimizer.StateDict();
        foreach (var (index, values) in straightState.State)
            foreach (var (key, value) in values)
            {
                if (value is Tensor t) Assert.Equal(t.ToArray<float>(), ((Tensor)resumedState.State[index][key]).ToArray<float>());
                else Assert.Equal(value, resumedState.State[index][key]);
            }
    }

    static Sequential SmallModel(long seed, int hidden = 3)
    {
        Torch.ManualSeed(seed);
        return new Sequential(new Linear(2, hidden), new ReLU(), new Linear(hidden, 1));
    }

    static void OneStep(Module model, Optimizer opt)
    {
        opt.ZeroGrad();
        model.Call(Torch.Ones(4, 2)).Sum().Backward();
        opt.Step();
    }

    [Fact]
    public void RoundTripsEveryPartOfTheState()
    {
        var model = SmallModel(1);
        var opt = new Adam(model.Parameters(), lr: 0.1);
        var plateau = new ReduceLROnPlateau(opt, patience: 1);
        OneStep(model, opt);
        OneStep(model, opt);
        Torch.ManualSeed(77);
        var rng = Torch.GetRngState();
        var path = PathOf("full.safetensors");
        Checkpoint.Capture(model, opt, plateau, epoch: 12, new Dictionary<string, string> { ["loss"] = "0.25", ["history"] = "[1,2]" }).Save(path);

        var loaded = Checkpoint.Load(path);
        Assert.Equal(12, loaded.Epoch);
        Assert.Equal(rng, loaded.RngState);
        Assert.Equal(new Dictionary<string, string> { ["loss"] = "0.25", ["history"] = "[1,2]" }, loaded.Metadata);
        Assert.Equal(model.StateDict().Keys.Order(), loaded.Model.Keys.Order());
        foreach (var (name, t) in model.StateDict()) Assert.Equal(t.ToArray<float>(), loaded.Model[name].ToArray<float>());
        Assert.Equal("Adam", loaded.OptimizerType);
        Assert.Equal("ReduceLROnPlateau", loaded.SchedulerType);
        Assert.Equal(4 + 4 * 2, loaded.TensorCount);
        Assert.Equal(2L, loaded.Optimizer!.State[0]["step"]);
        Assert.Equal(((Tensor)opt.State[model.Parameters().First()]["exp_avg_sq"]).ToArray<float>(), ((Tensor)loaded.Optimizer.State[0]["exp_avg_sq"]).ToArray<float>());
        Assert.Equal(new long[] { 0, 1, 2, 3 }, loaded.Optimizer.ParamGroups[0]["params"]);
        Assert.Equal(new double[] { 0.9, 0.999 }, loaded.Optimizer.ParamGroups[0]["betas"]);
        Assert.Equal(1e-8, loaded.Optimizer.ParamGroups[0]["eps"]);
        Assert.Equal(false, loaded.Optimizer.ParamGroups[0]["amsgrad"]);
        // JSON has no infinity: the plateau's initial best comes back as +inf all the same
        Assert.Equal(double.PositiveInfinity, loaded.Scheduler!["best"]);
        Assert.Equal(plateau.StateDict()["last_epoch"], loaded.Scheduler["last_epoch"]);

        var header = SafeTensors.Load(path).Metadata;
        Assert.Equal("pstorch.checkpoint", header["format"]);
        Assert.Equal("12", header["epoch"]);
        Assert.Equal(Convert.ToBase64String(rng), header["rng"]);
        Assert.Contains("\"type\":\"Adam\"", header["optimizer"]);
        Assert.Contains("\"best\":\"Infinity\"", header["scheduler"]);
        Assert.Contains("optimizer.state.3.exp_avg", SafeTensors.Load(path).Tensors.Select(t => t.Key));
    }

    [Fact]
    public void ACapturedCheckpointDoesNotChangeWhenTrainingGoesOn()
    {
        var model = SmallModel(2);
        var opt = new SGD(model.Parameters(), lr: 0.5, momentum: 0.9);
        OneStep(model, opt);
        var checkpoint = Checkpoint.Capture(model, opt, epoch: 1);
        var weight = model.StateDict()["0.weight"].ToArray<float>();
        var momentum = ((Tensor)opt.State[model.Parameters().First()]["momentum_buffer"]).ToArray<float>();
        OneStep(model, opt);
        opt.ParamGroups[0].LearningRate = 7;
        Assert.NotEqual(weight, model.StateDict()["0.weight"].ToArray<float>());
        Assert.Equal(weight, checkpoint.Model["0.weight"].ToArray<float>());
        Assert.Equal(momentum, ((Tensor)checkpoint.Optimizer!.State[0]["momentum_buffer"]).ToArray<float>());
        Assert.Equal(0.5, checkpoint.Optimizer.ParamGroups[0]["lr"]);

        // restoring twice gives the captured state twice: restored tensors do not alias the checkpoint's
        var fresh = SmallModel(3);
        var freshOpt = new SGD(fresh.Parameters(), lr: 0.1, momentum: 0.9);
        checkpoint.Restore(fresh, freshOpt);
        OneStep(fresh, freshOpt);
        checkpoint.Restore(fresh, freshOpt);
        Assert.Equal(weight, fresh.StateDict()["0.weight"].ToArray<float>());
        Assert.Equal(0.5, freshOpt.ParamGroups[0].LearningRate);
    }

    [Fact]
    public void RestoringIntoAnotherArchitectureNamesTheKeysOrReturnsThem()
    {
        var path = PathOf("arch.safetensors");
        Checkpoint.Capture(SmallModel(1)).Save(path);
        var loaded = Checkpoint.Load(path);

        var wider = SmallModel(5, hidden: 4);
        var before = wider.StateDict()["0.weight"].ToArray<float>();
        var e = Assert.Throws<InvalidOperationException>(() => loaded.Restore(wider));
        Assert.Contains(path, e.Message);
        Assert.Contains("size mismatch for 0.weight: copying a param with shape torch.Size([3, 2]) from checkpoint, the shape in current model is torch.Size([4, 2])", e.Message);
        Assert.Equal(before, wider.StateDict()["0.weight"].ToArray<float>());

        var deeper = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1), new Linear(1, 1));
        var strict = Assert.Throws<InvalidOperationException>(() => loaded.Restore(deeper));
        Assert.Contains("Missing key(s) in state_dict: \"3.weight\", \"3.bias\"", strict.Message);
        var result = loaded.Restore(deeper, strict: false);
        Assert.Equal(["3.weight", "3.bias"], result.MissingKeys);
        Assert.Empty(result.UnexpectedKeys);
        Assert.Equal(loaded.Model["2.bias"].ToArray<float>(), deeper.StateDict()["2.bias"].ToArray<float>());

        var shallower = new Sequential(new Linear(2, 3));
        var unexpected = loaded.Restore(shallower, strict: false);
        Assert.Equal(["2.bias", "2.weight"], unexpected.UnexpectedKeys.Order());
        Assert.Contains("Unexpected key(s) in state_dict: \"2.bias\", \"2.weight\"", Assert.Throws<InvalidOperationException>(() => loaded.Restore(shallower)).Message);
    }

    [Fact]
    public void RefusesAnOptimizerOrSchedulerThatDoesNotFitBeforeChangingAnything()
    {
        var model = SmallModel(1);
        var opt = new SGD(model.Parameters(), lr: 0.1, momentum: 0.9);
        var sched = new StepLR(opt, 2);
        OneStep(model, opt);
        var checkpoint = Checkpoint.Capture(model, opt, sched);

        var target = SmallModel(9);
        var before = target.StateDict()["0.weight"].ToArray<float>();
        var adam = new Adam(target.Parameters());
        Assert.Contains("holds SGD state, which cannot be loaded into a Adam", Assert.Throws<InvalidOperationException>(() => checkpoint.Restore(target, adam)).Message);
        var split = new SGD([new ParamGroup(target.Parameters().Take(2)), new ParamGroup(target.Parameters().Skip(2))], lr: 0.1);
        Assert.Contains("has 1 parameter group(s) but the SGD has 2", Assert.Throws<InvalidOperationException>(() => checkpoint.Restore(target, split)).Message);
        var partial = new SGD(target.Parameters().Take(2), lr: 0.1);
        Assert.Contains("has 4 parameter(s) in group 0 but the SGD has 2", Assert.Throws<InvalidOperationException>(() => checkpoint.Restore(target, partial)).Message);
        var targetSgd = new SGD(target.Parameters(), lr: 0.1);
        Assert.Contains("holds StepLR state, which cannot be loaded into a ExponentialLR",
            Assert.Throws<InvalidOperationException>(() => checkpoint.Restore(target, targetSgd, new ExponentialLR(targetSgd, 0.5))).Message);
        Assert.Equal(before, target.StateDict()["0.weight"].ToArray<float>());

        var modelOnly = Checkpoint.Capture(model);
        Assert.Contains("holds no optimizer state", Assert.Throws<InvalidOperationException>(() => modelOnly.Restore(target, targetSgd)).Message);
        Assert.Contains("holds no scheduler state", Assert.Throws<InvalidOperationException>(() => modelOnly.Restore(target, scheduler: new StepLR(targetSgd, 1))).Message);
    }

    [Fact]
    public void RestoresTheGeneratorOnlyWhenAsked()
    {
        var model = SmallModel(1);
        Torch.ManualSeed(5);
        var checkpoint = Checkpoint.Capture(model);
        var expected = Torch.Rand(3).ToArray<float>();

        Torch.ManualSeed(6);
        checkpoint.Restore(model, restoreRng: false);
        Assert.NotEqual(expected, Torch.Rand(3).ToArray<float>());
        checkpoint.Restore(model);
        Assert.Equal(expected, Torch.Rand(3).ToArray<float>());
    }

    [Fact]
    public void RefusesReservedMetadataKeys()
    {
        var e = Assert.Throws<ArgumentException>(() => Checkpoint.Capture(SmallModel(1), metadata: new Dictionary<string, string> { ["epoch"] = "3" }));
        Assert.Contains("metadata key 'epoch' is reserved", e.Message);
    }

    [Fact]
    public void AFailedSaveLeavesThePreviousCheckpointWholeAndNoTemporaryFile()
    {
        var path = PathOf("atomic.safetensors");
        var model = SmallModel(1);
        var good = Checkpoint.Capture(model, epoch: 1);
        good.Save(path);

        var broken = Checkpoint.Capture(model, epoch: 2);
        // the last tensor's memory is gone: the write fails after the header and the first tensors went out
        broken.Model["2.bias"].Dispose();
        Assert.ThrowsAny<ObjectDisposedException>(() => broken.Save(path));

        var back = Checkpoint.Load(path);
        Assert.Equal(1, back.Epoch);
        Assert.Equal(good.Model["2.bias"].ToArray<float>(), back.Model["2.bias"].ToArray<float>());
        Assert.Equal([path], Directory.GetFiles(dir));
    }

    [Fact]
    public void RefusesAPlainTensorFile()
    {
        var path = PathOf("plain.safetensors");
        Torch.Save(Torch.Ones(2), path);
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path));
        Assert.Contains($"'{path}' is not a valid PSTorch checkpoint: its metadata has no \"format\": \"pstorch.checkpoint\" entry", e.Message);
    }

    [Fact]
    public void RefusesATruncatedCheckpointNamingTheFile()
    {
        var path = PathOf("cut.safetensors");
        Checkpoint.Capture(SmallModel(1)).Save(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^5]);
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path));
        Assert.Contains("cut.safetensors", e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Theory]
    [InlineData("epoch", "three", null, "\"epoch\" metadata is missing or not an integer")]
    [InlineData("optimizer", "{\"type\":", null, "\"optimizer\" metadata is not valid JSON")]
    [InlineData("optimizer", "[]", null, "\"optimizer\" metadata is not a JSON object")]
    [InlineData("optimizer", "{\"param_groups\":[]}", null, "\"optimizer\" metadata has no \"type\"")]
    [InlineData("optimizer", "{\"type\":\"SGD\"}", null, "has no \"param_groups\" array")]
    [InlineData("optimizer", "{\"type\":\"SGD\",\"param_groups\":[],\"state\":{\"x\":{}}}", null, "non-numeric parameter index 'x'")]
    [InlineData("scheduler", "{\"type\":\"StepLR\"}", null, "\"scheduler\" metadata has no \"state\"")]
    [InlineData("rng", "not base64!", null, "its \"rng\" metadata is not base64")]
    [InlineData(null, null, "stray", "tensor 'stray' is neither a model tensor")]
    [InlineData(null, null, "optimizer.state.0.momentum_buffer", "optimizer state tensors but no \"optimizer\" metadata")]
    public void RefusesACorruptCheckpointNamingTheFile(string? key, string? value, string? extraTensor, string expected)
    {
        var path = PathOf("corrupt.safetensors");
        var metadata = new Dictionary<string, string> { ["format"] = "pstorch.checkpoint", ["epoch"] = "0" };
        if (key != null) metadata[key] = value!;
        var tensors = new List<KeyValuePair<string, Tensor>> { new("model.w", Torch.Ones(2)) };
        if (extraTensor != null) tensors.Add(new(extraTensor, Torch.Ones(2)));
        SafeTensors.Save(path, tensors, metadata);
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path));
        Assert.Contains($"'{path}' is not a valid PSTorch checkpoint", e.Message);
        Assert.Contains(expected, e.Message);
    }
}
