namespace Grad.Tests.Unit.Generator;

/// <summary>Exact-text expectations kept in files of the repository (generated code, and the
/// code pasted into the docs). Set GRAD_UPDATE_SNAPSHOTS=1 to rewrite them after an intended
/// change to the generator, then review the diff.</summary>
internal static class Snapshot
{
    public static string Root { get; } = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));

    public static bool Updating => Environment.GetEnvironmentVariable("GRAD_UPDATE_SNAPSHOTS") == "1";

    public static string SourceOf(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));

    /// <summary>Generates the code of one layer declared in a file of the repository.</summary>
    public static string Generate(string layerFile, string layer)
    {
        var (diagnostics, sources, errors) = GeneratorHarness.Run(
            "global using System;\nglobal using System.Linq;\nglobal using System.Collections.Generic;\nglobal using static Grad.Ops;",
            SourceOf(layerFile));
        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        return Assert.Single(sources, s => s.Key.EndsWith("." + layer + ".Grad.g.cs", StringComparison.Ordinal)).Value;
    }

    public static void Match(string relativePath, string actual)
    {
        var path = Path.Combine(Root, relativePath);
        if (Updating)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }
        Assert.True(File.Exists(path), $"{relativePath} does not exist; run the tests with GRAD_UPDATE_SNAPSHOTS=1 to create it.");
        var expected = File.ReadAllText(path);
        if (expected != actual)
            Assert.Fail($"{relativePath} differs from what the generator emits now (rerun with GRAD_UPDATE_SNAPSHOTS=1 if the change is intended).\n--- expected\n{expected}\n--- actual\n{actual}");
    }
}
