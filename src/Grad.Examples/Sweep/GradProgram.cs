namespace Grad.Examples.Sweep;

/// <summary>How a sweep starts <c>grad</c> for a trial: the binary a user names (a self-contained
/// single-file <c>grad</c> on a cluster without .NET), else the program running now, the way it runs
/// (its own executable, or <c>dotnet grad.dll</c>).</summary>
public static class GradProgram
{
    public static IReadOnlyList<string> Command(string? binary)
    {
        if (binary is not null)
        {
            var full = Path.GetFullPath(binary);
            if (!File.Exists(full)) throw new FileNotFoundException($"--grad-binary: {full} does not exist.");
            return [full];
        }
        string self = Environment.ProcessPath ?? throw new NotSupportedException("cannot tell which program is running; give --grad-binary PATH.");
        return Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? [self, Path.Combine(AppContext.BaseDirectory, "grad.dll")]
            : [self];
    }
}
