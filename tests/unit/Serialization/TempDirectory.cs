namespace Grad.Tests.Unit.Serialization;

/// <summary>A fresh directory per test class instance, removed afterwards.</summary>
public abstract class TempDirectory : IDisposable
{
    protected TempDirectory()
    {
        Directory = System.IO.Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "grad-tests-" + Guid.NewGuid().ToString("N"))).FullName;
    }

    protected string Directory { get; }

    protected string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>Files in the directory other than the given ones (left-over temporaries).</summary>
    protected string[] OtherFiles(params string[] expected) =>
        System.IO.Directory.GetFiles(Directory).Select(Path.GetFileName).Where(n => !expected.Contains(n)).ToArray()!;

    public void Dispose()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        GC.SuppressFinalize(this);
    }
}
