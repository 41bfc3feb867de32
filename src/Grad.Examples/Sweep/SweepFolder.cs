namespace Grad.Examples.Sweep;

/// <summary>
/// Where a sweep keeps its files: <c>manifest.json</c> (trial id → flags), <c>trials/ID/</c> (each
/// trial's run folder, with the sweep's <c>result.json</c>, <c>attempts.jsonl</c> and
/// <c>log.txt</c> beside the trainer's files), <c>sweep.sbatch</c> and <c>jobs.json</c> for Slurm,
/// and the collected <c>results.md</c>, <c>results.csv</c> and <c>plots/</c>.
/// </summary>
public sealed class SweepFolder(string path)
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);
    public string Manifest => File("manifest.json");
    public string SbatchScript => File("sweep.sbatch");
    public string Jobs => File("jobs.json");
    public string Lock => File(".lock");
    public string ResultsMarkdown => File("results.md");
    public string ResultsCsv => File("results.csv");
    public string Plots => File("plots");
    public string Trials => File("trials");

    public TrialFolder Trial(int id) => new(System.IO.Path.Combine(Trials, id.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>The sweep folder of a command's argument: the folder itself, or an error saying what it lacks.</summary>
    public static SweepFolder Existing(string path)
    {
        var folder = new SweepFolder(path);
        if (!System.IO.File.Exists(folder.Manifest))
            throw new FileNotFoundException($"{folder.Path} is not a sweep folder: it has no manifest.json (start a sweep with `grad sweep SPEC --out {path}`).");
        return folder;
    }
}
