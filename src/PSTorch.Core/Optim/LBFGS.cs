using System.Globalization;
using PSTorch.Autograd;
using PSTorch.NN;

namespace PSTorch.Optim;

/// <summary>
/// L-BFGS (torch.optim.LBFGS), a port of PyTorch's algorithm: each Step(closure) runs up to max_iter iterations on
/// the parameters flattened into one vector, the direction from the two-loop recursion over the last history_size
/// curvature pairs, the step length lr (scaled down on the very first iteration) or found by the strong-Wolfe line
/// search. The closure re-evaluates the loss and its gradients. As in PyTorch, all state lives under the first
/// parameter; its history entries are replaced, never modified, so a state dict shares them safely.
/// </summary>
public sealed class LBFGS : Optimizer
{
    public LBFGS(IEnumerable<Parameter> parameters, double lr = 1, int maxIter = 20, int? maxEval = null, double toleranceGrad = 1e-7,
        double toleranceChange = 1e-9, int historySize = 100, string? lineSearchFn = null)
        : this([new ParamGroup(parameters)], lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn) { }

    public LBFGS(IEnumerable<ParamGroup> groups, double lr = 1, int maxIter = 20, int? maxEval = null, double toleranceGrad = 1e-7,
        double toleranceChange = 1e-9, int historySize = 100, string? lineSearchFn = null)
        : base(groups, CheckedDefaults(lr, maxIter, maxEval ?? maxIter * 5 / 4, toleranceGrad, toleranceChange, historySize, lineSearchFn))
    {
        if (ParamGroups.Count != 1) throw new ArgumentException("LBFGS doesn't support per-parameter options (parameter groups)");
    }

    static Dictionary<string, object> CheckedDefaults(double lr, int maxIter, int maxEval, double toleranceGrad, double toleranceChange,
        int historySize, string? lineSearchFn)
    {
        if (lr < 0) throw new ArgumentException($"Invalid learning rate: {lr}");
        return new()
        {
            ["lr"] = lr, ["max_iter"] = maxIter, ["max_eval"] = maxEval, ["tolerance_grad"] = toleranceGrad,
            ["tolerance_change"] = toleranceChange, ["history_size"] = historySize, ["line_search_fn"] = lineSearchFn!,
        };
    }

    const string ClosureRequired = "LBFGS.Step needs a closure that re-evaluates the model and returns the loss: Step(closure)";

    /// <summary>LBFGS re-evaluates the loss during a step: use <see cref="Step(Func{Tensor})"/>.</summary>
    public override void Step() => throw new InvalidOperationException(ClosureRequired);

    protected override void Update(ParamGroup group, Parameter p, Tensor grad, Dictionary<string, object> state) =>
        throw new InvalidOperationException(ClosureRequired);

