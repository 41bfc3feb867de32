namespace Grad.OpenCL;

/// <summary>
/// Searches the GEMM's parameters on a device: every candidate that fits is checked against the
/// direct kernel on a ragged product, then timed on a square float32 product; the fastest wins.
/// <c>grad tune</c> runs it and stores the winner in the <see cref="TuningCache"/>, which the
/// backend reads when it opens the device.
/// </summary>
public static class GemmTuner
{
    /// <summary>One candidate's outcome: its GFLOP/s, or why it was left out.</summary>
    public sealed record Trial(GemmParameters Parameters, double Gflops, string? Rejected);

    /// <summary>The parameter sets tried: tiled kernels of CLBlast's usual shapes, and the column
    /// kernel's blocks; those that do not fit the device are skipped.</summary>
    public static IEnumerable<GemmParameters> Candidates(OpenCLDevice device)
    {
        GemmParameters[] all =
        [
            new(64, 64, 16, 4, 4), new(64, 64, 8, 4, 4), new(128, 128, 16, 8, 8), new(128, 128, 8, 8, 8),
            new(128, 64, 16, 8, 4), new(64, 128, 16, 4, 8), new(64, 64, 16, 8, 8), new(32, 32, 16, 4, 4), new(32, 32, 8, 4, 4),
            new(4, 8, 1, 4, 8) { Columns = true }, new(8, 8, 1, 8, 8) { Columns = true },
            new(8, 16, 1, 8, 16) { Columns = true }, new(16, 16, 1, 16, 16) { Columns = true },
        ];
        return all.Where(p => p.FitsOn(device));
    }

    /// <summary>Tries every candidate on <paramref name="backend"/> at <paramref name="size"/>³,
    /// reporting each as it finishes; leaves the backend on the fastest and returns every trial.</summary>
    public static IReadOnlyList<Trial> Tune(OpenCLBackend backend, int size, Action<Trial> report)
    {
        var trials = new List<Trial>();
        var original = backend.Gemm;
        using var a = Init.Normal([size, size], seed: 1, backend: backend);
        using var b = Init.Normal([size, size], seed: 2, backend: backend);
        foreach (var candidate in Candidates(backend.Device))
        {
            backend.Gemm = candidate;
            Trial trial;
            try
            {
                trial = Agrees(backend) is { } wrong
                    ? new Trial(candidate, 0, wrong)
                    : new Trial(candidate, 2.0 * size * size * size / DeviceTiming.MedianSeconds(backend, () => Ops.MatMul(a, b).Dispose()) / 1e9, null);
            }
            catch (OpenCLException e)
            {
                trial = new Trial(candidate, 0, e.Message.Split('\n')[0]);
            }
            trials.Add(trial);
            report(trial);
        }
        var best = trials.Where(t => t.Rejected is null).MaxBy(t => t.Gflops);
        backend.Gemm = best?.Parameters ?? original;
        return trials;
    }

    /// <summary>Null if the candidate's product of a ragged pair (no multiple of any tile) matches
    /// the direct kernel's, else what differs.</summary>
    private static string? Agrees(OpenCLBackend backend)
    {
        var candidate = backend.Gemm;
        using var a = Init.Normal([1, 67, 45], seed: 3, backend: backend);
        using var b = Init.Normal([1, 45, 133], seed: 4, backend: backend);
        using var product = backend.MatMul(a, b, false, false);
        backend.Gemm = candidate with { DirectBelow = long.MaxValue };
        using var reference = backend.MatMul(a, b, false, false);
        backend.Gemm = candidate;
        var (got, want) = (product.ToArray<float>(), reference.ToArray<float>());
        for (int i = 0; i < got.Length; i++)
        {
            if (Math.Abs(got[i] - want[i]) > 1e-4 * (1 + Math.Abs(want[i])))
                return $"wrong result: element {i} is {got[i]}, the direct kernel gives {want[i]}";
        }
        return null;
    }
}
