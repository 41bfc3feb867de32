using System.Security.Cryptography;

namespace Grad.Datasets;

/// <summary>
/// Fetches the CIFAR-10 tarball: streamed to a temporary file beside the target, hashed on the way,
/// checked against the published MD5, then renamed into place in one step, so a failed or
/// interrupted download never leaves a file that looks complete.
/// </summary>
public sealed class Cifar10Downloader
{
    private readonly HttpClient _client;
    private readonly string _url;
    private readonly string _md5;

    /// <param name="client">The HTTP client (tests give one over a fake handler).</param>
    /// <param name="url">What to fetch; the official tarball by default.</param>
    /// <param name="md5">Its expected MD5 as hex; the official one by default.</param>
    public Cifar10Downloader(HttpClient client, string url = Cifar10Layout.Url, string md5 = Cifar10Layout.Md5)
    {
        _client = client;
        _url = url;
        _md5 = md5.ToLowerInvariant();
    }

    /// <summary>Downloads to <see cref="Cifar10Location.DownloadTarget"/> and returns that path.</summary>
    /// <exception cref="DatasetUnavailableException">No network, an HTTP error, or a wrong MD5; the message says what to do by hand.</exception>
    public async Task<string> DownloadAsync(Cifar10Location location, IProgress<(long bytes, long? total)>? progress = null,
                                            CancellationToken cancellationToken = default)
    {
        string target = location.DownloadTarget;
        string temporary = $"{target}.{Guid.NewGuid():N}.part";
        string folder = Path.GetDirectoryName(target)!;
        string? created = null; // the outermost folder this download makes
        for (string? d = Path.GetFullPath(folder); d is not null && !Directory.Exists(d); d = Path.GetDirectoryName(d)) created = d;
        try
        {
            Directory.CreateDirectory(folder);
            string md5 = await FetchAsync(temporary, progress, cancellationToken).ConfigureAwait(false);
            if (md5 != _md5)
                throw location.NotFound(
                    $"{_url} was downloaded but its MD5 is {md5}, not {_md5}, so it was deleted (a corrupted transfer " +
                    "or a changed file on the server); try again, or fetch it by hand.");
            File.Move(temporary, target, overwrite: true);
            return target;
        }
        catch (HttpRequestException e)
        {
            throw location.NotFound($"Downloading {_url} failed ({e.Message}); is there a network?", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw location.NotFound($"Downloading {_url} timed out; is there a network?", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not DatasetUnavailableException)
        {
            throw location.NotFound($"Saving the download to {target} failed ({e.Message}).", e);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
            // A failed download leaves no folder it made (a mistyped --data stays a clear error, not an empty folder).
            if (created is not null && !File.Exists(target) && Directory.Exists(created)
                && !Directory.EnumerateFiles(created, "*", SearchOption.AllDirectories).Any())
                Directory.Delete(created, recursive: true);
        }
    }

    /// <summary>Streams the body into <paramref name="path"/>, reporting progress; returns its MD5 as hex.</summary>
    private async Task<string> FetchAsync(string path, IProgress<(long bytes, long? total)>? progress, CancellationToken cancellationToken)
    {
        using var response = await _client.GetAsync(_url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"the server answered {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        long? total = response.Content.Headers.ContentLength;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            var buffer = new byte[1 << 20];
            long received = 0;
            progress?.Report((0, total));
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                received += read;
                progress?.Report((received, total));
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The MD5 of a file as lower-case hex, to check a copy fetched by hand against <see cref="Cifar10Layout.Md5"/>.</summary>
    public static string Md5Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(MD5.HashData(stream));
    }
}
