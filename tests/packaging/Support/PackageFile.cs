using System.IO.Compression;
using System.Xml.Linq;

namespace Grad.Tests.Packaging.Support;

/// <summary>A .nupkg opened for reading: its file list and its nuspec.</summary>
public sealed class PackageFile
{
    public PackageFile(string path)
    {
        Assert.True(File.Exists(path), $"{Path.GetFileName(path)} was not packed");
        using var zip = ZipFile.OpenRead(path);
        Entries = zip.Entries.Select(e => e.FullName).ToList();
        var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspec.Open();
        Nuspec = XDocument.Load(stream);
    }

    public IReadOnlyList<string> Entries { get; }

    public XDocument Nuspec { get; }

    /// <summary>A metadata element's value (id, version, readme, …); null when absent.</summary>
    public string? Metadata(string name) => Nuspec.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    /// <summary>The package's dependencies: id → the dependency element.</summary>
    public IReadOnlyDictionary<string, XElement> Dependencies =>
        Nuspec.Descendants().Where(e => e.Name.LocalName == "dependency").ToDictionary(e => (string)e.Attribute("id")!);

    /// <summary>The package types (Dependency when none is named, as NuGet reads it).</summary>
    public IReadOnlyList<string> PackageTypes
    {
        get
        {
            var types = Nuspec.Descendants().Where(e => e.Name.LocalName == "packageType").Select(e => (string)e.Attribute("name")!).ToList();
            return types.Count > 0 ? types : ["Dependency"];
        }
    }
}
