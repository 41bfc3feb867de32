namespace Grad.Examples.Sweep;

/// <summary>
/// An exclusive lock on a file (an advisory <c>flock</c>, which .NET takes for
/// <see cref="FileShare.None"/> on Unix): held while a <c>grad sweep</c> works on a sweep folder,
/// or a trial trains, so that two processes never both submit a sweep or train one trial. The
/// system releases it when its process ends, however it ends.
/// </summary>
public sealed class FolderLock : IDisposable
{
    private readonly FileStream _file;

    private FolderLock(FileStream file) => _file = file;

    /// <summary>The lock, or null when another process holds it.</summary>
    public static FolderLock? TryTake(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            return new FolderLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
    }

    /// <summary>True while some process holds the lock at <paramref name="path"/>.</summary>
    public static bool IsHeld(string path)
    {
        if (!File.Exists(path)) return false;
        using var probe = TryTake(path);
        return probe is null;
    }

    public void Dispose() => _file.Dispose();
}
