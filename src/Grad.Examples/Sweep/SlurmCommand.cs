using System.ComponentModel;
using System.Diagnostics;

namespace Grad.Examples.Sweep;

/// <summary>A Slurm client command failed or is missing; the message names the command and its output.</summary>
public sealed class SlurmCommandException(string message) : Exception(message);

/// <summary>Runs Slurm's client commands (<c>sbatch</c>, <c>squeue</c>, <c>scontrol</c>) found on PATH.</summary>
public static class SlurmCommand
{
    /// <summary>The command's stdout; a <see cref="SlurmCommandException"/> when it cannot start,
    /// takes over a minute or exits non-zero (unless <paramref name="accept"/> takes its stderr).</summary>
    public static string Run(string tool, IReadOnlyList<string> arguments, Func<string, bool>? accept = null)
    {
        string line = string.Join(" ", [tool, .. arguments]);
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception();
        }
        catch (Win32Exception e)
        {
            throw new SlurmCommandException($"`{line}` could not run: {e.Message}. Is {tool} (Slurm's client commands) installed and on PATH?");
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
            {
                process.Kill(entireProcessTree: true);
                throw new SlurmCommandException($"`{line}` did not answer within a minute; is slurmctld reachable?");
            }
            string errors = stderr.GetAwaiter().GetResult().Trim();
            if (process.ExitCode != 0 && !(accept?.Invoke(errors) ?? false))
                throw new SlurmCommandException($"`{line}` failed (exit {process.ExitCode}): {(errors.Length > 0 ? errors : stdout.Trim())}");
            return stdout;
        }
    }
}
