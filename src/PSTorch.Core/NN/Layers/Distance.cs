namespace PSTorch.NN;

/// <summary>torch.nn.CosineSimilarity: Call(x1, x2) is the cosine along dim.</summary>
public class CosineSimilarity(int dim = 1, double eps = 1e-8) : Module
{
    public int Dim { get; } = dim;
    public double Eps { get; } = eps;

    public Tensor Forward(Tensor x1, Tensor x2) => Functional.CosineSimilarity(x1, x2, Dim, Eps);

    /// <summary>similarity(x1, x2).</summary>
    public Tensor Call(Tensor x1, Tensor x2) => Forward(x1, x2);

    public override Tensor Forward(Tensor input) =>
        throw new ArgumentException("CosineSimilarity.Forward needs two inputs: Forward(x1, x2)");
}

/// <summary>torch.nn.PairwiseDistance: Call(x1, x2) is the p-norm of x1 - x2 + eps over the last dim.</summary>
public class PairwiseDistance(double p = 2.0, double eps = 1e-6, bool keepdim = false) : Module
{
    public double Norm { get; } = p;
    public double Eps { get; } = eps;
    public bool Keepdim { get; } = keepdim;

    public Tensor Forward(Tensor x1, Tensor x2) => Functional.PairwiseDistance(x1, x2, Norm, Eps, Keepdim);

    /// <summary>distance(x1, x2).</summary>
    public Tensor Call(Tensor x1, Tensor x2) => Forward(x1, x2);

    public override Tensor Forward(Tensor input) =>
        throw new ArgumentException("PairwiseDistance.Forward needs two inputs: Forward(x1, x2)");
}
