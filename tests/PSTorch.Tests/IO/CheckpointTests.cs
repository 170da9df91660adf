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
}
