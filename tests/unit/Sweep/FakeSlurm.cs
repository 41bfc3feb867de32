namespace Grad.Tests.Unit.Sweep;

/// <summary>
/// Stand-ins for <c>sbatch</c>, <c>squeue</c> and <c>scontrol</c> in a folder that is the whole
/// PATH of the <c>grad</c> they serve: sbatch records its arguments and prints a job id (or
/// fails as told), squeue and scontrol print what the test wrote for them. Shell built-ins only,
/// since nothing else is on that PATH.
/// </summary>
internal sealed class FakeSlurm
{
    public FakeSlurm(string folder, long job = 42)
    {
        Bin = folder;
        Directory.CreateDirectory(folder);
        Tool("sbatch", $"printf '%s\\n' \"$@\" >> {Calls}\nif [ -e {File("sbatch.fails")} ]; then echo 'sbatch: error: Batch job submission failed: Invalid partition name specified' >&2; exit 1; fi\necho {job}");
        Tool("squeue", $"[ -e {File("squeue.fails")} ] && {{ echo 'slurm_load_jobs error: Unable to contact slurm controller (connect failure)' >&2; exit 1; }}\n{Print("squeue.out")}");
        Tool("scontrol", Print("scontrol.out"));
    }

    /// <summary>The folder to use as PATH.</summary>
    public string Bin { get; }

    /// <summary>sbatch's arguments, a line each, over every call.</summary>
    public string Calls => File("sbatch.calls");

    public string[] SbatchCalls() => System.IO.File.Exists(Calls) ? System.IO.File.ReadAllLines(Calls).Where(l => l == "--parsable").ToArray() : [];

    public void Queue(params string[] lines) => System.IO.File.WriteAllLines(File("squeue.out"), lines);

    public void Fail(string tool) => System.IO.File.WriteAllText(File(tool + ".fails"), "");

    private string File(string name) => Path.Combine(Bin, name);

    private string Print(string name) => $"[ -e {File(name)} ] && while IFS= read -r line; do printf '%s\\n' \"$line\"; done < {File(name)}\nexit 0";

    private void Tool(string name, string body)
    {
        string path = File(name);
        System.IO.File.WriteAllText(path, $"#!/bin/sh\n{body}\n");
        if (!OperatingSystem.IsWindows()) System.IO.File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
