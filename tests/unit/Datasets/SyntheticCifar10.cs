using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Grad.Datasets;

namespace Grad.Tests.Unit.Datasets;

/// <summary>
/// A small CIFAR-10 written in the official binary layout: <see cref="RecordsPerFile"/> records in
/// each of the six batch files, with labels and pixel bytes from given functions, so a test knows
/// every byte it reads back. Writes an extracted folder or a .tar.gz built like the official one.
/// </summary>
internal sealed class SyntheticCifar10
{
    public static readonly string[] ClassNames =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <param name="recordsPerFile">Records in each batch file.</param>
    /// <param name="label">Label of (file index 0..5, record); file 5 is the test batch.</param>
    /// <param name="pixel">Byte of (file index, record, position 0..3071 in the R, G, B planes).</param>
    public SyntheticCifar10(int recordsPerFile, Func<int, int, int> label, Func<int, int, int, byte> pixel)
    {
        RecordsPerFile = recordsPerFile;
        Label = label;
        Pixel = pixel;
        foreach (var (name, index) in Cifar10Layout.BatchFiles.Select((name, index) => (name, index)))
            Files[name] = Records(index);
        Files[Cifar10Layout.MetaFile] = Encoding.UTF8.GetBytes(string.Join("\n", ClassNames) + "\n\n");
    }

    /// <summary>Varied labels and pixels that differ per file, record, channel, row and column.</summary>
    public static SyntheticCifar10 Varied(int recordsPerFile = 3) => new(recordsPerFile,
        (file, record) => (file * 7 + record * 3) % 10,
        (file, record, position) => (byte)((file * 89 + record * 37 + position * 5 + position / 1024 * 11) % 256));

    public int RecordsPerFile { get; }
    public Func<int, int, int> Label { get; }
    public Func<int, int, int, byte> Pixel { get; }

    /// <summary>File name → bytes, editable before writing to make a broken copy.</summary>
    public Dictionary<string, byte[]> Files { get; } = new();

    private byte[] Records(int file)
    {
        var bytes = new byte[RecordsPerFile * Cifar10Layout.RecordBytes];
        for (int r = 0; r < RecordsPerFile; r++)
        {
            int offset = r * Cifar10Layout.RecordBytes;
            bytes[offset] = (byte)Label(file, r);
            for (int p = 0; p < Cifar10Layout.ImageBytes; p++) bytes[offset + 1 + p] = Pixel(file, r, p);
        }
        return bytes;
    }

    /// <summary>Writes <c>cifar-10-batches-bin/</c> under <paramref name="root"/> and returns that folder.</summary>
    public string WriteFolder(string root)
    {
        string folder = Path.Combine(root, Cifar10Layout.FolderName);
        Directory.CreateDirectory(folder);
        foreach (var (name, bytes) in Files) File.WriteAllBytes(Path.Combine(folder, name), bytes);
        return folder;
    }

    /// <summary>Writes the files as <c>cifar-10-batches-bin/...</c> entries of a gzip-compressed tar.</summary>
    public string WriteTarball(string path)
    {
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar))
        {
            tar.WriteEntry(new UstarTarEntry(TarEntryType.Directory, Cifar10Layout.FolderName + "/"));
            foreach (var (name, bytes) in Files)
                tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, $"{Cifar10Layout.FolderName}/{name}")
                    { DataStream = new MemoryStream(bytes) });
        }
        return path;
    }
}
