using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Grad.Tests.Packaging.Support;

namespace Grad.Tests.Packaging;

/// <summary>What each package holds: docs/getting-started.md lists the same.</summary>
public sealed partial class PackageLayoutTests
{
    private static PackagedGrad Packages => PackagedGrad.Shared;

    private static readonly string[] Libraries = ["Grad", "Grad.Datasets", "Grad.OpenCL"];

    [Fact]
    public void Grad_holds_the_library_with_its_docs_and_the_generator_where_the_compiler_finds_it()
    {
        var grad = new PackageFile(Packages.Package("Grad"));
        Assert.Contains("lib/net10.0/Grad.Core.dll", grad.Entries);
        Assert.Contains("lib/net10.0/Grad.Core.xml", grad.Entries);
        // The generator's folder names the Roslyn it is compiled against, which the repository pins.
        Assert.Equal(["analyzers/dotnet/" + GeneratorRoslynFolder() + "/cs/Grad.Generators.dll"], grad.Entries.Where(e => e.StartsWith("analyzers/", StringComparison.Ordinal)));
        Assert.Contains("build/Grad.targets", grad.Entries);
        Assert.Contains("buildTransitive/Grad.targets", grad.Entries);
        Assert.DoesNotContain(grad.Entries, e => e.Contains("Microsoft.CodeAnalysis", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(["System.Numerics.Tensors"], grad.Dependencies.Keys);
    }

    [Fact]
    public void Every_library_has_its_docs_symbols_readme_licence_and_version()
    {
        foreach (string id in Libraries)
        {
            var package = new PackageFile(Packages.Package(id));
            string assembly = id == "Grad" ? "Grad.Core" : id;
            Assert.Contains($"lib/net10.0/{assembly}.dll", package.Entries);
            Assert.Contains($"lib/net10.0/{assembly}.xml", package.Entries);
            Assert.True(File.Exists(Path.ChangeExtension(Packages.Package(id), ".snupkg")), $"{id} has no symbols package");
            AssertDescribed(package, id);
        }
    }

    [Fact]
    public void Datasets_and_OpenCL_depend_on_Grad_with_its_generator_and_build_check()
    {
        foreach (string id in new[] { "Grad.Datasets", "Grad.OpenCL" })
        {
            var grad = new PackageFile(Packages.Package(id)).Dependencies["Grad"];
            Assert.Equal(Repository.PackageVersion, (string?)grad.Attribute("version"));
            // Excluding Build or Analyzers would leave a user of this package without the generator.
            Assert.Null(grad.Attribute("exclude"));
        }
    }

    [Fact]
    public void The_tool_package_installs_the_grad_command()
    {
        var tool = new PackageFile(Packages.Package("Grad.Tool"));
        Assert.Equal(["DotnetTool"], tool.PackageTypes);
        Assert.Contains("tools/net10.0/any/grad.dll", tool.Entries);
        using var zip = ZipFile.OpenRead(Packages.Package("Grad.Tool"));
        using var settings = zip.GetEntry("tools/net10.0/any/DotnetToolSettings.xml")!.Open();
        var command = XDocument.Load(settings).Descendants("Command").Single();
        Assert.Equal("grad", (string?)command.Attribute("Name"));
        Assert.Equal("grad.dll", (string?)command.Attribute("EntryPoint"));
        AssertDescribed(tool, "Grad.Tool");
    }

    [Fact]
    public void The_template_package_holds_both_templates_on_the_packages_of_this_version()
    {
        var templates = new PackageFile(Packages.Package("Grad.Templates"));
        Assert.Equal(["Template"], templates.PackageTypes);
        Assert.Contains("content/grad-layer/.template.config/template.json", templates.Entries);
        Assert.Contains("content/grad-trainer/.template.config/template.json", templates.Entries);
        Assert.DoesNotContain(templates.Entries, e => e.Contains("/bin/", StringComparison.Ordinal) || e.Contains("/obj/", StringComparison.Ordinal));
        AssertDescribed(templates, "Grad.Templates");
        // The templates name Grad's packages by version; a template behind the packages would restore nothing.
        using var zip = ZipFile.OpenRead(Packages.Package("Grad.Templates"));
        var references = zip.Entries.Where(e => e.FullName.EndsWith(".csproj", StringComparison.Ordinal))
            .SelectMany(e =>
            {
                using var stream = e.Open();
                return XDocument.Load(stream).Descendants("PackageReference").ToList();
            })
            .Where(r => ((string?)r.Attribute("Include"))!.StartsWith("Grad", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(3, references.Count);   // Grad in grad-layer; Grad and Grad.Datasets in grad-trainer
        Assert.All(references, r => Assert.Equal(Repository.PackageVersion, (string?)r.Attribute("Version")));
    }

    private static void AssertDescribed(PackageFile package, string id)
    {
        Assert.Equal(id, package.Metadata("id"));
        Assert.Equal(Repository.PackageVersion, package.Metadata("version"));
        Assert.Equal("MIT", package.Metadata("license"));
        Assert.Equal("README.md", package.Metadata("readme"));
        Assert.Contains("README.md", package.Entries);
        Assert.False(string.IsNullOrWhiteSpace(package.Metadata("description")), $"{id} has no description");
    }

    /// <summary>roslynX.Y for the Microsoft.CodeAnalysis.CSharp version in Directory.Packages.props.</summary>
    private static string GeneratorRoslynFolder()
    {
        string props = File.ReadAllText(Path.Combine(Repository.Root, "Directory.Packages.props"));
        var version = Version.Parse(RoslynVersion().Match(props).Groups[1].Value);
        return $"roslyn{version.Major}.{version.Minor}";
    }

    [GeneratedRegex("Include=\"Microsoft\\.CodeAnalysis\\.CSharp\" Version=\"([0-9.]+)\"")]
    private static partial Regex RoslynVersion();
}
