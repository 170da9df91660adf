namespace PSTorch;

/// <summary>
/// torch.cuda.OutOfMemoryError: a device allocation failed even after cached blocks were released and unreachable
/// tensors collected. The message is the library's: the requested size and the device's free and total memory.
/// </summary>
public sealed class CudaOutOfMemoryException(string message) : InvalidOperationException($"CUDA out of memory. {message}");