    /// <summary>Runs up to max_iter L-BFGS iterations; returns the loss the closure gave at the starting point.</summary>
    public override Tensor Step(Func<Tensor> closure)
    {
        using var noGrad = GradMode.Set(false);
        var group = ParamGroups[0];
        double lr = group.LearningRate, toleranceGrad = group.GetDouble("tolerance_grad"), toleranceChange = group.GetDouble("tolerance_change");
        int maxIter = ToInt(group["max_iter"]), maxEval = ToInt(group["max_eval"]), historySize = ToInt(group["history_size"]);
        var lineSearchFn = group["line_search_fn"] as string;
        var parameters = group.Params;
        var state = StateOf(parameters[0]);
        long funcEvals = Count(state, "func_evals"), totalIterations = Count(state, "n_iter");

        var origLoss = Evaluate(closure);
        double loss = ToDouble(origLoss.Item());
        int currentEvals = 1;
        state["func_evals"] = ++funcEvals;
        var flatGrad = GatherFlatGrad(parameters);
        if (MaxAbs(flatGrad) <= toleranceGrad) return origLoss;

        var d = state.GetValueOrDefault("d") as Tensor;
        double t = state.TryGetValue("t", out var savedT) ? ToDouble(savedT) : 0;
        var oldDirs = state.GetValueOrDefault("old_dirs") as Tensor[] ?? [];
        var oldSteps = state.GetValueOrDefault("old_stps") as Tensor[] ?? [];
        var ro = state.GetValueOrDefault("ro") as double[] ?? [];
        double hDiag = state.TryGetValue("H_diag", out var savedH) ? ToDouble(savedH) : 1;
        var prevFlatGrad = state.GetValueOrDefault("prev_flat_grad") as Tensor;
        double prevLoss = state.TryGetValue("prev_loss", out var savedLoss) ? ToDouble(savedLoss) : 0;

        int iteration = 0;
        while (iteration < maxIter)
        {
            iteration++;
            state["n_iter"] = ++totalIterations;
            if (totalIterations == 1)
            {
                d = -flatGrad;
                (oldDirs, oldSteps, ro, hDiag) = ([], [], [], 1);
            }
            else
            {
                var y = flatGrad - prevFlatGrad!;
                var s = d! * t;
                double ys = Dot(y, s);
                if (ys > 1e-10)
                {
                    int keep = Math.Min(oldDirs.Length, historySize - 1);
                    oldDirs = [.. oldDirs[^keep..], y];
                    oldSteps = [.. oldSteps[^keep..], s];
                    ro = [.. ro[^keep..], 1 / ys];
                    hDiag = ys / Dot(y, y);
                }
                d = TwoLoopDirection(flatGrad, oldDirs, oldSteps, ro, hDiag);
            }
            prevFlatGrad = flatGrad;
            prevLoss = loss;
            t = totalIterations == 1 ? Math.Min(1, 1 / ToDouble(flatGrad.Abs().Sum().Item())) * lr : lr;

            double gtd = Dot(flatGrad, d);
            if (gtd > -toleranceChange) break;

            int lineSearchEvals = 0;
            bool optimal = false;
            if (lineSearchFn != null)
            {
                if (lineSearchFn != "strong_wolfe") throw new InvalidOperationException("only 'strong_wolfe' is supported");
                var start = parameters.Select(p => p.Detach().Clone()).ToArray();
                (loss, flatGrad, t, lineSearchEvals) = StrongWolfe((step, direction) => DirectionalEvaluate(closure, parameters, start, step, direction),
                    t, d, loss, flatGrad, gtd);
                AddGrad(parameters, t, d);
                optimal = MaxAbs(flatGrad) <= toleranceGrad;
            }
            else
            {
                AddGrad(parameters, t, d);
                if (iteration != maxIter)
                {
                    loss = ToDouble(Evaluate(closure).Item());
                    flatGrad = GatherFlatGrad(parameters);
                    optimal = MaxAbs(flatGrad) <= toleranceGrad;
                    lineSearchEvals = 1;
                }
            }
            currentEvals += lineSearchEvals;
            funcEvals += lineSearchEvals;
            state["func_evals"] = funcEvals;

            if (iteration == maxIter || currentEvals >= maxEval || optimal) break;
            if (MaxAbs(d * t) <= toleranceChange || Math.Abs(loss - prevLoss) < toleranceChange) break;
        }

        state["d"] = d!;
        state["t"] = t;
        state["old_dirs"] = oldDirs;
        state["old_stps"] = oldSteps;
        state["ro"] = ro;
        state["H_diag"] = hDiag;
        state["prev_flat_grad"] = prevFlatGrad!;
        state["prev_loss"] = prevLoss;
        return origLoss;
    }

    /// <summary>The two-loop recursion: the inverse-Hessian approximation times the negative gradient.</summary>
    static Tensor TwoLoopDirection(Tensor flatGrad, Tensor[] oldDirs, Tensor[] oldSteps, double[] ro, double hDiag)
    {
        var al = new double[oldDirs.Length];
        var q = -flatGrad;
        for (int i = oldDirs.Length - 1; i >= 0; i--)
        {
            al[i] = Dot(oldSteps[i], q) * ro[i];
            q.Sub_(oldDirs[i] * al[i]);
        }
        var r = q * hDiag;
        for (int i = 0; i < oldDirs.Length; i++)
        {
            double be = Dot(oldDirs[i], r) * ro[i];
            r.Add_(oldSteps[i] * (al[i] - be));
        }
        return r;
    }

    static Tensor Evaluate(Func<Tensor> closure)
    {
        using (GradMode.Set(true)) return closure();
    }

    static Tensor GatherFlatGrad(List<Parameter> parameters) =>
        Torch.Cat(parameters.Select(p => p.Grad == null ? Torch.ZerosLike(p).Reshape(-1) : p.Grad.Reshape(-1)).ToArray());

    /// <summary>Moves the parameters by step * direction, the flat direction cut into each parameter's shape.</summary>
    static void AddGrad(List<Parameter> parameters, double step, Tensor direction)
    {
        long offset = 0;
        foreach (var p in parameters)
        {
            long numel = p.Numel();
            p.Add_(direction.Narrow(0, offset, numel).ViewAs(p) * step);
            offset += numel;
        }
    }

    /// <summary>The loss and flat gradient at start + step * direction; the parameters go back to start.</summary>
    static (double Loss, Tensor FlatGrad) DirectionalEvaluate(Func<Tensor> closure, List<Parameter> parameters, Tensor[] start, double step, Tensor direction)
    {
        AddGrad(parameters, step, direction);
        double loss = ToDouble(Evaluate(closure).Item());
        var flatGrad = GatherFlatGrad(parameters);
        for (int i = 0; i < parameters.Count; i++) parameters[i].Copy_(start[i]);
        return (loss, flatGrad);
    }

