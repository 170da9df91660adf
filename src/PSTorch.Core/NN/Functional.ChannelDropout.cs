namespace PSTorch.NN;

public static partial class Functional
{
    /// <summary>Zeroes whole channels of [N, C, L] (or unbatched [C, L]) with probability p in training, scaling the rest by 1/(1-p).</summary>
    public static Tensor Dropout1d(Tensor input, double p = 0.5, bool training = true, Generator? generator = null)
    {
        if (input.NDim is not (2 or 3))
            throw new ArgumentException($"dropout1d: Expected 2D or 3D input, but received a {input.NDim}D input. Note that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).");
        return ChannelDropout(input, p, training, batched: input.NDim == 3, generator);
    }

    /// <summary>Zeroes whole channels of [N, C, H, W] (or unbatched [C, H, W]) with probability p in training, scaling the rest by 1/(1-p).</summary>
    public static Tensor Dropout2d(Tensor input, double p = 0.5, bool training = true, Generator? generator = null)
    {
        if (input.NDim is not (3 or 4))
            throw new ArgumentException($"dropout2d: Expected 3D or 4D input, but received a {input.NDim}D input.");
        return ChannelDropout(input, p, training, batched: input.NDim == 4, generator);
    }

    /// <summary>One keep/drop draw per (sample, channel), broadcast over the spatial dims.</summary>
    static Tensor ChannelDropout(Tensor input, double p, bool training, bool batched, Generator? generator)
    {
        if (p < 0 || p > 1) throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {p}");
        if (!training || p == 0) return input;
        if (p == 1) return input * 0;
        int channelDims = batched ? 2 : 1;
        long[] maskShape = [.. input.Shape[..channelDims], .. Enumerable.Repeat(1L, input.NDim - channelDims)];
        var keep = (Torch.Rand(maskShape, input.DType, input.Device, generator: generator) >= p).To(input.DType);
        return input * (keep / (1 - p));
    }
}
