namespace PSTorch;

/// <summary>
/// torch.cuda.OutOfMemoryError: a device allocation failed even after cached blocks were released and unreachable
/// tensors collected. The message is the library's: "CUDA out of memory. Tried to allocate ... (GPU n; ... free of ... total; ...)".
/// </summary>
public sealed class CudaOutOfMemoryException(string message) : InvalidOperationException(message);
