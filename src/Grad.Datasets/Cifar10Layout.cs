namespace Grad.Datasets;

/// <summary>
/// The official CIFAR-10 "binary version": where it lives on the web, what the tarball holds and
/// how one record is laid out. Everything the loader, the downloader and the error messages need
/// to agree on is here, once.
/// </summary>
public static class Cifar10Layout
{
    /// <summary>The official tarball.</summary>
    public const string Url = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";

    /// <summary>MD5 of the official tarball, as published on the CIFAR-10 page.</summary>
    public const string Md5 = "c32a1d4ab5d03f1284b67883e8d87530";

    public const string TarballName = "cifar-10-binary.tar.gz";

    /// <summary>The folder inside the tarball (and what extracting it creates).</summary>
    public const string FolderName = "cifar-10-batches-bin";

    public const string MetaFile = "batches.meta.txt";
    public const string TestFile = "test_batch.bin";

    public static readonly IReadOnlyList<string> TrainFiles =
        ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];

    public const int Channels = 3, Height = 32, Width = 32;
    public const int Classes = 10;

    /// <summary>Bytes of one image: 1024 red, then 1024 green, then 1024 blue, each row-major.</summary>
    public const int ImageBytes = Channels * Height * Width;

    /// <summary>One label byte followed by the image.</summary>
    public const int RecordBytes = 1 + ImageBytes;

    /// <summary>Records in each official batch file.</summary>
    public const int RecordsPerFile = 10_000;

    /// <summary>The size of each official batch file: 30,730,000 bytes.</summary>
    public const long FileBytes = (long)RecordsPerFile * RecordBytes;

    /// <summary>The largest batch file read when any record count is accepted: whole records within one array.</summary>
    public const long MaxFileBytes = (long)(int.MaxValue / RecordBytes) * RecordBytes;

    /// <summary>The largest class-names file read (the official one is 61 bytes).</summary>
    public const long MaxMetaBytes = 64 * 1024;

    /// <summary>Every batch file the loader needs, training files first.</summary>
    public static IEnumerable<string> BatchFiles => TrainFiles.Append(TestFile);
}
