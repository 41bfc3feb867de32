namespace Grad.Datasets;

/// <summary>
/// Where to look for CIFAR-10 and where a download goes: the explicit path if one is given, else
/// <c>$GRAD_DATA</c>, else <c>./data</c>. The first one that is set wins; an unusable setting is
/// reported rather than silently passed over, so a typo in GRAD_DATA is not hidden.
/// </summary>
/// <param name="Root">The chosen path, full.</param>
/// <param name="Origin">How it was chosen, for messages ("--data", "GRAD_DATA", "the default ./data").</param>
public sealed record Cifar10Location(string Root, string Origin)
{
    public const string EnvironmentVariable = "GRAD_DATA";

    /// <summary>Resolves the root from the argument, the environment and the working directory.</summary>
    public static Cifar10Location Resolve(string? path) =>
        Resolve(path, Environment.GetEnvironmentVariable(EnvironmentVariable), Environment.CurrentDirectory);

    /// <summary>The same, with the environment and the working directory given (for tests).</summary>
    public static Cifar10Location Resolve(string? path, string? gradData, string currentDirectory)
    {
        if (!string.IsNullOrWhiteSpace(path))
            return new(Path.GetFullPath(path, currentDirectory), "the --data path");
        if (!string.IsNullOrWhiteSpace(gradData))
            return new(Path.GetFullPath(gradData, currentDirectory), $"${EnvironmentVariable}");
        return new(Path.GetFullPath("data", currentDirectory), "the default ./data");
    }

    /// <summary>
    /// The data under <see cref="Root"/>: the root itself when it is a tarball or the batches folder,
    /// else a <c>cifar-10-batches-bin</c> folder or a <c>cifar-10-binary.tar.gz</c> inside it
    /// (the extracted folder first: it reads faster). Null when none is there.
    /// </summary>
    /// <exception cref="DatasetUnavailableException">A folder on the way exists but cannot be listed
    /// (permissions): the data may well be there, so this is not "not found", and nothing is downloaded.</exception>
    public Cifar10Source? Find()
    {
        if (File.Exists(Root)) return Cifar10Source.Tarball(Root);
        if (!Directory.Exists(Root)) return null;
        EnsureReadable(Root);
        if (Cifar10Layout.BatchFiles.Any(f => File.Exists(Path.Combine(Root, f))))
            return Cifar10Source.Folder(Root);
        string folder = Path.Combine(Root, Cifar10Layout.FolderName);
        if (Directory.Exists(folder))
        {
            EnsureReadable(folder);
            return Cifar10Source.Folder(folder);
        }
        string tarball = Path.Combine(Root, Cifar10Layout.TarballName);
        if (File.Exists(tarball)) return Cifar10Source.Tarball(tarball);
        return null;
    }

    /// <summary>Lists a folder. File.Exists inside a folder that cannot be listed just says false,
    /// so Find asks the folder itself. Tests replace it to play a folder the OS refuses: as root,
    /// which CI runs as, no permission bits make a folder unreadable.</summary>
    internal Func<string, IEnumerable<string>> ListFolder { get; init; } = Directory.EnumerateFileSystemEntries;

    private void EnsureReadable(string folder)
    {
        try
        {
            using var entries = ListFolder(folder).GetEnumerator();
            entries.MoveNext();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw Unreadable(folder, e);
        }
    }

    /// <summary>The error for a folder that exists but cannot be listed.</summary>
    private DatasetUnavailableException Unreadable(string folder, Exception inner) => new(
        $"CIFAR-10 could not be looked for at {Root} ({Origin}): the folder {folder} exists but cannot be read " +
        $"({inner.Message.TrimEnd('.')}). Give this user permission to list and read it (e.g. chmod -R u+rX {folder}), " +
        $"or point ${EnvironmentVariable} or --data at a copy it can read.", inner);

    /// <summary>Where a download is saved: the root itself when it names a .tar.gz, else the tarball inside it.</summary>
    public string DownloadTarget
    {
        get
        {
            if (Root.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || Root.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase))
                return Root;
            string folder = Path.GetFileName(Path.TrimEndingDirectorySeparator(Root)) == Cifar10Layout.FolderName
                ? Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Root))!
                : Root;
            return Path.Combine(folder, Cifar10Layout.TarballName);
        }
    }

    /// <summary>What to do by hand: what to download, from where, its MD5, where to put it.</summary>
    public string Instructions =>
        $"Download {Cifar10Layout.Url} (the CIFAR-10 binary version, about 170 MB, MD5 {Cifar10Layout.Md5}) " +
        $"and save it as {DownloadTarget} (no need to extract it; the extracted {Cifar10Layout.FolderName} folder " +
        $"there works too), or point ${EnvironmentVariable} or --data at a copy you already have.";

    /// <summary>The error for "nothing found here", with the reason a download did not happen.</summary>
    public DatasetUnavailableException NotFound(string? reason = null, Exception? inner = null) => new(
        $"CIFAR-10 was not found at {Root} ({Origin}): looked for that path as a tarball, for the " +
        $".bin files in it, and for {Cifar10Layout.FolderName}/ or {Cifar10Layout.TarballName} inside it." +
        (reason is null ? "" : $" {reason}") + Environment.NewLine + Instructions, inner);
}
