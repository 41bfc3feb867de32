using Grad.Datasets;

namespace Grad.Tests.Unit.Datasets;

/// <summary>Every way a copy can be broken gives an error that names the file and what was expected.</summary>
public class Cifar10ErrorTests
{
    private static InvalidDataException LoadFolder(TempDirectory temp, SyntheticCifar10 synthetic, int? recordsPerFile) =>
        Assert.Throws<InvalidDataException>(() => Cifar10.Load(
            Cifar10Source.Folder(synthetic.WriteFolder(temp.Path)), new Cifar10Options { RecordsPerFile = recordsPerFile }));

    private static InvalidDataException LoadTarball(TempDirectory temp, SyntheticCifar10 synthetic, int? recordsPerFile) =>
        Assert.Throws<InvalidDataException>(() => Cifar10.Load(
            Cifar10Source.Tarball(synthetic.WriteTarball(temp.Combine("broken.tar.gz"))), new Cifar10Options { RecordsPerFile = recordsPerFile }));

    [Fact]
    public void Truncated_file_names_the_file_and_the_expected_size()
    {
        using var temp = new TempDirectory();
        var synthetic = SyntheticCifar10.Varied(recordsPerFile: 2);
        synthetic.Files["data_batch_3.bin"] = synthetic.Files["data_batch_3.bin"][..5000];

        var error = LoadFolder(temp, synthetic, recordsPerFile: 2);

        Assert.Contains(Path.Combine(Cifar10Layout.FolderName, "data_batch_3.bin"), error.Message);
        Assert.Contains("5,000 bytes", error.Message);
        Assert.Contains("expected 6,146 bytes", error.Message);
    }

    [Fact]
    public void Official_size_is_expected_by_default_even_for_a_whole_number_of_records()
    {
        using var temp = new TempDirectory();
        var error = LoadFolder(temp, SyntheticCifar10.Varied(recordsPerFile: 2), recordsPerFile: Cifar10Layout.RecordsPerFile);

        Assert.Contains("data_batch_1.bin: 6,146 bytes (2 records)", error.Message);
        Assert.Contains("expected 30,730,000 bytes (10,000 records", error.Message);
    }

    [Fact]
    public void Any_whole_number_of_records_passes_without_a_fixed_count_but_a_partial_record_does_not()
    {
        using var temp = new TempDirectory();
        var synthetic = SyntheticCifar10.Varied(recordsPerFile: 2);
        synthetic.Files["test_batch.bin"] = [.. synthetic.Files["test_batch.bin"], 1, 2, 3];

        var error = LoadTarball(temp, synthetic, recordsPerFile: null);

        Assert.Contains($"{Cifar10Layout.FolderName}/test_batch.bin in {temp.Combine("broken.tar.gz")}", error.Message);
        Assert.Contains("6,149 bytes is not a whole number of 3073-byte records", error.Message);
    }

    [Fact]
    public void Label_above_9_names_the_file_the_record_and_the_label()
    {
        using var temp = new TempDirectory();
        var synthetic = SyntheticCifar10.Varied(recordsPerFile: 2);
        synthetic.Files["data_batch_2.bin"][Cifar10Layout.RecordBytes] = 10; // record 1's label

        var folderError = LoadFolder(temp, synthetic, recordsPerFile: 2);
        var tarballError = LoadTarball(temp, synthetic, recordsPerFile: 2);

        foreach (var error in new[] { folderError, tarballError })
        {
            Assert.Contains("data_batch_2.bin", error.Message);
            Assert.Contains("record 1 (byte offset 3,073) has label 10", error.Message);
        }
    }

    [Theory]
    [InlineData("data_batch_4.bin")]
    [InlineData("test_batch.bin")]
    [InlineData("batches.meta.txt")]
    public void Missing_file_is_named_in_folder_and_tarball(string missing)
    {
        using var temp = new TempDirectory();
        var synthetic = SyntheticCifar10.Varied(recordsPerFile: 2);
        synthetic.Files.Remove(missing);

        var folderError = LoadFolder(temp, synthetic, recordsPerFile: 2);
        var tarballError = LoadTarball(temp, synthetic, recordsPerFile: 2);

        Assert.Contains($"the folder {temp.Combine(Cifar10Layout.FolderName)} has no {missing}", folderError.Message);
        Assert.Contains($"the tarball {temp.Combine("broken.tar.gz")} has no ", tarballError.Message);
        Assert.Contains(missing, tarballError.Message);
        if (missing.EndsWith(".bin"))
            Assert.Contains("expected 6,146 bytes", folderError.Message);
    }

    [Fact]
    public void Corrupt_gzip_names_the_tarball_and_says_to_download_again()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("cifar-10-binary.tar.gz");
        byte[] good = File.ReadAllBytes(SyntheticCifar10.Varied(recordsPerFile: 2).WriteTarball(path));
        byte[] garbage = new byte[good.Length];
        new Random(1).NextBytes(garbage);
        garbage[0] = 0x1f; // a gzip magic number, then nonsense
        garbage[1] = 0x8b;

        foreach (byte[] bytes in new[] { garbage, good[..(good.Length / 2)] })
        {
            File.WriteAllBytes(path, bytes);
            var error = Assert.Throws<InvalidDataException>(() => Cifar10.Load(Cifar10Source.Tarball(path), new Cifar10Options { RecordsPerFile = 2 }));
            Assert.Contains(path, error.Message);
            Assert.Contains(Cifar10Layout.Md5, error.Message);
        }
    }

    [Fact]
    public void Wrong_number_of_class_names_is_an_error()
    {
        using var temp = new TempDirectory();
        var synthetic = SyntheticCifar10.Varied(recordsPerFile: 1);
        synthetic.Files["batches.meta.txt"] = "cat\ndog\n"u8.ToArray();

        var error = LoadFolder(temp, synthetic, recordsPerFile: 1);

        Assert.Contains("batches.meta.txt: 2 class names; expected 10", error.Message);
    }
}
