using System.Diagnostics;

namespace Grad.OpenCL;

/// <summary>How the tuners time a candidate on a device: the median of at least three
/// synchronised rounds (more while under half a second has passed, up to 50), after one that
/// compiles and warms up.</summary>
internal static class DeviceTiming
{
    public static double MedianSeconds(OpenCLBackend backend, Action round)
    {
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        for (int run = 0; run < 1 + 3 || (total.Elapsed.TotalSeconds < 0.5 && run < 50); run++)
        {
            var clock = Stopwatch.StartNew();
            round();
            backend.Synchronize();
            if (run > 0) times.Add(clock.Elapsed.TotalSeconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }
}
