namespace Grad.Serialization;

/// <summary>
/// Replaces a file all at once: the content goes to a temporary file beside it, is flushed to
/// the disk, and is then renamed over the target. A rename within a directory is atomic, so a
/// crash or kill at any moment leaves either the old file or the complete new one at the path,
/// never a torn one; at worst a stray <c>.tmp-</c> file stays behind.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>. If it throws, the
    /// temporary file is removed and the previous content of the path is untouched.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        // Same directory as the target: a rename across file systems would be a copy, not atomic.
        var temporary = $"{full}.tmp-{Guid.NewGuid():N}";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true); // the data must be durable before the rename publishes it
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original error matters more; a stray temporary file is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
