using Grad.Data;
using Grad.Datasets;

namespace Grad.Tests.Unit.Datasets;

public class Cifar10LoadTests
{
    private static readonly Cifar10Options Raw = new() { Normalization = Normalization.None, RecordsPerFile = null };

    [Fact]
    public void Folder_round_trips_labels_and_RGB_planes_into_NCHW()
    {
        using var temp = new TempDirectory();
        var synthetic = SyntheticCifar10.Varied(recordsPerFile: 3);
        var data = Cifar10.Load(Cifar10Source.Folder(synthetic.WriteFolder(temp.Path)), Raw);

        Assert.Equal(15, data.Train.Count);
        Assert.Equal(3, data.Test.Count);
        Assert.Equal((3, 32, 32), (data.Train.Channels, data.Train.Height, data.Train.Width));
        Assert.Equal(SyntheticCifar10.ClassNames, data.ClassNames);
        // Training image i is record i % 3 of data_batch_(i / 3 + 1); the test split is file 5.
        foreach (var (split, files) in new[] { (data.Train, new[] { 0, 1, 2, 3, 4 }), (data.Test, new[] { 5 }) })
        {
            for (int i = 0; i < split.Count; i++)
            {
                int file = files[i / 3], record = i % 3;
                Assert.Equal(synthetic.Label(file, record), split.Labels[i]);
                for (int c = 0; c < 3; c++)
                    for (int y = 0; y < 32; y++)
                        for (int x = 0; x < 32; x++)
                        {
                            float expected = synthetic.Pixel(file, record, c * 1024 + y * 32 + x);
                            Assert.Equal(expected, split.Pixels[((i * 3 + c) * 32 + y) * 32 + x]);
                        }
            }
        }
    }

    [Fact]
    public void Tarball_and_folder_give_the_same_data()
    {
        using var temp = new TempDirectory();
        var synthetic = SyntheticCifar10.Varied(recordsPerFile: 2);
        var fromFolder = Cifar10.Load(Cifar10Source.Folder(synthetic.WriteFolder(temp.Path)), Raw with { Normalization = Normalization.MeanImage });
        var fromTarball = Cifar10.Load(Cifar10Source.Tarball(synthetic.WriteTarball(temp.Combine("c.tar.gz"))), Raw with { Normalization = Normalization.MeanImage });

        Assert.Equal(fromFolder.Train.Pixels, fromTarball.Train.Pixels);
        Assert.Equal(fromFolder.Train.Labels, fromTarball.Train.Labels);
        Assert.Equal(fromFolder.Test.Pixels, fromTarball.Test.Pixels);
        Assert.Equal(fromFolder.Test.Labels, fromTarball.Test.Labels);
        Assert.Equal(fromFolder.Normalizer.Mean, fromTarball.Normalizer.Mean);
        Assert.Equal(fromFolder.ClassNames, fromTarball.ClassNames);
    }

    [Fact]
    public void Mean_image_is_the_per_pixel_training_mean_and_is_subtracted_from_both_splits()
    {
        // One record per file: training image k (k = 0..4) has byte (10k + p) mod 256 at position p,
        // the test image has byte 200 everywhere.
        using var temp = new TempDirectory();
        var synthetic = new SyntheticCifar10(1, (file, _) => file, (file, _, p) => file == 5 ? (byte)200 : (byte)((10 * file + p) % 256));
        var data = Cifar10.Load(Cifar10Source.Folder(synthetic.WriteFolder(temp.Path)), new Cifar10Options { RecordsPerFile = 1 });

        Assert.Equal(Normalization.MeanImage, data.Normalizer.Kind);
        float[] mean = data.Normalizer.Mean;
        Assert.Equal(3072, mean.Length);
        Assert.Equal(20f, mean[0]);                 // 0, 10, 20, 30, 40
        Assert.Equal(65.2f, mean[250]);             // 250, 4, 14, 24, 34 (260 wraps to 4)
        Assert.Equal((1024 % 256) + 20f, mean[1024]); // the green plane starts over at 0
        Assert.Equal(0 - 20f, data.Train.Pixels[0]);
        Assert.Equal(34 - 65.2f, data.Train.Pixels[4 * 3072 + 250]);
        Assert.Equal(200 - 65.2f, data.Test.Pixels[250]);
        using var meanTensor = data.Normalizer.MeanImageTensor();
        Assert.Equal(new Shape(3, 32, 32), meanTensor.Shape);
        Assert.Equal(mean, meanTensor.ToArray<float>());
    }

