namespace PSTorch.Ops;

/// <summary>torch.cov and torch.corrcoef (rows are variables, columns observations), composed of reductions and mm.</summary>
internal static class Covariance
{
    public static Tensor Cov(Tensor input, long correction, Tensor? fweights, Tensor? aweights)
    {
        if (input.NDim > 2)
            throw new ArgumentException($"cov(): expected input to have two or fewer dimensions but got an input with {input.NDim} dimensions");
        var x = input.NDim < 2 ? input.Reshape(1, -1) : input;
        if (!x.DType.IsFloatingPoint()) x = x.To(Torch.ResultType(x, Tensor.Wrap(0.0)));
        long observations = x.ShapeRef[1];
        Tensor? w = null;
        if (fweights is not null)
        {
            CheckWeights(fweights, "fweights", observations);
            if (fweights.DType.IsFloatingPoint() || fweights.DType == DType.Bool)
                throw new ArgumentException($"cov(): expected fweights to have integral dtype but got fweights with {fweights.DType.LegacyName()} dtype");
            w = fweights;
        }
        if (aweights is not null)
        {
            CheckWeights(aweights, "aweights", observations);
            if (!aweights.DType.IsFloatingPoint())
                throw new ArgumentException($"cov(): expected aweights to have floating point dtype but got aweights with {aweights.DType.LegacyName()} dtype");
            w = w is null ? aweights : w * aweights;
        }
        Tensor c;
        if (w is null)
        {
            var centred = x - x.Mean(1, keepDim: true);
            c = centred.Mm(centred.T()) / Math.Max(observations - correction, 0);
        }
        else
        {
            var weightSum = w.Sum();
            var centred = x - (x * w).Sum(1, keepDim: true) / weightSum;
            var normFactor = aweights is not null && correction != 0
                ? weightSum - correction * (w * aweights).Sum() / weightSum
                : weightSum - correction;
            c = centred.Mm((centred * w).T()) / normFactor.ClampMin(0L).To(x.DType);
        }
        return c.Squeeze();
    }

    static void CheckWeights(Tensor weights, string name, long observations)
    {
        if (weights.NDim > 1)
            throw new ArgumentException($"cov(): expected {name} to have one or fewer dimensions but got {name} with {weights.NDim} dimensions");
        if (weights.Numel() != observations)
            throw new ArgumentException($"cov(): expected {name} to have the same numel as there are observations in the input but got {weights.Numel()} != {observations}");
        if (weights.Lt(0).Any().Item<bool>()) throw new ArgumentException($"cov(): {name} cannot be negative");
    }

    public static Tensor Corrcoef(Tensor input)
    {
        var c = Cov(input, 1, null, null);
        if (c.NDim == 0) return c / c;
        var stddev = c.Diagonal().Sqrt();
        c = c / stddev.View(-1, 1);
        c = c / stddev.View(1, -1);
        return c.Clamp(-1.0, 1.0);
    }
}