    /// <summary>The minimiser of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to the bounds (by default [x1, x2]).</summary>
    static double CubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2, (double Min, double Max)? bounds = null)
    {
        var (lower, upper) = bounds ?? (x1 <= x2 ? (x1, x2) : (x2, x1));
        double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
        double d2Square = d1 * d1 - g1 * g2;
        if (d2Square < 0) return (lower + upper) / 2;
        double d2 = Math.Sqrt(d2Square);
        double minPos = x1 <= x2
            ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
            : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
        return Math.Min(Math.Max(minPos, lower), upper);
    }

    /// <summary>
    /// PyTorch's _strong_wolfe: brackets a step satisfying the strong Wolfe conditions (sufficient decrease c1, curvature c2),
    /// then zooms in by cubic interpolation. Returns the loss, flat gradient and step it settled on, and its evaluations.
    /// </summary>
    static (double Loss, Tensor FlatGrad, double Step, int Evaluations) StrongWolfe(Func<double, Tensor, (double, Tensor)> evaluate,
        double t, Tensor d, double f, Tensor g, double gtd, double c1 = 1e-4, double c2 = 0.9, double toleranceChange = 1e-9, int maxLineSearch = 25)
    {
        double dNorm = MaxAbs(d);
        var (fNew, gNew) = evaluate(t, d);
        int evaluations = 1;
        double gtdNew = Dot(gNew, d);

        double tPrev = 0, fPrev = f, gtdPrev = gtd;
        var gPrev = g;
        bool done = false;
        int iteration = 0;
        double[] bracket = [], bracketF = [], bracketGtd = [];
        Tensor[] bracketG = [];
        while (iteration < maxLineSearch)
        {
            // in PyTorch's order: no sufficient decrease, then the curvature condition, then an uphill slope
            bool curvatureMet = Math.Abs(gtdNew) <= -c2 * gtd;
            if (fNew > f + c1 * t * gtd || (iteration > 1 && fNew >= fPrev) || (!curvatureMet && gtdNew >= 0))
            {
                (bracket, bracketF, bracketG, bracketGtd) = ([tPrev, t], [fPrev, fNew], [gPrev, gNew], [gtdPrev, gtdNew]);
                break;
            }
            if (curvatureMet)
            {
                (bracket, bracketF, bracketG) = ([t], [fNew], [gNew]);
                done = true;
                break;
            }
            double minStep = t + 0.01 * (t - tPrev), maxStep = t * 10, previous = t;
            t = CubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, (minStep, maxStep));
            (tPrev, fPrev, gPrev, gtdPrev) = (previous, fNew, gNew, gtdNew);
            (fNew, gNew) = evaluate(t, d);
            evaluations++;
            gtdNew = Dot(gNew, d);
            iteration++;
        }
        if (iteration == maxLineSearch) (bracket, bracketF, bracketG) = ([0, t], [f, fNew], [g, gNew]);

        bool insufficientProgress = false;
        int low = bracketF[0] <= bracketF[^1] ? 0 : 1, high = 1 - low;
        while (!done && iteration < maxLineSearch)
        {
            if (Math.Abs(bracket[1] - bracket[0]) * dNorm < toleranceChange) break;
            t = CubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1]);
            // a trial too close to an end of the bracket moves 0.1 of its length inside when the last one was too
            double top = Math.Max(bracket[0], bracket[1]), bottom = Math.Min(bracket[0], bracket[1]), margin = 0.1 * (top - bottom);
            if (Math.Min(top - t, t - bottom) < margin)
            {
                if (insufficientProgress || t >= top || t <= bottom)
                {
                    t = Math.Abs(t - top) < Math.Abs(t - bottom) ? top - margin : bottom + margin;
                    insufficientProgress = false;
                }
                else insufficientProgress = true;
            }
            else insufficientProgress = false;

            (fNew, gNew) = evaluate(t, d);
            evaluations++;
            gtdNew = Dot(gNew, d);
            iteration++;

            if (fNew > f + c1 * t * gtd || fNew >= bracketF[low])
            {
                (bracket[high], bracketF[high], bracketG[high], bracketGtd[high]) = (t, fNew, gNew, gtdNew);
                low = bracketF[0] <= bracketF[1] ? 0 : 1;
                high = 1 - low;
            }
            else
            {
                if (Math.Abs(gtdNew) <= -c2 * gtd) done = true;
                else if (gtdNew * (bracket[high] - bracket[low]) >= 0)
                    (bracket[high], bracketF[high], bracketG[high], bracketGtd[high]) = (bracket[low], bracketF[low], bracketG[low], bracketGtd[low]);
                (bracket[low], bracketF[low], bracketG[low], bracketGtd[low]) = (t, fNew, gNew, gtdNew);
            }
        }
        return (bracketF[low], bracketG[low], bracket[low], evaluations);
    }

    static double Dot(Tensor a, Tensor b) => ToDouble(a.Dot(b).Item());

    static double MaxAbs(Tensor t) => ToDouble(t.Abs().Max().Item());

    static double ToDouble(object value) => System.Convert.ToDouble(value, CultureInfo.InvariantCulture);

    static int ToInt(object value) => System.Convert.ToInt32(value, CultureInfo.InvariantCulture);

    static long Count(Dictionary<string, object> state, string key) =>
        state.TryGetValue(key, out var v) ? System.Convert.ToInt64(v, CultureInfo.InvariantCulture) : 0;
}
