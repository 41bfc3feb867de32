using System.Diagnostics;
using System.Globalization;
using Grad.Tests.Unit.Datasets;

namespace Grad.Tests.Unit.Sweep;

/// <summary>
/// What the sweep tests share: a small CIFAR-10 whose pixels tell the label (so trials reach
/// different, non-trivial accuracies), sweep files over it, and <c>grad</c> run as a child process
/// with a chosen environment (fake Slurm commands on PATH).
/// </summary>
internal static class SweepKit
{
    public const int Records = 40; // per batch file: 200 training images, 40 test images

    /// <summary>Writes the data set under <paramref name="root"/> and returns its folder.</summary>
    public static string WriteData(string root) => new SyntheticCifar10(Records,
        (file, record) => (file * 7 + record * 3) % 10,
        (file, record, position) => (byte)(((file * 7 + record * 3) % 10 * 12 + (file * 89 + record * 37 + position * 5 + position / 1024 * 11) % 256 / 2) % 256))
        .WriteFolder(root);

    /// <summary>A sweep of mlp-numpy over the data: learning rates × seeds, each trial <paramref name="steps"/> steps.</summary>
    public static string WriteSpec(string path, string data, int steps, params string[] learningRates)
    {
        string rates = string.Join(", ", learningRates);
        File.WriteAllText(path, $$"""
            {
              "trainer": "mlp-numpy",
              "flags": {"--data": "{{data}}", "--records_per_file": {{Records}}, "--batch_size": 10, "--max_steps": {{steps}}, "--eval_freq": {{steps / 5}}},
              "grid": {"--learning_rate": [{{rates}}]},
              "seeds": [1, 2]
            }
            """);
        return path;
    }

    /// <summary>Runs <c>grad ARGS</c> to its end (at most <paramref name="timeout"/>); PATH is
    /// <paramref name="path"/> when given.</summary>
    public static (int Code, string Stdout, string Stderr) Run(string? path, TimeSpan timeout, params string[] args)
    {
        using var grad = Start(path, args);
        var stdout = grad.StandardOutput.ReadToEndAsync();
        var stderr = grad.StandardError.ReadToEndAsync();
        if (!grad.WaitForExit(timeout))
        {
            grad.Kill(entireProcessTree: true);
            throw new TimeoutException($"grad {string.Join(" ", args)} did not end within {timeout}; stderr:\n{stderr.Result}");
        }
        return (grad.ExitCode, stdout.Result, stderr.Result);
    }

    public static (int Code, string Stdout, string Stderr) Run(params string[] args) => Run(null, TimeSpan.FromMinutes(2), args);

    public static Process Start(string? path, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])["exec", Path.Combine(AppContext.BaseDirectory, "grad.dll"), .. args]) start.ArgumentList.Add(a);
        start.Environment.Remove("GRAD_DATA");
        if (path is not null) start.Environment["PATH"] = path;
        return Process.Start(start)!;
    }

    /// <summary>The rows of a sweep's results.csv, by column name.</summary>
    public static List<Dictionary<string, string>> Table(string sweep)
    {
        var lines = File.ReadAllLines(Path.Combine(sweep, "results.csv"));
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second)).ToList();
    }

    public static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
