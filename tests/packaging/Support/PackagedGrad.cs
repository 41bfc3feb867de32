using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Grad.Tests.Packaging.Support;

/// <summary>
/// Every package of the repository, packed once into a temporary folder outside it, and a place
/// to consume them as a user would: <see cref="Work"/> holds a nuget.config that clears all
/// sources and lists only that folder and the local package cache that the repository's own
/// restore filled (where a consumer's other dependencies come from: System.Numerics.Tensors,
/// xunit), with a global packages folder of its own, so nothing is fetched, and no Grad package
/// from an earlier run is reused. Grad.Templates is installed into a private template hive, and
/// a project is made from each template (<see cref="LayerProject"/>, <see cref="TrainerProject"/>).
/// </summary>
/// <remarks>
/// One instance serves the whole test run (<see cref="Shared"/>), made by the first test class that
/// asks: xunit runs the classes two at a time, so the others build and run their consumers in
/// parallel instead of each packing again. Its folder is one per checkout, emptied when a run
/// starts and left after it, to look into when a consumer failed: the test host is stopped
/// without a chance to clean up, and a folder per run would pile up (about 0.5 GB each).
/// </remarks>
public sealed class PackagedGrad
{
    private static readonly Lazy<PackagedGrad> Instance = new(() => new PackagedGrad(), LazyThreadSafetyMode.ExecutionAndPublication);

    public static PackagedGrad Shared => Instance.Value;

    private PackagedGrad()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
        Directory.CreateDirectory(Feed);
        Directory.CreateDirectory(Work);
        DotNet.Run(Repository.Root, "pack", "Grad.sln", "-c", Repository.Configuration, "--no-build", "-o", Feed).EnsureSucceeded();
        WriteNuGetConfig(Work, Feed, Path.Combine(Root, "packages"));
        DotNet.Run(Work, "new", "install", Package("Grad.Templates"), "--debug:custom-hive", Hive).EnsureSucceeded();
        // Made here, one after the other: `dotnet new` runs from tests in parallel would share the hive.
        LayerProject = NewProject("grad-layer", "MyLayers");
        TrainerProject = NewProject("grad-trainer", "MyTrainer");
    }

    /// <summary>The folder <c>dotnet new grad-layer -n MyLayers</c> made.</summary>
    public string LayerProject { get; }

    /// <summary>The folder <c>dotnet new grad-trainer -n MyTrainer</c> made.</summary>
    public string TrainerProject { get; }

    public string Root { get; } = Path.Combine(Path.GetTempPath(),
        "grad-packages-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Repository.Root)))[..12]);

    /// <summary>The folder the packages are packed into: the consumers' package source.</summary>
    public string Feed => Path.Combine(Root, "feed");

    /// <summary>Where consumers are created; its nuget.config applies to every folder below it.</summary>
    public string Work => Path.Combine(Root, "work");

    private string Hive => Path.Combine(Root, "template-hive");

    /// <summary>The .nupkg of a package, at the repository's version.</summary>
    public string Package(string id) => Path.Combine(Feed, $"{id}.{Repository.PackageVersion}.nupkg");

    private string NewProject(string template, string name)
    {
        DotNet.Run(Work, "new", template, "-n", name, "-o", name, "--debug:custom-hive", Hive).EnsureSucceeded();
        return Path.Combine(Work, name);
    }

    /// <summary>Writes the offline nuget.config: only <paramref name="feed"/> and the local cache.</summary>
    public static void WriteNuGetConfig(string directory, string feed, string globalPackages) =>
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{globalPackages}" />
              </config>
              <packageSources>
                <clear />
                <add key="grad" value="{feed}" />
                <add key="local-cache" value="{LocalCache}" />
              </packageSources>
            </configuration>
            """);

    /// <summary>The global packages folder the repository restored into (read from a project's assets file).</summary>
    private static string LocalCache
    {
        get
        {
            string assets = Path.Combine(Repository.Root, "src", "Grad.Core", "obj", "project.assets.json");
            using var json = JsonDocument.Parse(File.ReadAllText(assets));
            return json.RootElement.GetProperty("packageFolders").EnumerateObject().First().Name;
        }
    }
}
