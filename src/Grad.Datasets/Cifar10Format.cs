namespace Grad.Datasets;

/// <summary>
/// Checks on the bytes of a batch file, each failing with an <see cref="InvalidDataException"/> that
/// names the file and what was expected, so a truncated download or a wrong file is obvious.
/// </summary>
internal static class Cifar10Format
{
    /// <summary>The size check, done before reading so a wrong file costs nothing.</summary>
    /// <param name="file">The file as the user would find it (a path, or "entry in tarball").</param>
    /// <param name="length">Its size in bytes.</param>
    /// <param name="recordsPerFile">Records each file must hold; null accepts any non-empty whole number.</param>
    public static void CheckSize(string file, long length, int? recordsPerFile)
    {
        long expected = (long)(recordsPerFile ?? Cifar10Layout.RecordsPerFile) * Cifar10Layout.RecordBytes;
        string expectation = $"expected {expected:N0} bytes ({recordsPerFile ?? Cifar10Layout.RecordsPerFile:N0} records of " +
                             $"{Cifar10Layout.RecordBytes} bytes: 1 label byte, then 1024 red, 1024 green and 1024 blue bytes)";
        if (recordsPerFile is null && length > Cifar10Layout.MaxFileBytes)
            throw new InvalidDataException(
                $"{file}: {length:N0} bytes; a CIFAR-10 batch file holds at most {Cifar10Layout.MaxFileBytes:N0} bytes here. " +
                "The file is corrupt or is not a CIFAR-10 binary-version batch.");
        if (length == 0 || length % Cifar10Layout.RecordBytes != 0)
            throw new InvalidDataException(
                $"{file}: {length:N0} bytes is not a whole number of {Cifar10Layout.RecordBytes}-byte records; {expectation}. " +
                "The file is truncated or is not a CIFAR-10 binary-version batch.");
        if (recordsPerFile is { } records && length != expected)
            throw new InvalidDataException(
                $"{file}: {length:N0} bytes ({length / Cifar10Layout.RecordBytes:N0} records); {expectation}. " +
                "The file is truncated or is not a CIFAR-10 binary-version batch.");
    }

    /// <summary>batches.meta.txt holds ten short names; anything much larger is not it (and must not be read whole).</summary>
    public static void CheckMetaSize(string file, long length)
    {
        if (length > Cifar10Layout.MaxMetaBytes)
            throw new InvalidDataException(
                $"{file}: {length:N0} bytes; the class names file holds ten names, one per line (at most {Cifar10Layout.MaxMetaBytes:N0} bytes). " +
                "The file is corrupt or is not CIFAR-10's batches.meta.txt.");
    }

    /// <summary>Every record's label byte must be a class index.</summary>
    public static void CheckLabels(string file, ReadOnlySpan<byte> records)
    {
        for (int i = 0, offset = 0; offset < records.Length; i++, offset += Cifar10Layout.RecordBytes)
        {
            byte label = records[offset];
            if (label >= Cifar10Layout.Classes)
                throw new InvalidDataException(
                    $"{file}: record {i} (byte offset {offset:N0}) has label {label}; CIFAR-10 labels are 0..{Cifar10Layout.Classes - 1}. " +
                    "The file is corrupt or is not the CIFAR-10 binary version (CIFAR-100's records have two label bytes).");
        }
    }

    /// <summary>Class names from batches.meta.txt: one per line, blank lines ignored.</summary>
    public static string[] ParseClassNames(string file, string text)
    {
        string[] names = text.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0).ToArray();
        if (names.Length != Cifar10Layout.Classes)
            throw new InvalidDataException(
                $"{file}: {names.Length} class names; expected {Cifar10Layout.Classes}, one per line (airplane, automobile, ...).");
        return names;
    }
}
