using System.Diagnostics;
using System.Runtime.InteropServices;
using Grad.Tests.Unit.Datasets;

namespace Grad.Tests.Unit.Cli;

/// <summary>The <c>grad</c> program run as a child process (its grad.dll sits beside the tests),
/// on a tiny synthetic CIFAR-10, so a test can send it signals or kill it as a user would.</summary>
internal sealed partial class GradProcess : IDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _stdout = new(), _stderr = new();

    private GradProcess(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "grad.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment.Remove("GRAD_DATA");
        start.Environment.Remove("GRAD_DEVICE");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_stdout) _stdout.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static GradProcess Start(params string[] args) => new(args);

    /// <summary>Runs to the end and returns the exit code.</summary>
    public static (int Code, string Stdout, string Stderr) Run(params string[] args) => RunWith(null, args);

    /// <summary><see cref="Run"/> with these environment variables set.</summary>
    public static (int Code, string Stdout, string Stderr) RunWith(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var p = new GradProcess(args, environment);
        int code = p.WaitForExit(TimeSpan.FromSeconds(60));
        return (code, p.Stdout, p.Stderr);
    }

    /// <summary>A synthetic CIFAR-10 folder of <paramref name="recordsPerFile"/> images per batch file.</summary>
    public static string WriteData(string root, int recordsPerFile = 40) => SyntheticCifar10.Varied(recordsPerFile).WriteFolder(root);

    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"grad did not exit within {timeout}; stderr:\n{Stderr}");
        }
        _process.WaitForExit(); // the output's last lines
        return _process.ExitCode;
    }

    /// <summary>Waits until <paramref name="condition"/> holds (polling), failing after <paramref name="timeout"/>.</summary>
    public void WaitUntil(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (_process.HasExited) throw new InvalidOperationException($"grad exited ({_process.ExitCode}) before {what}; stderr:\n{Stderr}");
            if (clock.Elapsed > timeout) throw new TimeoutException($"waited {timeout} for {what}; stderr:\n{Stderr}");
            Thread.Sleep(20);
        }
    }

    public const int SIGINT = 2, SIGTERM = 15;

    /// <summary>Sends a POSIX signal (Linux numbering).</summary>
    public void Signal(int signal)
    {
        if (SendSignal(_process.Id, signal) != 0) throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    public void KillHard() => _process.Kill();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
