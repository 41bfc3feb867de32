using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Grad.Datasets;

namespace Grad.Tests.Unit.Datasets;

/// <summary>Data a careless copy or a hostile file would give the loader (issue 13, item 10): a
/// damaged gzip trailer, symbolic links, entries that declare huge sizes.</summary>
public sealed class Cifar10HardeningTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static Cifar10Options Options(int? records) => new() { RecordsPerFile = records, Normalization = Normalization.None };

    [Fact]
    public void A_tarball_whose_gzip_checksum_does_not_match_is_refused()
    {
        var synthetic = SyntheticCifar10.Varied(recordsPerFile: 2);
        var path = synthetic.WriteTarball(_temp.Combine("c.tar.gz"));
        Cifar10.Load(Cifar10Source.Tarball(path), Options(2)); // intact: loads
        var bytes = File.ReadAllBytes(path);
        bytes[^8] ^= 1; // the trailer's CRC-32: only reading to the end notices
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => Cifar10.Load(Cifar10Source.Tarball(path), Options(2)));
        Assert.Contains(path, e.Message);
        Assert.Contains("corrupt", e.Message);
    }

    [Fact]
    public void Symbolically_linked_batch_files_are_read_through_their_links()
    {
        if (OperatingSystem.IsWindows()) return;
        var synthetic = SyntheticCifar10.Varied(recordsPerFile: 2);
        var real = synthetic.WriteFolder(_temp.Combine("real"));
        var linked = Directory.CreateDirectory(_temp.Combine("linked", Cifar10Layout.FolderName)).FullName;
        foreach (var name in synthetic.Files.Keys) File.CreateSymbolicLink(Path.Combine(linked, name), Path.Combine(real, name));
        var viaLinks = Cifar10.Load(Cifar10Source.Folder(linked), Options(2));
        var direct = Cifar10.Load(Cifar10Source.Folder(real), Options(2));
        Assert.Equal(direct.Train.Labels, viaLinks.Train.Labels);
        Assert.Equal(direct.Test.Count, viaLinks.Test.Count);
    }

    /// <summary>A tarball whose only entry is <paramref name="name"/>, declaring <paramref name="declared"/> bytes and holding few.</summary>
    private string TarballDeclaring(string name, long declared)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
            writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, $"{Cifar10Layout.FolderName}/{name}") { DataStream = new MemoryStream(new byte[512]) });
        var bytes = tar.ToArray();
        Encoding.ASCII.GetBytes(Convert.ToString(declared, 8).PadLeft(11, '0') + "\0").CopyTo(bytes, 124); // the size field
        Encoding.ASCII.GetBytes("        ").CopyTo(bytes, 148);
        int sum = bytes.Take(512).Sum(b => b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(bytes, 148); // its checksum
        var path = _temp.Combine(name + ".tar.gz");
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
            gzip.Write(bytes);
        return path;
    }

    [Fact]
    public void A_tar_entry_declaring_gigabytes_is_refused_before_anything_is_allocated()
    {
        long declared = 3073L * 2_800_000; // 8.6 GB of whole records
        var path = TarballDeclaring("data_batch_1.bin", declared);
        var e = Assert.Throws<InvalidDataException>(() => Cifar10.Load(Cifar10Source.Tarball(path), Options(null)));
        Assert.Contains("8,604,400,000 bytes", e.Message);
        Assert.Contains("at most", e.Message);
    }

    [Fact]
    public void A_huge_class_names_file_is_refused_by_its_size()
    {
        var path = TarballDeclaring("batches.meta.txt", 300_000_000);
        var e = Assert.Throws<InvalidDataException>(() => Cifar10.Load(Cifar10Source.Tarball(path), Options(2)));
        Assert.Contains("300,000,000 bytes", e.Message);

        var synthetic = SyntheticCifar10.Varied(recordsPerFile: 2);
        synthetic.Files[Cifar10Layout.MetaFile] = Encoding.ASCII.GetBytes(new string('\n', 1_000_000));
        var folder = synthetic.WriteFolder(_temp.Combine("meta"));
        e = Assert.Throws<InvalidDataException>(() => Cifar10.Load(Cifar10Source.Folder(folder), Options(2)));
        Assert.Contains("1,000,000 bytes", e.Message);
    }
}
