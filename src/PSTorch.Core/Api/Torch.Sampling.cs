using PSTorch.Backends;
using PSTorch.Ops;

namespace PSTorch;

/// <summary>torch.* mirrors of the numpy-style ops, statistics, distances, logspace and the triangle index grids.</summary>
public static partial class Torch
{
    public static Tensor Tile(Tensor input, params long[] reps) => input.Tile(reps);
    public static Tensor Swapaxes(Tensor input, int axis0, int axis1) => input.Swapaxes(axis0, axis1);
    public static Tensor Swapdims(Tensor input, int dim0, int dim1) => input.Swapdims(dim0, dim1);
    public static Tensor Moveaxis(Tensor input, int source, int destination) => input.Moveaxis(source, destination);
    public static Tensor TakeAlongDim(Tensor input, Tensor indices, int? dim = null) => input.TakeAlongDim(indices, dim);
    public static Tensor Argwhere(Tensor input) => input.Argwhere();

    public static Tensor Nonzero(Tensor input) => input.Nonzero();

    /// <summary>
    /// where(condition) = nonzero(condition, as_tuple=True): one int64 tensor of coordinates per dimension (a 0-d
    /// condition counts as one dimension), ready to index with.
    /// </summary>
    public static Tensor[] Where(Tensor condition)
    {
        var coordinates = (condition.NDim == 0 ? condition.View(1) : condition).Nonzero();
        return Enumerable.Range(0, (int)coordinates.Size(1)).Select(d => coordinates.Select(1, d).Contiguous()).ToArray();
    }
    public static Tensor Heaviside(Tensor input, Tensor values) => input.Heaviside(values);
    public static Tensor Renorm(Tensor input, double p, int dim, double maxnorm) => input.Renorm(p, dim, maxnorm);
    public static Tensor IndexFill(Tensor input, int dim, Tensor index, double value) => input.IndexFill(dim, index, value);
    public static Tensor IndexCopy(Tensor input, int dim, Tensor index, Tensor source) => input.IndexCopy(dim, index, source);
    public static Tensor ScatterReduce(Tensor input, int dim, Tensor index, Tensor src, string reduce, bool includeSelf = true) =>
        input.ScatterReduce(dim, index, src, reduce, includeSelf);

    /// <summary>torch.cov: the covariance matrix of the rows' variables (columns are observations), optionally weighted.</summary>
    public static Tensor Cov(Tensor input, long correction = 1, Tensor? fweights = null, Tensor? aweights = null) =>
        Covariance.Cov(input, correction, fweights, aweights);

    /// <summary>torch.corrcoef: Pearson correlation coefficients of the rows' variables.</summary>
    public static Tensor Corrcoef(Tensor input) => Covariance.Corrcoef(input);

    /// <summary>torch.cdist: p-norm distances between the rows of x1 [.., P, M] and x2 [.., R, M], shape [.., P, R].</summary>
    public static Tensor Cdist(Tensor x1, Tensor x2, double p = 2) => PairwiseDistances.Cdist(x1, x2, p);

    /// <summary>torch.logspace: base raised to steps evenly spaced exponents from start to end.</summary>
    public static Tensor Logspace(double start, double end, long steps, double @base = 10, DType? dtype = null, Device? device = null, bool requiresGrad = false)
    {
        var exponents = Linspace(start, end, steps, DType.Float64, device);
        return Pow(@base, exponents).To(dtype ?? DTypes.DefaultFloat).RequiresGrad_(requiresGrad);
    }

    /// <summary>torch.tril_indices: the [2, N] coordinates of the lower triangle (with offset) of a row x col matrix, row by row.</summary>
    public static Tensor TrilIndices(long row, long col, long offset = 0, DType? dtype = null, Device? device = null) =>
        TriangleIndices(row, col, offset, lower: true, dtype, device);

    /// <summary>torch.triu_indices: the [2, N] coordinates of the upper triangle (with offset) of a row x col matrix, row by row.</summary>
    public static Tensor TriuIndices(long row, long col, long offset = 0, DType? dtype = null, Device? device = null) =>
        TriangleIndices(row, col, offset, lower: false, dtype, device);

    static Tensor TriangleIndices(long row, long col, long offset, bool lower, DType? dtype, Device? device)
    {
        if (row < 0) throw new ArgumentException($"row must be non-negative, got{row}");
        if (col < 0) throw new ArgumentException($"col must be non-negative, got{col}");
        var dt = dtype ?? DType.Int64;
        if (dt != DType.Int64 && dt != DType.Int32)
            throw new ArgumentException($"\"{(lower ? "tril" : "triu")}_indices\" not implemented for '{dt.LegacyName()}'");
        var columnMinusRow = Arange(col, DType.Int64, device).Unsqueeze(0) - Arange(row, DType.Int64, device).Unsqueeze(1);
        var mask = lower ? columnMinusRow.Le(offset) : columnMinusRow.Ge(offset);
        return Backend.For(mask).Nonzero(mask).T().Contiguous().To(dt);
    }
}
