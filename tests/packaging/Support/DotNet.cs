using System.Diagnostics;

namespace Grad.Tests.Packaging.Support;

/// <summary>What a command printed and how it ended.</summary>
public sealed record CommandResult(string Command, int ExitCode, string Output)
{
    /// <summary>Fails the test with the command's output unless it succeeded.</summary>
    public CommandResult EnsureSucceeded()
    {
        Assert.True(ExitCode == 0, $"`{Command}` exited with {ExitCode}:\n{Output}");
        return this;
    }
}

/// <summary>
/// Runs the <c>dotnet</c> CLI (or a program it installed) as a user would, in a given folder.
/// Output goes to a file, not a pipe: the build servers a build leaves running keep its pipes
/// open, and reading a pipe to its end would then wait for them.
/// </summary>
public static class DotNet
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    public static CommandResult Run(string directory, params string[] arguments) => Exec(directory, "dotnet", arguments);

    public static CommandResult Exec(string directory, string program, params string[] arguments)
    {
        string log = Path.Combine(Path.GetTempPath(), $"grad-packaging-{Guid.NewGuid():N}.log");
        var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = directory, UseShellExecute = false };
        foreach (string argument in (string[])["-c", "exec \"$0\" \"$@\" >\"$GRAD_TEST_LOG\" 2>&1", program, .. arguments])
            start.ArgumentList.Add(argument);
        start.Environment["GRAD_TEST_LOG"] = log;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        // The test host runs under `dotnet test`, whose MSBuild settings must not leak into a user's build.
        foreach (string key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        string command = $"{program} {string.Join(' ', arguments)}";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start `{command}`");
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{command}` ran longer than {Limit.TotalMinutes} minutes:\n{Read(log)}");
        }
        return new CommandResult(command, process.ExitCode, Read(log));
    }

    private static string Read(string log)
    {
        if (!File.Exists(log)) return "";
        string text = File.ReadAllText(log);
        File.Delete(log);
        return text;
    }
}
