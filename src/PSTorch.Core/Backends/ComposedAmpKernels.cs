using PSTorch.Ops;

namespace PSTorch.Backends;

/// <summary>
/// The gradient-scaling kernels of <see cref="IBackend"/> composed from a backend's elementwise, reduction and where
/// kernels, for a backend without dedicated ones (CUDA): everything stays on the device, nothing is read back.
/// </summary>
internal static class ComposedAmpKernels
{
    public static void NonFiniteCheckAndUnscale(IBackend backend, IReadOnlyList<Tensor> grads, Tensor foundInf, Tensor invScale)
    {
        using var flag = Tensor.Empty([], DType.Float32, foundInf.Device);
        using var notFinite = Tensor.Empty([], DType.Bool, foundInf.Device);
        foreach (var grad in grads)
        {
            long n = grad.Numel();
            if (n == 0) continue;
            // x - x is 0 for a finite x and NaN for inf or NaN; the sum is NaN exactly when some element is not finite
            using (var difference = Tensor.Empty(grad.ShapeRef, grad.DType, grad.Device))
            using (var flat = difference.AsStridedView([1, n, 1], [n, 1, 1], 0))
            using (var total = Tensor.Empty([1, 1], grad.DType, grad.Device))
            using (var scalar = total.AsStridedView([], [], 0))
            {
                backend.Binary(BinaryOp.Sub, difference, grad, grad);
                backend.Reduce(ReduceOp.Sum, total, flat, 1, n, 1);
                backend.Binary(BinaryOp.Ne, notFinite, scalar, scalar);
            }
            backend.Copy(flag, notFinite);
            using (var found = foundInf.AsStridedView([], [], foundInf.StorageOffset))
                backend.Binary(BinaryOp.Maximum, found, found, flag);

            if (grad.DType is DType.Float32 or DType.Float64)
            {
                // the float32 inverse scale converts exactly to either
                using var inv = Tensor.Empty([], grad.DType, grad.Device);
                using (var source = invScale.AsStridedView([], [], invScale.StorageOffset)) backend.Copy(inv, source);
                using var broadcast = inv.BroadcastView(grad.ShapeRef);
                backend.Binary(BinaryOp.Mul, grad, grad, broadcast);
            }
            else
            {
                // half types: scaled in a float32 copy by the float32 inverse scale and rounded back once, as the CPU
                // kernel (and PyTorch's, in float opmath); rounding the inverse scale to the half type first changed results
                using var wide = Tensor.Empty(grad.ShapeRef, DType.Float32, grad.Device);
                backend.Copy(wide, grad);
                using (var source = invScale.AsStridedView([], [], invScale.StorageOffset))
                using (var broadcast = source.BroadcastView(grad.ShapeRef))
                    backend.Binary(BinaryOp.Mul, wide, wide, broadcast);
                backend.Copy(grad, wide);
            }
            grad.BumpVersion();
        }
    }

    public static void UpdateScale(IBackend backend, Tensor scale, Tensor growthTracker, Tensor foundInf, double growthFactor, double backoffFactor, long growthInterval)
    {
        var device = scale.Device;
        var temporaries = new List<Tensor>();
        Tensor New(DType dtype)
        {
            var t = Tensor.Empty([], dtype, device);
            temporaries.Add(t);
            return t;
        }
        Tensor Constant(DType dtype, double value)
        {
            var t = New(dtype);
            backend.Fill(t, value);
            return t;
        }
        Tensor Scalar(Tensor t)
        {
            var view = t.AsStridedView([], [], t.StorageOffset);
            temporaries.Add(view);
            return view;
        }
        try
        {
            Tensor current = Scalar(scale), tracker = Scalar(growthTracker), found = Scalar(foundInf);
            var zero = Constant(DType.Float32, 0);

            var foundAny = New(DType.Bool);
            backend.Binary(BinaryOp.Ne, foundAny, found, zero);
            var next = New(DType.Int32);
            backend.Binary(BinaryOp.Add, next, tracker, Constant(DType.Int32, 1));
            var intervalReached = New(DType.Bool);
            backend.Binary(BinaryOp.Eq, intervalReached, next, Constant(DType.Int32, growthInterval));

            // grow only to a finite scale: grown - grown is 0 exactly when grown is finite
            var grown = New(DType.Float32);
            backend.Binary(BinaryOp.Mul, grown, current, Constant(DType.Float32, growthFactor));
            var difference = New(DType.Float32);
            backend.Binary(BinaryOp.Sub, difference, grown, grown);
            var grownFinite = New(DType.Bool);
            backend.Binary(BinaryOp.Eq, grownFinite, difference, zero);
            var grow = New(DType.Bool);
            backend.Binary(BinaryOp.LogicalAnd, grow, intervalReached, grownFinite);

            var backedOff = New(DType.Float32);
            backend.Binary(BinaryOp.Mul, backedOff, current, Constant(DType.Float32, backoffFactor));
            var unlessFound = New(DType.Float32);
            backend.Where(unlessFound, grow, grown, current);
            var restart = New(DType.Bool);
            backend.Binary(BinaryOp.LogicalOr, restart, foundAny, intervalReached);

            backend.Where(current, foundAny, backedOff, unlessFound);
            backend.Where(tracker, restart, Constant(DType.Int32, 0), next);
            scale.BumpVersion();
            growthTracker.BumpVersion();
        }
        finally
        {
            foreach (var t in temporaries) t.Dispose();
        }
    }
}
