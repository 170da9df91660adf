using PSTorch;
using PSTorch.Data;
using PSTorch.NN;
using PSTorch.Training;
using Xunit;

namespace PSTorch.Tests.Training;

public class EvaluationTests
{
    // Logits chosen by hand: predictions 0, 1, 0, 2 for true classes 0, 2, 2, 1.
    static readonly float[] Logits = [3, 1, 2, 0, 5, 1, 1, 0, 0.5f, 2, 2.5f, 3];
    static readonly long[] Targets = [0, 2, 2, 1];

    static DataLoader HandMade(int batchSize = 4) =>
        new(new TensorDataset(Torch.FromArray(Logits).View(4, 3), Torch.FromArray(Targets)), batchSize);

    [Theory]
    [InlineData(4)]
    [InlineData(1)]
    public void AccuracyTopKAndConfusionMatrixOnAHandMadeCase(int batchSize)
    {
        var result = Evaluation.Run(new Identity(), HandMade(batchSize), topK: [2], classNames: ["a", "b", "c"], cancellation: TestContext.Current.CancellationToken);
        Assert.Equal(4, result.Samples);
        Assert.Equal(0.25, result.Accuracy);
        // Rank of the true logit: 0, 1, 1, 1 -> all four are in the top 2.
        Assert.Equal(1.0, result.TopKAccuracy[2]);
        Assert.Null(result.Loss);
        var m = result.ConfusionMatrix!;
        long[,] expected = { { 1, 0, 0 }, { 0, 0, 1 }, { 1, 1, 0 } };
        Assert.Equal(expected, m.ToArray());
        Assert.Equal([1.0, 0.0, 0.0], result.PerClassAccuracy);
        Assert.Equal(["a", "b", "c"], m.ClassNames);
        Assert.Equal(2, m.Support(2));
        Assert.Equal(new long[] { 1, 0, 0, 0, 0, 1, 1, 1, 0 }, m.ToTensor().ToArray<long>());
        Assert.Equal("c", result.GetClassAccuracies().Last().Class);
    }

    [Fact]
    public void LossIsTheSampleWeightedMean()
    {
        using var logits = Torch.FromArray(Logits).View(4, 3);
        using var targets = Torch.FromArray(Targets);
        double expected = Functional.CrossEntropy(logits, targets).Item<double>();
        var result = Evaluation.Run(new Identity(), HandMade(batchSize: 3), new CrossEntropyLoss(), cancellation: TestContext.Current.CancellationToken);   // batches of 3 and 1
        Assert.Equal(expected, result.Loss!.Value, 6);
    }

    [Fact]
    public void ConfusionMatrixPrintsAsATableWithClassNames()
    {
        var text = Evaluation.Run(new Identity(), HandMade(), classNames: ["cat", "dog", "eel"], cancellation: TestContext.Current.CancellationToken).ConfusionMatrix!.ToString();
        var lines = text.Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("true \\ predicted", lines[0]);
        Assert.EndsWith("eel", lines[0]);
        Assert.Equal(["eel", "1", "1", "0"], lines[3].Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void EvaluationRunsInEvalModeWithoutGradAndRestoresTheMode()
    {
        var seen = new List<(bool Training, bool Grad)>();
        var model = new Sequential([("probe", new Identity())]);
        model.RegisterForwardHook((m, input, output) => { seen.Add((m.Training, PSTorch.Autograd.GradMode.IsEnabled)); return null; });
        Evaluation.Run(model, HandMade(), cancellation: TestContext.Current.CancellationToken);
        Assert.Equal([(false, false)], seen);
        Assert.True(model.Training);
    }

    [Fact]
    public void ClassNamesComeFromTheDatasetWhenNotGiven()
    {
        var sample = FashionMnistSample.Load(train: false);
        var model = DefaultClassifier.Mlp();
        var result = Evaluation.Run(model, new DataLoader(sample, 500), cancellation: TestContext.Current.CancellationToken);
        Assert.Equal(FashionMnistSample.Classes, result.ConfusionMatrix!.ClassNames);
        Assert.Equal(1000, Enumerable.Range(0, 10).Sum(result.ConfusionMatrix.Support));
    }

    [Fact]
    public void PredictionsCarryClassProbabilityAndInput()
    {
        var predictor = new Predictor(new Identity(), ["a", "b", "c"]);
        using var logits = Torch.FromArray(Logits).View(4, 3);
        var predictions = predictor.Predict(logits, firstIndex: 10);
        Assert.Equal([0, 1, 0, 2], predictions.Select(p => p.ClassIndex));
        Assert.Equal(["a", "b", "a", "c"], predictions.Select(p => p.ClassName));
        Assert.Equal([10, 11, 12, 13], predictions.Select(p => (int)p.Input));
        double expected = Math.Exp(3) / (Math.Exp(3) + Math.Exp(1) + Math.Exp(2));
        Assert.Equal(expected, predictions[0].Probability, 6);
        Assert.Equal(1.0, predictions[1].GetProbabilities().Sum(), 5);

        using var one = Torch.FromArray(new float[] { 0, 0, 9 });
        var single = Assert.Single(predictor.Predict(one, isBatch: false));
        Assert.Equal("c", single.ClassName);
    }

    [Fact]
    public void PredictionOfAnImageFileUsesTheTransform()
    {
        var folder = TrainingFixtures.TempFolder();
        try
        {
            var path = Path.Combine(folder, "white.png");
            using (var image = PSTorch.Vision.Image.Create(28, 28, 1, fill: 255)) image.Save(path);
            // Class scores = the mean brightness per "class": only class 1 sees the pixels.
            var model = new Sequential([("flatten", new Flatten()), ("fc", new Linear(784, 2))]);
            using (Torch.NoGrad())
            {
                var fc = (Linear)model.NamedChildren().Last().Module;
                fc.Weight.Zero_();
                fc.Weight.Index(1).Fill_(1.0 / 784 * 5);
                fc.Bias!.Zero_();
            }
            var prediction = new Predictor(model, ["dark", "bright"], new PSTorch.Vision.Compose(new PSTorch.Vision.Grayscale(), new PSTorch.Vision.ToTensor())).PredictImage(path);
            Assert.Equal(path, prediction.Input);
            Assert.Equal("bright", prediction.ClassName);
            Assert.Equal(Math.Exp(5) / (1 + Math.Exp(5)), prediction.Probability, 4);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
