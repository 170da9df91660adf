namespace PSTorch.Backends;

/// <summary>Device synchronisation, for timing: returns when all work queued on the device has finished.</summary>
internal partial interface IBackend
{
    void Synchronize();
}
