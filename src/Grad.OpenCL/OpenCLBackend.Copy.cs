using Grad.Cpu;

namespace Grad.OpenCL;

public sealed unsafe partial class OpenCLBackend
{
    /// <summary>A contiguous run copied by the driver.</summary>
    private void CopyBuffer(Tensor x, Tensor y)
    {
        nuint size = (nuint)x.DType.SizeInBytes();
        OpenCLException.Check(OpenCLApi.Cl.EnqueueCopyBuffer(_queue, BufferOf(x), BufferOf(y), (nuint)x.Offset * size,
            (nuint)y.Offset * size, (nuint)y.ElementCount * size, 0, (nint*)null, (nint*)null), "clEnqueueCopyBuffer");
    }

    /// <summary>Copies <paramref name="x"/> (any strides) into the contiguous tensor <paramref name="y"/> of its shape.</summary>
    internal void CopyInto(Tensor x, Tensor y)
    {
        if (y.ElementCount == 0) return;
        Span<int> dims = stackalloc int[StridedLayout.MaxRank];
        Span<int> strides = stackalloc int[StridedLayout.MaxRank];
        var layout = new StridedLayout(x.Shape.Dims, 1, dims, strides);
        x.Strides.CopyTo(layout.StridesOf(0));
        layout.Collapse();
        int rank = layout.Rank;
        if (rank == 1 && layout.InnerStride(0) == 1)
        {
            CopyBuffer(x, y);
            return;
        }
        Launch("Copy", "copy_strided", RealOptions(x.DType))
            .Buffer(x).Int(x.Offset).Buffer(y).Int(y.Offset).Int(y.ElementCount)
            .Int(rank).Int16(dims[..rank]).Int16(layout.StridesOf(0)[..rank])
            .Run(y.ElementCount);
    }
}
