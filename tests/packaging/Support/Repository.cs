using System.Reflection;

namespace Grad.Tests.Packaging.Support;

/// <summary>The checkout under test, as this assembly was built from it.</summary>
public static class Repository
{
    public static string Root { get; } = Metadata("RepositoryRoot");

    /// <summary>The configuration (Debug, Release) the packed projects were built in, with these tests.</summary>
    public static string Configuration { get; } = Metadata("Configuration");

    /// <summary>The version every package gets (Directory.Build.props).</summary>
    public static string PackageVersion { get; } = Metadata("PackageVersion");

    /// <summary>CIFAR-10 for the trainer: <c>$GRAD_DATA</c> (CI sets it), else the shared copy beside the
    /// checkout. Where neither exists the test fails saying so: a skipped test proves nothing.</summary>
    public static string Cifar10
    {
        get
        {
            string? data = Environment.GetEnvironmentVariable("GRAD_DATA");
            if (!string.IsNullOrWhiteSpace(data)) return data;
            string shared = Path.GetFullPath(Path.Combine(Root, "..", "shared", "data", "cifar-10-binary.tar.gz"));
            return File.Exists(shared) ? shared
                : throw new InvalidOperationException($"no CIFAR-10 for the trainer template: set GRAD_DATA to cifar-10-binary.tar.gz, or put it at {shared}");
        }
    }

    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"the test assembly lacks its {key} metadata");
}
