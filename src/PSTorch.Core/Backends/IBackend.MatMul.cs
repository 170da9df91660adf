namespace PSTorch.Backends;

internal partial interface IBackend
{
    /// <summary>
    /// dst[b] = a[b] @ b[b] (or dst[b] += with <paramref name="accumulate"/>) for a batch: dst is contiguous [B, m, n],
    /// a is [B, m, k], b is [B, k, n], any strides, one dtype.
    /// </summary>
    void BatchedMatMul(Tensor dst, Tensor a, Tensor b, bool accumulate = false);
}