    [Fact]
    public void Per_channel_standardisation_uses_each_channels_training_mean_and_std()
    {
        // Training image k has red 10k, green 20k, blue 30k everywhere: means 20, 40, 60 and
        // population standard deviations √200, √800, √1800. The test image is (50, 50, 50).
        using var temp = new TempDirectory();
        var synthetic = new SyntheticCifar10(1, (file, _) => file,
            (file, _, p) => file == 5 ? (byte)50 : (byte)((p / 1024 + 1) * 10 * file));
        var data = Cifar10.Load(Cifar10Source.Folder(synthetic.WriteFolder(temp.Path)),
            new Cifar10Options { RecordsPerFile = 1, Normalization = Normalization.PerChannel });

        Assert.Equal([20f, 40f, 60f], data.Normalizer.Mean);
        TestTensors.AssertClose([Math.Sqrt(200), Math.Sqrt(800), Math.Sqrt(1800)], data.Normalizer.Std.Select(s => (double)s).ToArray(), 1e-6);
        TestTensors.AssertClose([(50 - 20) / Math.Sqrt(200), (50 - 40) / Math.Sqrt(800), (50 - 60) / Math.Sqrt(1800)],
            [data.Test.Pixels[5], data.Test.Pixels[1024 + 700], data.Test.Pixels[2048 + 1023]], 1e-6);
        Assert.Equal(-20 / MathF.Sqrt(200), data.Train.Pixels[17], 5);
    }

    [Fact]
    public void LoadSplit_applies_a_saved_normaliser_to_the_test_split()
    {
        using var temp = new TempDirectory();
        var synthetic = SyntheticCifar10.Varied(recordsPerFile: 2);
        var source = Cifar10Source.Folder(synthetic.WriteFolder(temp.Path));
        var full = Cifar10.Load(source, new Cifar10Options { RecordsPerFile = 2 });
        var saved = ImageNormalizer.MeanImage(full.Normalizer.Mean.ToArray(), 3, 32, 32);

        var test = Cifar10.LoadSplit(source, Cifar10Split.Test, saved, recordsPerFile: 2);

        Assert.Equal(full.Test.Pixels, test.Pixels);
        Assert.Equal(full.Test.Labels, test.Labels);
        Assert.Equal(SyntheticCifar10.ClassNames, Cifar10.ClassNames(source));
    }

    [Fact]
    public void A_validation_split_holds_out_the_first_training_images_and_the_mean_is_fitted_without_them()
    {
        // Two records per file; training image k (k = 0..9) has byte 10k everywhere. Holding out
        // three leaves images 3..9, whose mean is 60; the held-out ones are 0, 10 and 20.
        using var temp = new TempDirectory();
        var synthetic = new SyntheticCifar10(2, (file, record) => (2 * file + record) % 10,
            (file, record, _) => file == 5 ? (byte)0 : (byte)(10 * (2 * file + record)));
        var data = Cifar10.Load(Cifar10Source.Folder(synthetic.WriteFolder(temp.Path)),
            new Cifar10Options { RecordsPerFile = 2, ValidationSize = 3 });

        var validation = Assert.IsType<ImageDataset>(data.Validation);
        Assert.Equal([0, 1, 2], validation.Labels);
        Assert.Equal([3, 4, 5, 6, 7, 8, 9], data.Train.Labels);
        Assert.Equal(60f, data.Normalizer.Mean[1234]);
        Assert.Equal([0 - 60f, 10 - 60f, 20 - 60f], [validation.Image(0)[5], validation.Image(1)[1500], validation.Image(2)[3071]]);
        Assert.Equal(30 - 60f, data.Train.Image(0)[7]);
        Assert.Equal(-60f, data.Test.Pixels[99]);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10)]
    public void A_validation_split_must_leave_images_to_train_on(int size)
    {
        using var temp = new TempDirectory();
        var source = Cifar10Source.Folder(SyntheticCifar10.Varied(recordsPerFile: 2).WriteFolder(temp.Path));
        var error = Assert.Throws<ArgumentException>(() => Cifar10.Load(source, new Cifar10Options { RecordsPerFile = 2, ValidationSize = size }));
        Assert.Contains("of the 10 training images", error.Message);
    }

    [Fact]
    public void Without_a_validation_split_there_is_none()
    {
        using var temp = new TempDirectory();
        var data = Cifar10.Load(Cifar10Source.Folder(SyntheticCifar10.Varied(recordsPerFile: 2).WriteFolder(temp.Path)), Raw);
        Assert.Null(data.Validation);
        Assert.Equal(10, data.Train.Count);
    }
}
