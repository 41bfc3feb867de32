namespace Grad.Backends;

/// <summary>
/// The seam between Grad's front end (<see cref="Ops"/>, tensor operators, layers and the code the
/// generator emits) and a device. The front end validates shapes and dtypes and resolves axes
/// before it calls in, so a backend may assume well-formed arguments; outputs are new contiguous
/// tensors on this backend. Inputs may be strided views unless a method says otherwise.
/// </summary>
public interface IBackend
{
    /// <summary>A short device name for messages, e.g. "cpu" or "opencl:0 (NVIDIA H200)".</summary>
    string Name { get; }

    /// <summary>A contiguous tensor whose contents are unspecified until written.</summary>
    Tensor Allocate(Shape shape, DType dtype);

    Tensor FromHost<T>(ReadOnlySpan<T> data, Shape shape) where T : unmanaged;
    void CopyToHost<T>(Tensor source, Span<T> destination) where T : unmanaged;
    void Fill(Tensor destination, double value);

    /// <summary>A contiguous copy of a (possibly strided) tensor.</summary>
    Tensor Contiguous(Tensor x);
    Tensor Cast(Tensor x, DType dtype);

    /// <summary>Reduces along the given distinct, resolved axes.</summary>
    Tensor Reduce(ReduceOp op, Tensor x, ReadOnlySpan<int> axes, bool keepDims);
    /// <summary>Index of the first maximum along an axis, as an int32 tensor.</summary>
    Tensor ArgMax(Tensor x, int axis, bool keepDims);
    /// <summary>Numerically stable softmax, or log-softmax, along an axis.</summary>
    Tensor Softmax(Tensor x, int axis, bool log);

    /// <summary>Batched matrix product of contiguous rank-3 tensors: each batch of
    /// <paramref name="a"/> (or its transpose) times the same batch of <paramref name="b"/> (or its
    /// transpose). A batch size of 1 broadcasts against the other operand.</summary>
    Tensor MatMul(Tensor a, Tensor b, bool transposeA, bool transposeB);

    /// <summary>Cross-correlation of x (N, C, H, W) with w (O, C, KH, KW): (N, O, OH, OW).</summary>
    Tensor Conv2d(Tensor x, Tensor w, Conv2dGeometry geometry);
    /// <summary>Gradient of <see cref="Conv2d"/> with respect to its input, given the output gradient.</summary>
    Tensor Conv2dBackwardInput(Tensor outputGradient, Tensor w, Shape inputShape, Conv2dGeometry geometry);
    /// <summary>Gradient of <see cref="Conv2d"/> with respect to its weight, given the output gradient.</summary>
    Tensor Conv2dBackwardWeight(Tensor outputGradient, Tensor x, Shape weightShape, Conv2dGeometry geometry);

    /// <summary>Max-pool over (N, C, H, W); also returns, per output cell, the int32 index of the
    /// winning cell within its input plane (h·W + w), which the backward routes gradients to.</summary>
    (Tensor Output, Tensor Indices) MaxPool2d(Tensor x, Pool2dGeometry geometry);
    Tensor MaxPool2dBackward(Tensor outputGradient, Tensor indices, Shape inputShape);

    /// <summary>Runs an element-wise kernel (every element-wise primitive, every fused chain the
    /// generator writes, every optimiser update: see <see cref="Fusion.ElementwiseKernel"/>) over
    /// inputs that broadcast to <paramref name="shape"/>, writing one tensor per kernel output in
    /// one pass. A null entry of <paramref name="outputs"/> is allocated, contiguous, of that shape
    /// and the inputs' dtype; a given one is such a tensor already, and may be one of the inputs
    /// itself (an in-place update: each element is read before it is written). The front end has
    /// computed the shape and checked the outputs.</summary>
    void Elementwise(Fusion.ElementwiseKernel kernel, ReadOnlySpan<Tensor> inputs, ReadOnlySpan<double> scalars, Shape shape, Span<Tensor> outputs);

    /// <summary>A batch (B, C, H, W) cut out of float32 <paramref name="images"/> (N, C, H, W) on
    /// this backend: image b is <c>crops[b]</c> of its example, zero-padded by <paramref name="padding"/>
    /// (see <see cref="Data.ImageCrop"/>). A dataset uploaded once is batched without leaving the device.</summary>
    Tensor GatherImages(Tensor images, ReadOnlySpan<Data.ImageCrop> crops, int padding);

    /// <summary>(N,) int32 class indices to an (N, classes) one-hot tensor of the given dtype.</summary>
    Tensor OneHot(Tensor indices, int classes, DType dtype);
}
