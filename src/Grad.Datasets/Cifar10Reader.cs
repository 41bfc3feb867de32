using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Grad.Datasets;

/// <summary>The raw bytes of the batch files that were asked for, and the class names.</summary>
internal sealed record Cifar10RawFiles(Dictionary<string, byte[]> Batches, string[] ClassNames);

/// <summary>
/// Reads batch files (whole records: label byte + pixels) from an extracted folder or straight out
/// of the tarball, one pass through the gzip stream, never extracting to disk. Every file is
/// size-checked before it is read and label-checked after.
/// </summary>
internal static class Cifar10Reader
{
    public static Cifar10RawFiles Read(Cifar10Source source, IReadOnlyCollection<string> batchFiles, int? recordsPerFile) =>
        source.Kind == Cifar10SourceKind.Folder
            ? ReadFolder(source.Path, batchFiles, recordsPerFile)
            : ReadTarball(source.Path, batchFiles, recordsPerFile);

    private static Cifar10RawFiles ReadFolder(string folder, IReadOnlyCollection<string> batchFiles, int? recordsPerFile)
    {
        var batches = new Dictionary<string, byte[]>();
        foreach (string name in batchFiles)
        {
            string path = Path.Combine(folder, name);
            if (!File.Exists(path)) throw Missing(name, $"the folder {folder}", recordsPerFile);
            // The size of what is opened: a symbolic link's target, not the link.
            using var stream = File.OpenRead(path);
            Cifar10Format.CheckSize(path, stream.Length, recordsPerFile);
            byte[] bytes = new byte[stream.Length];
            try
            {
                stream.ReadExactly(bytes);
            }
            catch (EndOfStreamException)
            {
                throw new InvalidDataException($"{path}: the file shrank while it was read; read it again when nothing is writing it.");
            }
            Cifar10Format.CheckLabels(path, bytes);
            batches[name] = bytes;
        }
        string meta = Path.Combine(folder, Cifar10Layout.MetaFile);
        if (!File.Exists(meta)) throw MissingMeta($"the folder {folder}");
        using var metaStream = File.OpenRead(meta);
        Cifar10Format.CheckMetaSize(meta, metaStream.Length);
        using var metaReader = new StreamReader(metaStream, Encoding.UTF8);
        return new(batches, Cifar10Format.ParseClassNames(meta, metaReader.ReadToEnd()));
    }

    private static Cifar10RawFiles ReadTarball(string tarball, IReadOnlyCollection<string> batchFiles, int? recordsPerFile)
    {
        var batches = new Dictionary<string, byte[]>();
        string[]? classNames = null;
        using var file = File.OpenRead(tarball);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (NextEntry(tar, tarball) is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
            string name = Path.GetFileName(entry.Name);
            string where = $"{entry.Name} in {tarball}";
            if (batchFiles.Contains(name) && !batches.ContainsKey(name))
            {
                Cifar10Format.CheckSize(where, entry.Length, recordsPerFile);
                byte[] bytes = ReadData(entry, tarball);
                Cifar10Format.CheckLabels(where, bytes);
                batches[name] = bytes;
            }
            else if (name == Cifar10Layout.MetaFile && classNames is null)
            {
                Cifar10Format.CheckMetaSize(where, entry.Length);
                classNames = Cifar10Format.ParseClassNames(where, Encoding.UTF8.GetString(ReadData(entry, tarball)));
            }
            if (classNames is not null && batches.Count == batchFiles.Count) break;
        }
        // Read the gzip stream to its end: its trailer's CRC-32 and length are checked only there,
        // so a flipped byte anywhere in the file is caught, not just one that breaks the tar.
        try
        {
            gzip.CopyTo(Stream.Null);
        }
        catch (Exception e) when (IsCorruption(e)) { throw Corrupt(tarball, e); }
        foreach (string name in batchFiles)
            if (!batches.ContainsKey(name)) throw Missing($"{Cifar10Layout.FolderName}/{name}", $"the tarball {tarball}", recordsPerFile);
        if (classNames is null) throw MissingMeta($"the tarball {tarball}");
        return new(batches, classNames);
    }

    private static TarEntry? NextEntry(TarReader tar, string tarball)
    {
        try { return tar.GetNextEntry(copyData: false); }
        catch (Exception e) when (IsCorruption(e)) { throw Corrupt(tarball, e); }
    }

    private static byte[] ReadData(TarEntry entry, string tarball)
    {
        // Sizes were checked against the format's bounds before this; an array cannot hold more.
        if (entry.Length > Array.MaxLength) throw Corrupt(tarball, new InvalidDataException($"entry {entry.Name} declares {entry.Length:N0} bytes"));
        var bytes = new byte[entry.Length];
        try
        {
            if (entry.DataStream is null) throw new EndOfStreamException("the entry has no data");
            entry.DataStream.ReadExactly(bytes);
        }
        catch (Exception e) when (IsCorruption(e)) { throw Corrupt(tarball, e); }
        return bytes;
    }

    private static bool IsCorruption(Exception e) => e is InvalidDataException or EndOfStreamException or FormatException;

    private static InvalidDataException Corrupt(string tarball, Exception e) => new(
        $"{tarball}: cannot be read as a gzip-compressed tar archive ({e.Message.TrimEnd('.')}). The file is corrupt or truncated: " +
        $"delete it and download {Cifar10Layout.Url} again (MD5 {Cifar10Layout.Md5}).", e);

    private static InvalidDataException Missing(string file, string where, int? recordsPerFile) => new(
        $"{where} has no {file} (expected {(long)(recordsPerFile ?? Cifar10Layout.RecordsPerFile) * Cifar10Layout.RecordBytes:N0} bytes). " +
        $"The CIFAR-10 copy is incomplete: it needs {string.Join(", ", Cifar10Layout.BatchFiles)} and {Cifar10Layout.MetaFile}.");

    private static InvalidDataException MissingMeta(string where) => new(
        $"{where} has no {Cifar10Layout.MetaFile} (the class names, one per line). The CIFAR-10 copy is incomplete.");
}
