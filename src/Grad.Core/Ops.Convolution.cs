using Grad.Backends;

namespace Grad;

public static partial class Ops
{
    /// <summary>2-D cross-correlation (PyTorch's conv2d): x (N, C, H, W), w (O, C, KH, KW) → (N, O, OH, OW),
    /// with OH = (H + 2·padding − KH) / stride + 1. Add a bias with broadcasting.</summary>
    [Primitive]
    [Derivative("x", "Conv2dBackwardInput(g, w, x.Shape, new global::Grad.Backends.Conv2dGeometry(stride, padding))")]
    [Derivative("w", "Conv2dBackwardWeight(g, x, w.Shape, new global::Grad.Backends.Conv2dGeometry(stride, padding))")]
    public static Tensor Conv2d(Tensor x, Tensor w, int stride = 1, int padding = 0) =>
        Conv2d(x, w, new Conv2dGeometry(stride, padding));

    public static Tensor Conv2d(Tensor x, Tensor w, Conv2dGeometry geometry)
    {
        CheckConv("Conv2d", x.Shape, w, geometry);
        OpChecks.Compatible("Conv2d", x, w);
        return x.Backend.Conv2d(x, w, geometry);
    }

    /// <summary>∂L/∂x of <see cref="Conv2d(Tensor, Tensor, Conv2dGeometry)"/> given ∂L/∂y.</summary>
    public static Tensor Conv2dBackwardInput(Tensor outputGradient, Tensor w, Shape inputShape, Conv2dGeometry geometry)
    {
        CheckConv("Conv2dBackwardInput", inputShape, w, geometry);
        OpChecks.Compatible("Conv2dBackwardInput", outputGradient, w);
        CheckConvOutput("Conv2dBackwardInput", outputGradient, inputShape, w.Shape, geometry);
        return w.Backend.Conv2dBackwardInput(outputGradient, w, inputShape, geometry);
    }

    /// <summary>∂L/∂w of <see cref="Conv2d(Tensor, Tensor, Conv2dGeometry)"/> given ∂L/∂y.</summary>
    public static Tensor Conv2dBackwardWeight(Tensor outputGradient, Tensor x, Shape weightShape, Conv2dGeometry geometry)
    {
        OpChecks.Compatible("Conv2dBackwardWeight", outputGradient, x);
        OpChecks.Rank("Conv2dBackwardWeight", x, 4, "(N, C, H, W)");
        CheckConvOutput("Conv2dBackwardWeight", outputGradient, x.Shape, weightShape, geometry);
        return x.Backend.Conv2dBackwardWeight(outputGradient, x, weightShape, geometry);
    }

    /// <summary>Max over k×k windows of (N, C, H, W); padding counts as −∞.</summary>
    /// <remarks>The backward recomputes the winning cells from x (one cheap pass) instead of
    /// keeping an index tensor from the forward.</remarks>
    [Primitive]
    [Derivative("x", "MaxPool2dBackward(g, MaxPool2dIndices(x, kernel, stride, padding), x.Shape)")]
    public static Tensor MaxPool2d(Tensor x, int kernel, int stride, int padding = 0)
    {
        var (output, indices) = MaxPool2dWithIndices(x, new Pool2dGeometry(kernel, stride, padding));
        indices.Dispose();
        return output;
    }

    /// <summary>The index (h·W + w) of the input cell that wins each max-pool window.</summary>
    public static Tensor MaxPool2dIndices(Tensor x, int kernel, int stride, int padding = 0)
    {
        var (output, indices) = MaxPool2dWithIndices(x, new Pool2dGeometry(kernel, stride, padding));
        output.Dispose();
        return indices;
    }

    /// <summary>Max-pool that also returns, per output cell, the index (h·W + w) of the winning
    /// input cell in its plane, for <see cref="MaxPool2dBackward"/>.</summary>
    public static (Tensor Output, Tensor Indices) MaxPool2dWithIndices(Tensor x, Pool2dGeometry g)
    {
        OpChecks.FloatingPoint("MaxPool2d", x);
        OpChecks.Rank("MaxPool2d", x, 4, "(N, C, H, W)");
        if (g.KernelH <= 0 || g.KernelW <= 0 || g.StrideH <= 0 || g.StrideW <= 0 || g.PadH < 0 || g.PadW < 0)
            throw new ArgumentException($"MaxPool2d: kernel and stride must be positive and padding non-negative, got {g}.");
        if (g.PadH * 2 > g.KernelH || g.PadW * 2 > g.KernelW)
            throw new ArgumentException($"MaxPool2d: padding must be at most half the kernel (PyTorch's rule), got {g}.");
        if (g.OutputHeight(x.Shape[2]) <= 0 || g.OutputWidth(x.Shape[3]) <= 0)
            throw new ArgumentException($"MaxPool2d: a {g.KernelH}×{g.KernelW} window does not fit input {x.Shape} with padding ({g.PadH}, {g.PadW}).");
        return x.Backend.MaxPool2d(x, g);
    }

    /// <summary>Routes each output gradient to the input cell that won its window (summing overlaps).</summary>
    public static Tensor MaxPool2dBackward(Tensor outputGradient, Tensor indices, Shape inputShape)
    {
        OpChecks.FloatingPoint("MaxPool2dBackward", outputGradient);
        if (indices.DType != DType.Int32 || indices.Shape != outputGradient.Shape)
            throw new ArgumentException($"MaxPool2dBackward: indices must be int32 of the gradient's shape {outputGradient.Shape}, got {indices.DType.Name()} {indices.Shape}.");
        if (inputShape.Rank != 4 || inputShape[0] != outputGradient.Shape[0] || inputShape[1] != outputGradient.Shape[1])
            throw new ArgumentException($"MaxPool2dBackward: input shape {inputShape} does not match gradient {outputGradient.Shape}.");
        return outputGradient.Backend.MaxPool2dBackward(outputGradient, indices, inputShape);
    }

    private static void CheckConv(string op, Shape x, Tensor w, Conv2dGeometry g)
    {
        if (x.Rank != 4) throw new ArgumentException($"{op}: input must be (N, C, H, W), got shape {x}.");
        OpChecks.Rank(op, w, 4, "of weights (O, C, KH, KW)");
        if (x[1] != w.Shape[1])
            throw new ArgumentException($"{op}: input {x} has {x[1]} channels but weights {w.Shape} expect {w.Shape[1]}.");
        if (g.StrideH <= 0 || g.StrideW <= 0 || g.PadH < 0 || g.PadW < 0)
            throw new ArgumentException($"{op}: stride must be positive and padding non-negative, got {g}.");
        if (g.OutputHeight(x[2], w.Shape[2]) <= 0 || g.OutputWidth(x[3], w.Shape[3]) <= 0)
            throw new ArgumentException($"{op}: kernel {w.Shape[2]}×{w.Shape[3]} does not fit input {x} with padding ({g.PadH}, {g.PadW}).");
    }

    private static void CheckConvOutput(string op, Tensor outputGradient, Shape x, Shape w, Conv2dGeometry g)
    {
        var expected = new Shape(x[0], w[0], g.OutputHeight(x[2], w[2]), g.OutputWidth(x[3], w[3]));
        if (outputGradient.Shape != expected)
            throw new ArgumentException($"{op}: output gradient has shape {outputGradient.Shape}, but input {x} and weights {w} give {expected}.");
    }
}
