namespace Grad.Tests;

/// <summary>A fresh temporary directory, deleted with everything in it on dispose: the files the
/// serialization, checkpoint and dataset tests write.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("grad-tests-").FullName;

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Files in the directory other than the given ones (left-over temporaries).</summary>
    public string[] OtherFiles(params string[] expected) =>
        Directory.GetFiles(Path).Select(System.IO.Path.GetFileName).Where(n => !expected.Contains(n)).ToArray()!;

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { } // a leftover temp folder is not worth failing a test over
    }
}
