using System.Numerics;
using Grad.Backends;

namespace Grad.Cpu;

/// <summary>
/// Max-pooling over NCHW planes, split over the threads. Padding counts as −∞, so only real
/// cells are visited (the front end keeps padding under half the window, so every window holds
/// one). Within a window the first maximum in row-major order wins, and a NaN beats any number,
/// as in PyTorch; the winner's index is h·W + w within its plane.
/// </summary>
internal static class MaxPool2dKernels
{
    /// <summary>Planes cheaper than this many window reads are not worth a thread.</summary>
    private const int ParallelGrain = 1 << 14;

    public static void Forward<T>(Tensor x, Pool2dGeometry g, Tensor output, Tensor indices)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int h = x.Shape[2], w = x.Shape[3];
        int oh = output.Shape[2], ow = output.Shape[3];
        int planes = x.Shape[0] * x.Shape[1], inPlane = h * w, outPlane = oh * ow;
        var source = CpuBackend.Array<T>(x);
        var values = CpuBackend.Array<T>(output);
        var winners = CpuBackend.Array<int>(indices);
        int offset = x.Offset;
        int perRange = Math.Max(1, ParallelGrain / (outPlane * g.KernelH * g.KernelW));
        if (typeof(T) == typeof(float) && MaxPool2dVectorized.Supported)
        {
            if (MaxPool2dVectorized.FillsRows(ow))
                ForwardByRows((float[])(object)source, offset, h, w, g, (float[])(object)values, winners, planes, oh, ow, perRange);
            else
                ForwardByPlanes((float[])(object)source, offset, h, w, g, (float[])(object)values, winners, planes, oh, ow, perRange);
            return;
        }
        ParallelRanges.For(planes, perRange, (_, start, end) =>
        {
            for (int p = start; p < end; p++)
            {
                PoolPlane<T>(source.AsSpan(offset + p * inPlane, inPlane), h, w, g,
                    values.AsSpan(p * outPlane, outPlane), winners.AsSpan(p * outPlane, outPlane), ow);
            }
        });
    }

    private static unsafe void ForwardByPlanes(float[] source, int offset, int h, int w, Pool2dGeometry g,
        float[] values, int[] winners, int planes, int oh, int ow, int perRange)
    {
        int group = MaxPool2dVectorized.PlanesPerGroup, inPlane = h * w, outPlane = oh * ow;
        int groups = (planes + group - 1) / group;
        ParallelRanges.For(groups, Math.Max(1, perRange / group), (_, start, end) =>
        {
            var scratch = System.Buffers.ArrayPool<float>.Shared.Rent(inPlane * group);
            fixed (float* input = source, output = values, interleaved = scratch)
            fixed (int* index = winners)
            {
                for (int k = start; k < end; k++)
                {
                    int first = k * group;
                    MaxPool2dVectorized.PoolPlanes(input + offset + first * inPlane, Math.Min(group, planes - first), h, w, g,
                        output + first * outPlane, index + first * outPlane, oh, ow, interleaved);
                }
            }
            System.Buffers.ArrayPool<float>.Shared.Return(scratch);
        });
    }

    private static unsafe void ForwardByRows(float[] source, int offset, int h, int w, Pool2dGeometry g,
        float[] values, int[] winners, int planes, int oh, int ow, int perRange)
    {
        int inPlane = h * w, outPlane = oh * ow, scratchLength = MaxPool2dVectorized.ScratchLength(h, w, g);
        ParallelRanges.For(planes, perRange, (_, start, end) =>
        {
            var scratch = System.Buffers.ArrayPool<float>.Shared.Rent(scratchLength);
            fixed (float* input = source, output = values, padded = scratch)
            fixed (int* index = winners)
            {
                for (int p = start; p < end; p++)
                {
                    MaxPool2dVectorized.PoolPlane(input + offset + p * inPlane, h, w, g,
                        output + p * outPlane, index + p * outPlane, oh, ow, padded);
                }
            }
            System.Buffers.ArrayPool<float>.Shared.Return(scratch);
        });
    }

    /// <summary>Overwrites the input gradient with each output gradient added to its window's winner.</summary>
    public static void Backward<T>(Tensor outputGradient, Tensor indices, Tensor inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int planes = inputGradient.Shape[0] * inputGradient.Shape[1];
        int inPlane = inputGradient.Shape[2] * inputGradient.Shape[3];
        int outPlane = outputGradient.Shape[2] * outputGradient.Shape[3];
        var gradient = CpuBackend.Array<T>(outputGradient);
        var winners = CpuBackend.Array<int>(indices);
        var target = CpuBackend.Array<T>(inputGradient);
        int gradientOffset = outputGradient.Offset, indexOffset = indices.Offset;
        ParallelRanges.For(planes, Math.Max(1, ParallelGrain / (inPlane + outPlane)), (_, start, end) =>
        {
            for (int p = start; p < end; p++)
            {
                var plane = target.AsSpan(p * inPlane, inPlane);
                var g = gradient.AsSpan(gradientOffset + p * outPlane, outPlane);
                var index = winners.AsSpan(indexOffset + p * outPlane, outPlane);
                plane.Clear();
                for (int i = 0; i < g.Length; i++) plane[index[i]] += g[i];
            }
        });
    }

    private static unsafe void PoolPlane<T>(ReadOnlySpan<T> plane, int h, int w, Pool2dGeometry g,
        Span<T> values, Span<int> winners, int ow) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = values.Length / ow;
        fixed (T* input = plane, output = values)
        fixed (int* index = winners)
        {
            for (int r = 0, o = 0; r < oh; r++)
            {
                var (rowStart, rowEnd) = g.WindowRows(r, h);
                for (int c = 0; c < ow; c++, o++)
                {
                    var (colStart, colEnd) = g.WindowColumns(c, w);
                    int best = rowStart * w + colStart;
                    T max = input[best];
                    for (int y = rowStart; y < rowEnd; y++)
                    {
                        for (int x = colStart, cell = y * w + colStart; x < colEnd; x++, cell++)
                        {
                            T v = input[cell];
                            // Strictly greater keeps the first maximum; a NaN wins unless one already has.
                            bool wins = v > max | (T.IsNaN(v) & !T.IsNaN(max));
                            max = wins ? v : max;
                            best = wins ? cell : best;
                        }
                    }
                    output[o] = max;
                    index[o] = best;
                }
            }
        }
    }
}
