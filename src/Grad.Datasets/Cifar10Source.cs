namespace Grad.Datasets;

/// <summary>Where the CIFAR-10 files are read from: an extracted folder or the tarball itself.</summary>
public enum Cifar10SourceKind
{
    /// <summary>The <c>cifar-10-batches-bin</c> folder, holding the .bin files and batches.meta.txt.</summary>
    Folder,

    /// <summary>A <c>cifar-10-binary.tar.gz</c>, read in place without extracting.</summary>
    Tarball,
}

/// <summary>A located copy of CIFAR-10 (see <see cref="Cifar10.Locate"/>).</summary>
/// <param name="Path">The batches folder or the tarball file, as a full path.</param>
/// <param name="Kind">Which of the two <paramref name="Path"/> is.</param>
public sealed record Cifar10Source(string Path, Cifar10SourceKind Kind)
{
    public static Cifar10Source Folder(string path) => new(System.IO.Path.GetFullPath(path), Cifar10SourceKind.Folder);

    public static Cifar10Source Tarball(string path) => new(System.IO.Path.GetFullPath(path), Cifar10SourceKind.Tarball);

    public override string ToString() => Kind == Cifar10SourceKind.Folder ? $"folder {Path}" : $"tarball {Path}";
}
