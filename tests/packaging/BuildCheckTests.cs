using System.IO.Compression;
using Grad.Tests.Packaging.Support;

namespace Grad.Tests.Packaging;

/// <summary>
/// The build check that ships in the Grad package (src/Grad.Core/build/Grad.targets): a compiler
/// older than the Roslyn the generator is compiled against fails the build with GRAD100, naming
/// the cause and the fix, instead of compiling [Layer] records without their generated members
/// and failing with CS1061.
/// </summary>
/// <remarks>
/// The feed serves no C# compiler older than the generator's Roslyn 4.14 (Microsoft.Net.Compilers.Toolset
/// comes only as 4.14.0 and 5.9.0), so the test turns it round, with a real compiler and a real
/// generator: the repository's generator sources compiled against Microsoft.CodeAnalysis.CSharp
/// 5.12.0, newer than this SDK's compiler (Roslyn 5.9), and placed in the Grad package where
/// packing puts it (analyzers/dotnet/roslyn5.12/cs). The consumer is then exactly a project whose
/// compiler is older than its Grad generator.
/// </remarks>
public sealed class BuildCheckTests
{
    private const string NewerRoslyn = "5.12.0";
    private static readonly string NewerRoslynApi = Version.Parse(NewerRoslyn).ToString(2);
    private static readonly string NewerRoslynFolder = "roslyn" + NewerRoslynApi;

    [Fact]
    public void A_compiler_older_than_the_generator_fails_the_build_naming_the_cause_and_the_fix()
    {
        // Built before asking for the packages, so that it overlaps the packing that another test class starts.
        string root = Path.Combine(Path.GetTempPath(), "grad-older-compiler-" + Guid.NewGuid().ToString("N"));
        try
        {
            AssertBuildFailsNamingTheCause(root, BuildGeneratorAgainst(NewerRoslyn, Path.Combine(root, "generator")));
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>A consumer of the Grad package with <paramref name="generator"/> inside, built in <paramref name="root"/>.</summary>
    private static void AssertBuildFailsNamingTheCause(string root, string generator)
    {
        var packages = PackagedGrad.Shared;
        string feed = Path.Combine(root, "feed");
        Directory.CreateDirectory(feed);
        RepackWithGenerator(packages.Package("Grad"), Path.Combine(feed, Path.GetFileName(packages.Package("Grad"))), generator, NewerRoslynFolder);

        PackagedGrad.WriteNuGetConfig(root, feed, Path.Combine(root, "packages"));
        string consumer = ConsumerProject.Create(root, "Consumer");
        File.WriteAllText(Path.Combine(consumer, "Program.cs"), UsesGeneratedTrain);
        var build = DotNet.Run(consumer, "build");
        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("error GRAD100", build.Output);
        Assert.Contains($"needs a C# compiler of Roslyn {NewerRoslynApi} or newer", build.Output);
        Assert.Contains("Microsoft.Net.Compilers.Toolset", build.Output);
        Assert.DoesNotContain("error CS1061", build.Output);   // stopped before the compiler, as promised
    }

    /// <summary>A program that declares a layer and calls its generated Train: CS1061 without the generator.</summary>
    private const string UsesGeneratedTrain = """
        using Grad;
        using static Grad.Ops;

        using var x = Tensor.Ones([2, 3]);
        using var y = new Silu().Train(x).Output;   // CS1061 without the generator

        [Layer]
        public sealed partial record Silu
        {
            [Forward]
            public Tensor Forward(Tensor x) => x * Sigmoid(x);
        }
        """;

    /// <summary>Compiles src/Grad.Generators, copied without its build outputs, against another Microsoft.CodeAnalysis.CSharp.</summary>
    private static string BuildGeneratorAgainst(string roslyn, string folder)
    {
        string source = Path.Combine(Repository.Root, "src", "Grad.Generators");
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(source, file);
            if (relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal) || relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                continue;
            string target = Path.Combine(folder, "Grad.Generators", relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        File.Copy(Path.Combine(Repository.Root, "Directory.Build.props"), Path.Combine(folder, "Directory.Build.props"));
        // The analyzers package must keep up with the compiler package it is paired with.
        string versions = File.ReadAllText(Path.Combine(Repository.Root, "Directory.Packages.props"));
        versions = System.Text.RegularExpressions.Regex.Replace(versions,
            "Include=\"(Microsoft\\.CodeAnalysis\\.(CSharp|Analyzers))\" Version=\"[0-9.]+\"", $"Include=\"$1\" Version=\"{roslyn}\"");
        File.WriteAllText(Path.Combine(folder, "Directory.Packages.props"), versions);
        DotNet.Run(folder, "build", Path.Combine("Grad.Generators", "Grad.Generators.csproj"), "-c", "Release").EnsureSucceeded();
        return Path.Combine(folder, "Grad.Generators", "bin", "Release", "netstandard2.0", "Grad.Generators.dll");
    }

    /// <summary>The Grad package with its generator replaced by <paramref name="generator"/>, under analyzers/dotnet/<paramref name="roslynFolder"/>/cs.</summary>
    private static void RepackWithGenerator(string package, string into, string generator, string roslynFolder)
    {
        File.Copy(package, into);
        using var zip = ZipFile.Open(into, ZipArchiveMode.Update);
        foreach (var entry in zip.Entries.Where(e => e.FullName.StartsWith("analyzers/", StringComparison.Ordinal)).ToList())
            entry.Delete();
        zip.CreateEntryFromFile(generator, $"analyzers/dotnet/{roslynFolder}/cs/Grad.Generators.dll");
    }
}
