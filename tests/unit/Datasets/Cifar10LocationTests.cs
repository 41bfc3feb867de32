using Grad.Datasets;

namespace Grad.Tests.Unit.Datasets;

public class Cifar10LocationTests
{
    [Fact]
    public void Explicit_path_wins_over_GRAD_DATA_which_wins_over_dot_data()
    {
        Assert.Equal(new Cifar10Location("/x/mine", "the --data path"), Cifar10Location.Resolve("mine", "/env", "/x"));
        Assert.Equal(new Cifar10Location("/env", "$GRAD_DATA"), Cifar10Location.Resolve(null, "/env", "/x"));
        Assert.Equal(new Cifar10Location("/x/data", "the default ./data"), Cifar10Location.Resolve(" ", "", "/x"));
    }

    [Fact]
    public void Finds_the_data_folder_the_batches_folder_itself_or_a_tarball()
    {
        using var temp = new TempDirectory();
        var synthetic = SyntheticCifar10.Varied(recordsPerFile: 1);
        string folder = synthetic.WriteFolder(temp.Combine("extracted"));
        Directory.CreateDirectory(temp.Combine("packed"));
        string tarball = synthetic.WriteTarball(temp.Combine("packed", Cifar10Layout.TarballName));

        Assert.Equal(Cifar10Source.Folder(folder), Find(temp.Combine("extracted")));
        Assert.Equal(Cifar10Source.Folder(folder), Find(folder));
        Assert.Equal(Cifar10Source.Tarball(tarball), Find(temp.Combine("packed")));
        Assert.Equal(Cifar10Source.Tarball(tarball), Find(tarball));
        Assert.Null(Find(temp.Combine("nowhere")));
        Assert.Equal(Cifar10Source.Folder(folder), Cifar10.Locate(temp.Combine("extracted")));
    }

    [Fact]
    public void Download_goes_beside_the_data_folder_or_to_the_named_tarball()
    {
        Assert.Equal("/d/cifar-10-binary.tar.gz", Cifar10Location.Resolve("/d", null, "/").DownloadTarget);
        Assert.Equal("/d/cifar-10-binary.tar.gz", Cifar10Location.Resolve("/d/cifar-10-batches-bin/", null, "/").DownloadTarget);
        Assert.Equal("/d/my.tar.gz", Cifar10Location.Resolve("/d/my.tar.gz", null, "/").DownloadTarget);
    }

    [Fact]
    public void Not_found_says_what_to_download_from_where_its_MD5_and_where_to_put_it()
    {
        using var temp = new TempDirectory();
        string root = temp.Combine("empty");

        var error = Assert.Throws<DatasetUnavailableException>(() => Cifar10.Locate(root));

        Assert.Contains($"not found at {root} (the --data path)", error.Message);
        Assert.Contains("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz", error.Message);
        Assert.Contains("c32a1d4ab5d03f1284b67883e8d87530", error.Message);
        Assert.Contains($"save it as {Path.Combine(root, "cifar-10-binary.tar.gz")}", error.Message);
        Assert.Contains("$GRAD_DATA", error.Message);
        Assert.Contains("--data", error.Message);
    }

    private static Cifar10Source? Find(string path) => Cifar10Location.Resolve(path, null, "/").Find();
}
