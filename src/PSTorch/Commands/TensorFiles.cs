using System.Management.Automation;

namespace PSTorch.Commands;

/// <summary>
/// Path handling shared by the cmdlets that write and read tensor files: paths are resolved against PowerShell's
/// current location (not the process's), an existing file is overwritten only with -Force, and I/O and format
/// failures become ErrorRecords with a category and the path as target.
/// </summary>
internal static class TensorFiles
{
    /// <summary>The file system path <paramref name="path"/> names, resolved against the session's current location.</summary>
    public static string Resolve(PSCmdlet cmdlet, string path) => cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>
    /// Whether <paramref name="path"/> may be written: false (with an error written) when it is a folder, or a file
    /// that exists and -Force was not given; otherwise asks ShouldProcess (-WhatIf / -Confirm).
    /// </summary>
    public static bool MayWrite(PSCmdlet cmdlet, string path, bool force, string what)
    {
        if (Directory.Exists(path))
        {
            cmdlet.WriteError(new ErrorRecord(new IOException($"'{path}' is a folder; give the path of a {what} file."), "PathIsFolder", ErrorCategory.InvalidArgument, path));
            return false;
        }
        bool exists = File.Exists(path);
        if (exists && !force)
        {
            cmdlet.WriteError(new ErrorRecord(new IOException($"The file '{path}' already exists; use -Force to overwrite it."), "FileExists", ErrorCategory.ResourceExists, path));
            return false;
        }
        return cmdlet.ShouldProcess(path, exists ? $"Overwrite {what} file" : $"Save {what} file");
    }

    /// <summary>Whether <paramref name="path"/> is an existing file; writes an ObjectNotFound error if not.</summary>
    public static bool Exists(PSCmdlet cmdlet, string path)
    {
        if (File.Exists(path)) return true;
        cmdlet.WriteError(new ErrorRecord(new FileNotFoundException($"Cannot find the file '{path}' because it does not exist.", path), "FileNotFound", ErrorCategory.ObjectNotFound, path));
        return false;
    }

    /// <summary>An ErrorRecord for a failure reading (<paramref name="reading"/>) or writing <paramref name="path"/>.</summary>
    public static ErrorRecord Error(Exception e, string errorId, string path, bool reading) => e switch
    {
        InvalidDataException => new ErrorRecord(e, errorId, ErrorCategory.InvalidData, path),
        FileNotFoundException or DirectoryNotFoundException => new ErrorRecord(e, errorId, ErrorCategory.ObjectNotFound, path),
        UnauthorizedAccessException => new ErrorRecord(e, errorId, ErrorCategory.PermissionDenied, path),
        IOException => new ErrorRecord(e, errorId, reading ? ErrorCategory.ReadError : ErrorCategory.WriteError, path),
        _ => TorchErrors.Record(e, errorId, path),
    };

    /// <summary>Exceptions the file cmdlets report as errors rather than let escape.</summary>
    public static bool IsExpected(Exception e) =>
        e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or NotSupportedException or ObjectDisposedException;
}
