using Grad.Backends;
using Grad.Cpu;

namespace Grad.OpenCL;

/// <summary>
/// Chooses between im2col + GEMM and Winograd for 3×3 stride-1 layers on a device: times one
/// such layer's three passes (forward and both gradients, float32) by each, after checking that
/// Winograd's results match im2col's. <c>grad tune</c> runs it after the GEMM's search, so both
/// time the tuned GEMM, and stores the choice in the <see cref="TuningCache"/>; the backend then
/// runs Winograd, where the CPU backend's shape rule lets it apply, only if it won here.
/// </summary>
public static class ConvolutionTuner
{
    /// <summary>One algorithm's outcome: the median time of the three passes, or why it was left out.</summary>
    public sealed record Trial(string Algorithm, double Milliseconds, string? Rejected);

    /// <summary>The layer <c>grad tune</c> times: 128 channels in and out (the CIFAR CNN's second
    /// layer's width) on 16×16 planes, in batches of 16.</summary>
    public const int Batch = 16, Channels = 128, Size = 16;

    /// <summary>Times the layer (<paramref name="batch"/>, <paramref name="channels"/> → the same
    /// channels, <paramref name="size"/>² planes) by both algorithms, reporting each; leaves
    /// <see cref="OpenCLBackend.Winograd"/> on the faster.</summary>
    public static IReadOnlyList<Trial> Tune(OpenCLBackend backend, Action<Trial> report, int batch = Batch, int channels = Channels, int size = Size)
    {
        var geometry = new Conv2dGeometry(1, 1);
        using var x = Init.Normal([batch, channels, size, size], seed: 1, backend: backend);
        using var w = Init.Normal([channels, channels, 3, 3], std: 0.05, seed: 2, backend: backend);
        using var dy = Init.Normal([batch, channels, size, size], seed: 3, backend: backend);
        if (!Conv2dWinograd.Applies(ConvLayout.Of(x.Shape, w.Shape, geometry)))
            throw new ArgumentException($"A {channels}-channel layer on {size}×{size} planes in batches of {batch} is not one that Winograd applies to.");
        Func<Tensor>[] passes =
        [
            () => Ops.Conv2d(x, w, geometry),
            () => Ops.Conv2dBackwardInput(dy, w, x.Shape, geometry),
            () => Ops.Conv2dBackwardWeight(dy, x, w.Shape, geometry),
        ];
        double Milliseconds() => 1e3 * DeviceTiming.MedianSeconds(backend, () =>
        {
            foreach (var pass in passes) pass().Dispose();
        });
        backend.Winograd = false;
        var reference = passes.Select(pass => Values(pass)).ToArray();
        var im2col = new Trial("im2col", Milliseconds(), null);
        report(im2col);
        backend.Winograd = true;
        var winograd = Disagreement(reference, passes.Select(pass => Values(pass)).ToArray()) is { } wrong
            ? new Trial("winograd", 0, wrong)
            : new Trial("winograd", Milliseconds(), null);
        report(winograd);
        backend.Winograd = winograd.Rejected is null && winograd.Milliseconds < im2col.Milliseconds;
        return [im2col, winograd];
    }

    private static float[] Values(Func<Tensor> pass)
    {
        using var result = pass();
        return result.ToArray<float>();
    }

    /// <summary>Null where each pass's result is im2col's to float32 rounding (relative to its
    /// largest value, as the transforms' constants scale the error), else what differs.</summary>
    private static string? Disagreement(float[][] expected, float[][] actual)
    {
        string[] names = ["forward", "input gradient", "weight gradient"];
        for (int p = 0; p < expected.Length; p++)
        {
            float scale = expected[p].Max(Math.Abs);
            for (int i = 0; i < expected[p].Length; i++)
            {
                if (!(Math.Abs(expected[p][i] - actual[p][i]) <= 1e-3f * scale))
                    return $"wrong {names[p]}: element {i} is {actual[p][i]}, im2col gives {expected[p][i]}";
            }
        }
        return null;
    }
}
