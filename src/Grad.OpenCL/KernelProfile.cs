using System.Diagnostics;
using System.Globalization;

namespace Grad.OpenCL;

/// <summary>Where the device's time goes, kernel by kernel: with $GRAD_OPENCL_PROFILE=1 every
/// launch waits for its kernel and adds the wall time to that kernel's total, and the totals are
/// printed to stderr when the process exits. Off by default: waiting serialises host and device.</summary>
internal sealed class KernelProfile
{
    private readonly Dictionary<string, (int Count, double Milliseconds)> _totals = new();

    public static KernelProfile? FromEnvironment(string device)
    {
        if (Environment.GetEnvironmentVariable("GRAD_OPENCL_PROFILE") != "1") return null;
        var profile = new KernelProfile();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Console.Error.Write(profile.Report(device));
        return profile;
    }

    public long Start() => Stopwatch.GetTimestamp();

    public void Stop(string kernel, long started)
    {
        double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        lock (_totals)
        {
            var (count, total) = _totals.GetValueOrDefault(kernel);
            _totals[kernel] = (count + 1, total + ms);
        }
    }

    public string Report(string device)
    {
        lock (_totals)
        {
            double all = _totals.Values.Sum(t => t.Milliseconds);
            var lines = _totals.OrderByDescending(t => t.Value.Milliseconds).Select(t => string.Create(CultureInfo.InvariantCulture,
                $"  {t.Key,-40} {t.Value.Count,8} calls {t.Value.Milliseconds,10:F1} ms {100 * t.Value.Milliseconds / Math.Max(all, 1e-9),5:F1} %"));
            return $"OpenCL kernel time on {device} ({all:F0} ms in all):\n{string.Join("\n", lines)}\n";
        }
    }
}
