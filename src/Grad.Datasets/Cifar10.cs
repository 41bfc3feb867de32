using Grad.Data;

namespace Grad.Datasets;

/// <summary>
/// CIFAR-10, binary version: find it (<see cref="Locate"/>), fetch it when missing
/// (<see cref="LocateOrDownloadAsync"/>), and load it as float32 NCHW images with int labels
/// (<see cref="Load"/>). See docs/data.md.
/// </summary>
public static class Cifar10
{
    /// <summary>
    /// Finds CIFAR-10 under <paramref name="path"/> (a folder holding the data, the
    /// <c>cifar-10-batches-bin</c> folder itself, or the .tar.gz), else <c>$GRAD_DATA</c>, else <c>./data</c>.
    /// </summary>
    /// <exception cref="DatasetUnavailableException">Nothing is there (the message says what to download and where
    /// to put it), or a folder there cannot be read (the message says so, not "not found").</exception>
    public static Cifar10Source Locate(string? path = null)
    {
        var location = Cifar10Location.Resolve(path);
        return location.Find() ?? throw location.NotFound();
    }

    /// <summary>
    /// <see cref="Locate"/>, and when nothing is found, downloads the official tarball to
    /// <see cref="Cifar10Location.DownloadTarget"/> (MD5-checked) and returns it.
    /// </summary>
    /// <param name="path">As for <see cref="Locate"/>.</param>
    /// <param name="progress">Bytes received so far and the total when the server says it.</param>
    /// <param name="handler">The HTTP handler to use (tests inject one); null uses the system's.</param>
    /// <param name="cancellationToken">Stops the download; the partial file is deleted.</param>
    /// <exception cref="DatasetUnavailableException">Not found and no network, the download failed, or a folder there cannot be read.</exception>
    public static Task<Cifar10Source> LocateOrDownloadAsync(
        string? path = null,
        IProgress<(long bytes, long? total)>? progress = null,
        HttpMessageHandler? handler = null,
        CancellationToken cancellationToken = default) =>
        FindOrDownloadAsync(Cifar10Location.Resolve(path), progress, handler, cancellationToken);

    /// <summary>The same, at a given location (tests give one that plays an unreadable folder).</summary>
    internal static async Task<Cifar10Source> FindOrDownloadAsync(Cifar10Location location,
        IProgress<(long bytes, long? total)>? progress, HttpMessageHandler? handler, CancellationToken cancellationToken)
    {
        if (location.Find() is { } found) return found;
        if (File.Exists(location.DownloadTarget)) return Cifar10Source.Tarball(location.DownloadTarget);
        using var client = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        var downloader = new Cifar10Downloader(client);
        await downloader.DownloadAsync(location, progress, cancellationToken).ConfigureAwait(false);
        return Cifar10Source.Tarball(location.DownloadTarget);
    }

    /// <summary>
    /// Loads both splits: float32 images (N, 3, 32, 32) with values 0..255, then the preprocessing
    /// of <see cref="Cifar10Options.Normalization"/> fitted on the training split and applied to both.
    /// </summary>
    /// <exception cref="InvalidDataException">A file is missing, has the wrong size, a bad label, or the tarball is corrupt; the message names the file.</exception>
    public static Cifar10Data Load(Cifar10Source source, Cifar10Options? options = null)
    {
        options ??= new Cifar10Options();
        var raw = Cifar10Reader.Read(source, Cifar10Layout.BatchFiles.ToArray(), options.RecordsPerFile);
        int held = options.ValidationSize;
        long trainCount = Cifar10Layout.TrainFiles.Sum(file => (long)raw.Batches[file].Length / Cifar10Layout.RecordBytes);
        if (held < 0 || held >= trainCount)
            throw new ArgumentException($"Cifar10: a validation split of {held:N0} images must leave some of the {trainCount:N0} training images to train on.");

        var statistics = new PixelStatistics(Cifar10Layout.Channels, Cifar10Layout.Height, Cifar10Layout.Width);
        long skip = held;
        foreach (string file in Cifar10Layout.TrainFiles)
        {
            long records = raw.Batches[file].Length / Cifar10Layout.RecordBytes, skipped = Math.Min(skip, records);
            statistics.AddRecords(raw.Batches[file].AsSpan(checked((int)(skipped * Cifar10Layout.RecordBytes))));
            skip -= skipped;
        }
        var normalizer = statistics.Fit(options.Normalization, Cifar10Layout.Height, Cifar10Layout.Width);
        var (validation, train) = Cifar10Records.ToDatasets(raw.Batches, Cifar10Layout.TrainFiles, normalizer, held);
        var test = Cifar10Records.ToDataset(raw.Batches, [Cifar10Layout.TestFile], normalizer);
        return new(train, test, raw.ClassNames, normalizer, source) { Validation = validation };
    }

    /// <summary>
    /// Loads one split and applies a given preprocessing: e.g. the test split with the normaliser a
    /// trainer saved, or <see cref="ImageNormalizer.Identity"/> for the raw 0..255 values.
    /// </summary>
    public static ImageDataset LoadSplit(Cifar10Source source, Cifar10Split split, ImageNormalizer normalizer,
                                         int? recordsPerFile = Cifar10Layout.RecordsPerFile)
    {
        IReadOnlyList<string> names = split == Cifar10Split.Train ? Cifar10Layout.TrainFiles : [Cifar10Layout.TestFile];
        var raw = Cifar10Reader.Read(source, names.ToArray(), recordsPerFile);
        return Cifar10Records.ToDataset(raw.Batches, names, normalizer);
    }

    /// <summary>The class names in batches.meta.txt order (label 0 first).</summary>
    public static IReadOnlyList<string> ClassNames(Cifar10Source source) =>
        Cifar10Reader.Read(source, [], recordsPerFile: null).ClassNames;
}
