using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Grad.Datasets;

namespace Grad.Tests.Unit.Datasets;

/// <summary>The downloader over a fake HTTP handler: no test touches the network.</summary>
public class Cifar10DownloadTests
{
    /// <summary>Answers every request with <see cref="Respond"/>, counting the requests.</summary>
    private sealed class FakeHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
    {
        public int Requests { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            return Task.FromResult(respond(request));
        }

        public static FakeHandler Serving(byte[] body) => new(_ => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentLength = body.Length } },
        });

        public static FakeHandler Offline() => new(request => throw new HttpRequestException(
            $"Name or service not known ({request.RequestUri!.Host}:443)", new SocketException((int)SocketError.HostNotFound)));
    }

    private sealed class Recorder : IProgress<(long bytes, long? total)>
    {
        public List<(long bytes, long? total)> Reports { get; } = [];
        public void Report((long bytes, long? total) value) => Reports.Add(value);
    }

    private static byte[] Body(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();

    [Fact]
    public async Task A_failed_download_into_a_folder_that_did_not_exist_leaves_no_folder()
    {
        using var temp = new TempDirectory();
        string root = temp.Combine("no", "such", "dir");
        await Assert.ThrowsAsync<DatasetUnavailableException>(() => Cifar10.LocateOrDownloadAsync(root, handler: FakeHandler.Offline()));
        Assert.False(Directory.Exists(temp.Combine("no")), $"{temp.Combine("no")} was created");
    }

    [Theory]
    [InlineData("the data folder")]
    [InlineData("the batches folder")]
    public async Task A_folder_that_cannot_be_read_is_reported_as_such_and_nothing_is_downloaded(string which)
    {
        using var temp = new TempDirectory();
        string root = temp.Combine("data");
        string batches = SyntheticCifar10.Varied(recordsPerFile: 1).WriteFolder(root);
        string denied = which == "the data folder" ? root : batches;
        // What the OS answers a user without permission (CI runs as root, whom chmod does not stop).
        var location = Cifar10Location.Resolve(root, null, "/") with
        {
            ListFolder = path => path == denied
                ? throw new UnauthorizedAccessException($"Access to the path '{path}' is denied.")
                : Directory.EnumerateFileSystemEntries(path),
        };
        var handler = FakeHandler.Offline();

        var error = await Assert.ThrowsAsync<DatasetUnavailableException>(() => Cifar10.FindOrDownloadAsync(location, null, handler, default));

        Assert.Equal(0, handler.Requests);
        Assert.Contains($"the folder {denied} exists but cannot be read (Access to the path '{denied}' is denied)", error.Message);
        Assert.Contains("permission", error.Message);
        Assert.DoesNotContain("not found", error.Message);
        Assert.DoesNotContain("network", error.Message);
        Assert.IsType<UnauthorizedAccessException>(error.InnerException);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // permission bits are a Unix notion
    public void A_folder_without_permission_bits_is_read_where_the_OS_allows_it_and_reported_where_it_does_not()
    {
        using var temp = new TempDirectory();
        string root = temp.Combine("data");
        string batches = SyntheticCifar10.Varied(recordsPerFile: 1).WriteFolder(root);
        File.SetUnixFileMode(root, UnixFileMode.None);
        try
        {
            bool readable;
            try
            {
                readable = Directory.EnumerateFileSystemEntries(root).Any();
            }
            catch (UnauthorizedAccessException)
            {
                readable = false;
            }
            if (readable) // root: the permission bits do not apply, and the data is found
                Assert.Equal(Cifar10Source.Folder(batches), Cifar10.Locate(root));
            else
                Assert.Contains($"the folder {root} exists but cannot be read", Assert.Throws<DatasetUnavailableException>(() => Cifar10.Locate(root)).Message);
        }
        finally
        {
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public async Task Without_a_network_the_error_says_what_to_download_and_where_and_leaves_no_file()
    {
        using var temp = new TempDirectory();
        string root = temp.Combine("data");
        var handler = FakeHandler.Offline();

        var error = await Assert.ThrowsAsync<DatasetUnavailableException>(() => Cifar10.LocateOrDownloadAsync(root, handler: handler));

        Assert.Equal(1, handler.Requests);
        Assert.Contains("Name or service not known", error.Message);
        Assert.Contains("is there a network?", error.Message);
        Assert.Contains(Cifar10Layout.Url, error.Message);
        Assert.Contains(Cifar10Layout.Md5, error.Message);
        Assert.Contains(Path.Combine(root, Cifar10Layout.TarballName), error.Message);
        Assert.Contains("$GRAD_DATA or --data", error.Message);
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Empty(Directory.Exists(root) ? Directory.GetFiles(root) : []);
    }

    [Fact]
    public async Task Download_with_the_right_MD5_lands_at_the_target_with_progress()
    {
        using var temp = new TempDirectory();
        byte[] body = Body(3_000_000);
        string md5 = Convert.ToHexString(MD5.HashData(body)); // upper case: the check ignores case
        var progress = new Recorder();
        using var client = new HttpClient(FakeHandler.Serving(body));
        var location = Cifar10Location.Resolve(temp.Combine("data"), null, "/");

        string path = await new Cifar10Downloader(client, "http://example.invalid/c.tar.gz", md5).DownloadAsync(location, progress);

        Assert.Equal(temp.Combine("data", Cifar10Layout.TarballName), path);
        Assert.Equal(body, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(temp.Combine("data"))); // no temporary file left over
        Assert.Equal((0L, (long?)body.Length), progress.Reports[0]);
        Assert.Equal((body.Length, (long?)body.Length), progress.Reports[^1]);
        Assert.True(progress.Reports.Count > 2, "progress should be reported while the body streams in");
        Assert.Equal(md5.ToLowerInvariant(), Cifar10Downloader.Md5Of(path));
    }

    [Fact]
    public async Task Wrong_MD5_deletes_the_download_and_says_so()
    {
        using var temp = new TempDirectory();
        using var client = new HttpClient(FakeHandler.Serving(Body(10_000)));
        var location = Cifar10Location.Resolve(temp.Combine("data"), null, "/");

        var error = await Assert.ThrowsAsync<DatasetUnavailableException>(
            () => new Cifar10Downloader(client).DownloadAsync(location));

        Assert.Contains($"its MD5 is {Convert.ToHexStringLower(MD5.HashData(Body(10_000)))}, not {Cifar10Layout.Md5}", error.Message);
        Assert.Contains("deleted", error.Message);
        Assert.False(Directory.Exists(temp.Combine("data")), "the folder the failed download made is removed, with no file left");
    }

    [Fact]
    public async Task HTTP_error_status_is_reported_with_the_instructions()
    {
        using var temp = new TempDirectory();
        using var client = new HttpClient(new FakeHandler(_ => new HttpResponseMessage(HttpStatusCode.NotFound)));
        var location = Cifar10Location.Resolve(temp.Combine("data"), null, "/");

        var error = await Assert.ThrowsAsync<DatasetUnavailableException>(() => new Cifar10Downloader(client).DownloadAsync(location));

        Assert.Contains("the server answered 404 Not Found", error.Message);
        Assert.Contains(location.Instructions, error.Message);
        Assert.False(File.Exists(location.DownloadTarget));
    }

    [Fact]
    public async Task Data_already_present_is_not_downloaded_again()
    {
        using var temp = new TempDirectory();
        string folder = SyntheticCifar10.Varied(recordsPerFile: 1).WriteFolder(temp.Path);
        var handler = FakeHandler.Offline();

        var source = await Cifar10.LocateOrDownloadAsync(temp.Path, handler: handler);

        Assert.Equal(Cifar10Source.Folder(folder), source);
        Assert.Equal(0, handler.Requests);
    }
}
