using Grad.Datasets;

namespace Grad.Tests.Unit.Datasets;

/// <summary>
/// The real data the trainer tests read: <c>$GRAD_DATA</c> (which CI sets), else the shared copy
/// beside this checkout (<c>../shared/data/cifar-10-binary.tar.gz</c>). Where neither exists the
/// tests fail with what to do, rather than skip: a skipped test proves nothing.
/// </summary>
internal static class RealCifar10
{
    /// <summary>The data to test against.</summary>
    public static string Path => Find() ?? throw new InvalidOperationException(
        $"no real CIFAR-10 here: set {Cifar10Location.EnvironmentVariable} to cifar-10-binary.tar.gz (or its folder), or put the shared copy at ../shared/data beside this checkout");

    private static string? Find()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(Cifar10Location.EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return fromEnvironment;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(System.IO.Path.Combine(dir.FullName, "Grad.sln"))) continue;
            string shared = System.IO.Path.Combine(dir.FullName, "..", "shared", "data", Cifar10Layout.TarballName);
            return File.Exists(shared) ? System.IO.Path.GetFullPath(shared) : null;
        }
        return null;
    }
}

public class RealCifar10Tests
{
    [Fact]
    public void Test_batch_of_the_real_data_has_10000_balanced_images_of_bytes()
    {
        var source = Cifar10.Locate(RealCifar10.Path);
        var test = Cifar10.LoadSplit(source, Cifar10Split.Test, ImageNormalizer.Identity(3, 32, 32));

        Assert.Equal(10_000, test.Count);
        Assert.Equal(Enumerable.Repeat(1000, 10), test.Labels.CountBy(l => l).OrderBy(g => g.Key).Select(g => g.Value));
        Assert.All(test.Pixels, v => Assert.True(v >= 0 && v <= 255 && v == MathF.Round(v)));
        Assert.InRange(test.Pixels.Average(), 100, 140); // natural images: a mid-grey average, not all zeros
        Assert.Equal(["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"], Cifar10.ClassNames(source));
    }
}
