using Grad.Layers;
using Grad.OpenCL;
using Grad.Optim;
using Grad.Training;

namespace Grad.Tests.OpenCL;

/// <summary>The OpenCL backend against the CPU backend on the same inputs: products and
/// convolutions of ragged sizes (no multiple of any tile), and whole training steps.</summary>
[Collection(WinogradSwitchCollection.Name)]
public class CpuAgreementTests(BackendFixture device) : IClassFixture<BackendFixture>
{
    private static double[] OnCpu(Func<Func<Tensor, Tensor>, Tensor> compute)
    {
        using var y = compute(t => t.To(Device.Cpu));
        return TestTensors.Values(y);
    }

    private double[] OnDevice(Func<Func<Tensor, Tensor>, Tensor> compute)
    {
        using var y = compute(t => t.To(device.Backend));
        return TestTensors.Values(y);
    }

    private void Agree(Func<Func<Tensor, Tensor>, Tensor> compute, double tolerance = 1e-4)
    {
        var expected = OnCpu(compute);
        var actual = OnDevice(compute);
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(v => Math.Abs(v)) + 1e-30;
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * scale, $"element {i}: cpu {expected[i]}, opencl {actual[i]}");
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 5, 7)]
    [InlineData(33, 65, 17)]
    [InlineData(70, 1, 129)]
    [InlineData(129, 67, 300)]
    public void Ragged_matrix_products_agree_in_every_transposition(int m, int n, int k)
    {
        using var a = Init.Normal([m, k], seed: 1, backend: Device.Cpu);
        using var b = Init.Normal([k, n], seed: 2, backend: Device.Cpu);
        using var at = a.T.Contiguous();
        using var bt = b.T.Contiguous();
        Agree(on => Ops.MatMul(on(a), on(b)));
        Agree(on => Ops.MatMul(on(at).T, on(b)));
        Agree(on => Ops.MatMul(on(a), on(bt).T));
        Agree(on => Ops.MatMul(on(at).T, on(bt).T));
    }

    [Theory]
    [InlineData(3, 5, 7, 7, 3, 1, 1)]
    [InlineData(2, 3, 9, 11, 3, 2, 0)]
    [InlineData(1, 6, 5, 5, 1, 1, 0)]
    [InlineData(4, 2, 13, 6, 5, 3, 2)]
    public void Convolutions_and_their_gradients_agree(int n, int c, int h, int w, int kernel, int stride, int padding) =>
        AgreeOnConvolution(n, c, h, w, kernel, stride, padding);

    /// <summary>A batch lowered in chunks (two images, two, then one) gives what one chunk gives.</summary>
    [Fact]
    public void Convolutions_of_a_batch_lowered_in_chunks_agree()
    {
        var backend = (OpenCLBackend)device.Backend;
        var budget = backend.ColumnBudget;
        backend.ColumnBudget = 2 * (3 * 3 * 3) * (6 * 6);
        try
        {
            AgreeOnConvolution(n: 5, c: 3, h: 6, w: 6, kernel: 3, stride: 1, padding: 1);
        }
        finally
        {
            backend.ColumnBudget = budget;
        }
    }

    private void AgreeOnConvolution(int n, int c, int h, int w, int kernel, int stride, int padding)
    {
        var conv = Conv2d.Create(c, 4, kernel, seed: 3, stride, padding);
        using var x = Init.Normal([n, c, h, w], seed: 4, backend: Device.Cpu);
        using var weight = conv.W.To(Device.Cpu);
        var geometry = new Backends.Conv2dGeometry(stride, padding);
        Agree(on => Ops.Conv2d(on(x), on(weight), stride, padding));
        using var y = Ops.Conv2d(x, weight, stride, padding);
        using var dy = Init.Normal(y.Shape, seed: 5, backend: Device.Cpu);
        Agree(on => Ops.Conv2dBackwardInput(on(dy), on(weight), x.Shape, geometry));
        Agree(on => Ops.Conv2dBackwardWeight(on(dy), on(x), weight.Shape, geometry));
    }

    /// <summary>3×3 stride-1 padding-1 layers with at least 32 channels each side run Winograd:
    /// F(2×2, 3×3) on the small planes, F(4×4, 3×3) on 21×23 (enough tiles), every plane ragged
    /// (no side a multiple of the tile but 10 for F(2×2)). The passes counted show the path was
    /// taken; the same layers with 16 input channels, or a 5×5 kernel, take im2col.</summary>
    [Theory]
    [InlineData(2, 32, 48, 5, 7, DType.Float32)]
    [InlineData(3, 40, 32, 10, 10, DType.Float32)]
    [InlineData(2, 32, 36, 21, 23, DType.Float32)]
    [InlineData(2, 32, 48, 5, 7, DType.Float64)]
    [InlineData(2, 32, 36, 21, 23, DType.Float64)]
    public void Winograd_convolutions_and_their_gradients_agree(int n, int c, int o, int h, int w, DType dtype)
    {
        using var x = Init.Normal([n, c, h, w], seed: 4, dtype: dtype, backend: Device.Cpu);
        using var weight = Init.Normal([o, c, 3, 3], std: 0.1, seed: 3, dtype: dtype, backend: Device.Cpu);
        using var dy = Init.Normal([n, o, h, w], seed: 5, dtype: dtype, backend: Device.Cpu);
        var geometry = new Backends.Conv2dGeometry(1, 1);
        // The transforms' constants (up to 8 in F(4×4)) round more than im2col's products.
        double tolerance = dtype == DType.Float32 ? 2e-4 : 1e-11;
        long before = OpenCLBackend.WinogradPassesOnThisThread;
        Agree(on => Ops.Conv2d(on(x), on(weight), geometry), tolerance);
        Agree(on => Ops.Conv2dBackwardInput(on(dy), on(weight), x.Shape, geometry), tolerance);
        Agree(on => Ops.Conv2dBackwardWeight(on(dy), on(x), weight.Shape, geometry), tolerance);
        Assert.Equal(3, OpenCLBackend.WinogradPassesOnThisThread - before);

        using var narrow = Init.Normal([n, 16, h, w], seed: 6, dtype: dtype, backend: device.Backend);
        using var narrowWeight = Init.Normal([o, 16, 3, 3], seed: 7, dtype: dtype, backend: device.Backend);
        using var wideWeight = Init.Normal([o, c, 5, 5], seed: 8, dtype: dtype, backend: device.Backend);
        using var onDevice = x.To(device.Backend);
        before = OpenCLBackend.WinogradPassesOnThisThread;
        using (Ops.Conv2d(narrow, narrowWeight, geometry))
        using (Ops.Conv2d(onDevice, wideWeight, new Backends.Conv2dGeometry(1, 2))) { }
        Assert.Equal(0, OpenCLBackend.WinogradPassesOnThisThread - before);
    }

    /// <summary>With Winograd switched off the same layer takes im2col, and both agree in float64
    /// to rounding: the transforms are exact in exact arithmetic.</summary>
    [Fact]
    public void Winograd_and_im2col_agree_on_the_device_in_float64()
    {
        var backend = (OpenCLBackend)device.Backend;
        using var x = Init.Normal([2, 32, 9, 6], seed: 4, dtype: DType.Float64, backend: backend);
        using var weight = Init.Normal([40, 32, 3, 3], seed: 3, dtype: DType.Float64, backend: backend);
        var geometry = new Backends.Conv2dGeometry(1, 1);
        using var winograd = Ops.Conv2d(x, weight, geometry);
        backend.Winograd = false;
        try
        {
            long before = OpenCLBackend.WinogradPassesOnThisThread;
            using var im2col = Ops.Conv2d(x, weight, geometry);
            Assert.Equal(before, OpenCLBackend.WinogradPassesOnThisThread);
            TestTensors.AssertClose(TestTensors.Values(im2col), TestTensors.Values(winograd), 1e-12);
        }
        finally
        {
            backend.Winograd = true;
        }
    }

    /// <summary>Long rows are reduced by several work-groups each and a second pass over their partials.</summary>
    [Theory]
    [InlineData(1, 100_003)]
    [InlineData(3, 50_001)]
    [InlineData(40, 4_099)]
    public void Reductions_of_long_rows_agree(int rows, int length)
    {
        using var x = Init.Normal([rows, length], seed: 7, backend: Device.Cpu);
        Agree(on => Ops.Sum(on(x), axis: 1), 1e-5);
        Agree(on => Ops.Mean(on(x), axis: 1), 1e-5);
        Agree(on => Ops.Max(on(x), axis: 1), 0);
        Agree(on => Ops.Sum(on(x)), 1e-5);
    }

    /// <summary>A small convolutional network, two Adam steps: the same losses and weights on both backends.</summary>
    [Fact]
    public void Two_training_steps_of_a_small_convnet_give_the_cpus_losses_and_weights() =>
        TwoStepsAgree(() => new Sequential(Conv2d.Create(3, 6, 3, seed: 1, padding: 1), BatchNorm2d.Create(6), new ReLU(),
            new MaxPool2d(Kernel: 3, Stride: 2, Padding: 1), new Flatten(), Linear.Create(6 * 4 * 4, 10, seed: 2)), new Shape(5, 3, 7, 7));

    /// <summary>The trainers' convnet in small (ModelFactory.ConvNet's blocks: 3×3 convolutions
    /// with batch norm and ReLU, max-pools of kernel 3, stride 2, padding 1, a linear classifier),
    /// on a batch of 16×16 images.</summary>
    [Fact]
    public void Two_training_steps_of_a_vgg_style_network_give_the_cpus_losses_and_weights() =>
        TwoStepsAgree(() => new Sequential(
            Conv2d.Create(3, 8, 3, seed: 1, padding: 1), BatchNorm2d.Create(8), new ReLU(), new MaxPool2d(Kernel: 3, Stride: 2, Padding: 1),
            Conv2d.Create(8, 16, 3, seed: 3, padding: 1), BatchNorm2d.Create(16), new ReLU(),
            Conv2d.Create(16, 16, 3, seed: 5, padding: 1), BatchNorm2d.Create(16), new ReLU(), new MaxPool2d(Kernel: 3, Stride: 2, Padding: 1),
            new Flatten(), Linear.Create(16 * 4 * 4, 10, seed: 7)), new Shape(4, 3, 16, 16));

    /// <summary>The same with two 32-channel layers that both backends run by Winograd, F(2×2, 3×3)
    /// on 8×8 and 4×4 planes, through batch norm and Adam.</summary>
    [Fact]
    public void Two_training_steps_through_winograd_layers_give_the_cpus_losses_and_weights()
    {
        long before = OpenCLBackend.WinogradPassesOnThisThread;
        TwoStepsAgree(() => new Sequential(
            Conv2d.Create(3, 32, 3, seed: 1, padding: 1), BatchNorm2d.Create(32), new ReLU(),
            Conv2d.Create(32, 32, 3, seed: 3, padding: 1), BatchNorm2d.Create(32), new ReLU(), new MaxPool2d(Kernel: 3, Stride: 2, Padding: 1),
            Conv2d.Create(32, 32, 3, seed: 5, padding: 1), BatchNorm2d.Create(32), new ReLU(),
            new Flatten(), Linear.Create(32 * 4 * 4, 10, seed: 7)), new Shape(4, 3, 8, 8));
        Assert.True(OpenCLBackend.WinogradPassesOnThisThread > before, "no convolution ran by Winograd");
    }

    private const double LearningRate = 0.01;
    private const int Steps = 2;

    /// <summary>Two Adam steps of <paramref name="model"/> on each backend: the losses agree to
    /// 1e-4, and the parameters and running statistics after them within float32 rounding, but
    /// for those that rounding decides (<see cref="RoundingDriven"/>).</summary>
    private void TwoStepsAgree(Func<Sequential> model, Shape input)
    {
        var cpu = TwoSteps(model(), input, Device.Cpu);
        var opencl = TwoSteps(model(), input, device.Backend);
        for (int step = 0; step < Steps; step++)
            Assert.True(Math.Abs(cpu.Losses[step] - opencl.Losses[step]) <= 1e-4, $"step {step}: cpu loss {cpu.Losses[step]}, opencl {opencl.Losses[step]}");
        Assert.Equal(cpu.Tensors.Keys, opencl.Tensors.Keys);
        var roundingDriven = RoundingDriven(model());
        foreach (var (name, expected) in cpu.Tensors)
        {
            var actual = opencl.Tensors[name];
            if (roundingDriven.Contains(name))
            {
                double apart = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
                Assert.True(apart <= 2 * LearningRate * Steps, $"{name}: {apart:G3} apart, more than Adam's steps from one start can take it");
                continue;
            }
            double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a) / (1e-3 + Math.Abs(e))).Max();
            Assert.True(worst <= 2e-4, $"{name}: relative difference {worst:G3} between the cpu and opencl after two steps");
        }
    }

    /// <summary>The bias of a convolution that batch norm follows, and that batch norm's running
    /// mean, which carries it. Batch norm subtracts the batch's mean, so the bias changes nothing
    /// and its gradient is zero in exact arithmetic: each backend computes rounding noise there,
    /// which Adam, dividing by its root mean square, turns into steps of about the learning rate
    /// in the noise's sign. Those tensors are only held to the bound of Adam's steps.</summary>
    private static HashSet<string> RoundingDriven(Sequential model)
    {
        var names = new HashSet<string>();
        for (int i = 0; i + 1 < model.Layers.Length; i++)
        {
            if (model.Layers[i] is Conv2d && model.Layers[i + 1] is BatchNorm2d)
            {
                names.Add($"{i}.B");
                names.Add($"{i + 1}.RunningMean");
            }
        }
        return names;
    }

    private static (double[] Losses, Dictionary<string, float[]> Tensors) TwoSteps(Sequential model, Shape input, Backends.IBackend backend)
    {
        static Tensor Move(Tensor t, Backends.IBackend to)
        {
            using (t) return t.To(to);
        }
        model = model.MapParameters((_, t) => Move(t, backend)).MapStates((_, t) => Move(t, backend));
        using var trainer = new Trainer<Sequential>(model, new Adam(), new CrossEntropyLoss());
        var classes = Enumerable.Range(0, input[0]).Select(i => (2 * i + 1) % 10).ToArray();
        var losses = new double[Steps];
        for (int step = 0; step < losses.Length; step++)
        {
            using var x = Init.Normal(input, seed: (ulong)(10 + step), backend: backend);
            using var labels = Tensor.FromSpan<int>(classes, new Shape(classes.Length), backend);
            var result = trainer.Step(x, labels, LearningRate);
            result.Output.Dispose();
            losses[step] = result.Loss;
        }
        var tensors = trainer.Model.Parameters().Concat(trainer.Model.States()).ToDictionary(t => t.Name, t => t.Value.ToArray<float>());
        return (losses, tensors);
    }
}
