using Grad.Cpu;
using Grad.Layers;
using static Grad.Ops;

namespace Grad.Tests.Unit.Cpu;

/// <summary>
/// The generated backward makes no more full-size passes over the data than the practical's
/// hand formulas, written plainly with the same primitives. Both are measured the same way:
/// kernel launches that touch at least a whole activation's worth of elements.
/// </summary>
public class PassCountTests
{
    private static Tensor Random(int[] shape, ulong seed) => Init.Normal(shape, 0, 1, seed, DType.Float64);

    private static int Passes(int size, Action work)
    {
        using var counter = PassCounter.Start();
        work();
        return counter.PassesOver(size);
    }

    [Fact]
    public void Linear()
    {
        using var x = Random([64, 32], 1);
        var layer = new Linear(Random([48, 32], 2), Random([48], 3));
        using var g = Random([64, 48], 4);
        var (_, tape, _) = layer.Train(x);
        int generated = Passes(32 * 48, () => layer.Backward(tape, g));
        int hand = Passes(32 * 48, () =>
        {
            MatMul(g, layer.W);
            MatMul(g.T, x);
            Sum(g, axis: 0);
        });
        Assert.True(generated <= hand, $"generated {generated} passes, hand formulas {hand}");
    }

    [Fact]
    public void BatchNorm()
    {
        const int m = 64, c = 32;
        using var x = Random([m, c], 5);
        var bn = new BatchNorm(Random([c], 6), Random([c], 7), Tensor.Zeros([c], DType.Float64), Tensor.Ones([c], DType.Float64));
        using var g = Random([m, c], 8);
        var (_, tape, _) = bn.Train(x);
        int generated = Passes(m * c, () => bn.Backward(tape, g));
        using var xhat = (x - Mean(x, axis: 0)) / Sqrt(Mean(Square(x - Mean(x, axis: 0)), axis: 0) + bn.Eps);
        using var sigma = Sqrt(Mean(Square(x - Mean(x, axis: 0)), axis: 0) + bn.Eps);
        int hand = Passes(m * c, () =>
        {
            var dxhat = g * bn.Gamma;
            _ = (m * dxhat - Sum(dxhat, axis: 0) - xhat * Sum(dxhat * xhat, axis: 0)) / (m * sigma);
            _ = Sum(g * xhat, axis: 0);
            _ = Sum(g, axis: 0);
        });
        Assert.True(generated <= hand, $"generated {generated} passes, hand formulas {hand}");
    }

    [Fact]
    public void Softmax_cross_entropy()
    {
        const int batch = 64, classes = 10;
        using var logits = Random([batch, classes], 9);
        using var labels = Tensor.FromArray(Enumerable.Range(0, batch).Select(i => i % classes).ToArray(), batch);
        using var targets = OneHot(labels, classes, DType.Float64);
        using var g = Tensor.Scalar(1, DType.Float64);
        var loss = new CrossEntropy();
        var (_, tape, _) = loss.Train(logits, targets);
        int generated = Passes(batch * classes, () => loss.Backward(tape, g));
        int hand = Passes(batch * classes, () => _ = (Ops.Softmax(logits, -1) - targets) / batch);
        Assert.True(generated <= hand, $"generated {generated} passes, hand formulas {hand}");
    }

    [Fact]
    public void BatchNorm2d_training_forward_and_backward()
    {
        // (N, C, H, W) with statistics over [0, 2, 3]; the hand formulas are the compact backward
        // and a forward that normalises, scales and shifts.
        const int n = 8, c = 4, h = 6, w = 5, size = n * c * h * w;
        int[] axes = [0, 2, 3];
        using var x = Random([n, c, h, w], 10);
        var bn = new BatchNorm2d(Random([c], 11), Random([c], 12), Tensor.Zeros([c], DType.Float64), Tensor.Ones([c], DType.Float64));
        using var g = Random([n, c, h, w], 13);
        BatchNorm2d.Tape? tape = null;
        int generated = Passes(size, () => (_, tape, _) = bn.Train(x));
        generated += Passes(size, () => bn.Backward(tape!, g));
        Tensor PerChannel(Tensor v) => ExpandReduced(v, x.Shape, axes, false);
        int hand = Passes(size, () =>
        {
            var xc = x - PerChannel(Mean(x, axes));
            var sigma = Sqrt(Mean(xc * xc, axes) + bn.Eps);
            var xhat = xc / PerChannel(sigma);
            _ = xhat * PerChannel(bn.Gamma) + PerChannel(bn.Beta);
            var dxhat = g * PerChannel(bn.Gamma);
            _ = (size / c * dxhat - PerChannel(Sum(dxhat, axes)) - xhat * PerChannel(Sum(dxhat * xhat, axes))) / PerChannel(size / c * sigma);
            _ = Sum(g * xhat, axes);
            _ = Sum(g, axes);
        });
        Assert.True(generated <= hand, $"generated {generated} passes, hand formulas {hand}");
        // 11 since the forward was written for a lean backward (docs/declaring-layers.md, §7); 17 before.
        Assert.True(generated <= 11, $"generated {generated} passes");
    }
}
