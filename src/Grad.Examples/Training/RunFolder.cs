using Grad.Layers;
using Grad.Optim;
using Grad.Serialization;

namespace Grad.Examples.Training;

/// <summary>
/// The files a run leaves in its folder: <c>config.json</c>, <c>metrics.csv</c>/<c>metrics.json</c>,
/// <c>accuracy.png</c>/<c>loss.png</c>, <c>model.safetensors</c> (parameters and running
/// statistics, by their dotted names, for anyone's safetensors reader) and
/// <c>checkpoint.safetensors</c> (that plus the optimiser state and the step, for <c>--resume</c>).
/// Every file is replaced atomically.
/// </summary>
public sealed class RunFolder(string path)
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);
    public string Config => File("config.json");
    public string Model => File("model.safetensors");
    public string Checkpoint => File("checkpoint.safetensors");

    /// <summary>The checkpoint a resumed run starts from: the file <c>--resume</c> named, or the folder's checkpoint.</summary>
    public string ResumeFrom => ResumeCheckpoint ?? Checkpoint;

    private string? ResumeCheckpoint { get; init; }

    private string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>The run folder a <c>--resume</c> argument names: the folder, or a file in it.</summary>
    public static RunFolder Of(string resume)
    {
        bool isFolder = Directory.Exists(resume);
        var folder = isFolder ? resume : System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(resume)) ?? ".";
        var run = new RunFolder(folder) { ResumeCheckpoint = isFolder ? null : System.IO.Path.GetFullPath(resume) };
        if (!System.IO.File.Exists(run.ResumeFrom))
            throw new FileNotFoundException($"--resume: no checkpoint at {run.ResumeFrom}; give the folder of a run that has saved a checkpoint, or a checkpoint file in it.");
        if (!System.IO.File.Exists(run.Config))
            throw new FileNotFoundException($"--resume: {run.Config} is missing, so the run's settings are unknown.");
        return run;
    }

    /// <summary>True when the folder holds config.json and nothing else: a run that failed before its first save.</summary>
    public bool HoldsOnlyConfig() =>
        Directory.Exists(Path) && Directory.GetDirectories(Path).Length == 0
        && Directory.GetFiles(Path).All(f => System.IO.Path.GetFileName(f) == "config.json");

    /// <summary>Deletes the temporary files that writes killed mid-way left (<c>NAME.tmp-GUID</c>,
    /// see <see cref="AtomicFile"/>); only one run uses a folder at a time, so none is in use.</summary>
    public void RemoveTemporaries()
    {
        if (!Directory.Exists(Path)) return;
        foreach (var file in Directory.EnumerateFiles(Path, "*.tmp-*"))
        {
            string name = System.IO.Path.GetFileName(file);
            string suffix = name[(name.LastIndexOf(".tmp-", StringComparison.Ordinal) + 5)..];
            if (suffix.Length != 32 || !suffix.All(char.IsAsciiHexDigitLower)) continue;
            try { System.IO.File.Delete(file); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    public void SaveConfig(TrainConfig config)
    {
        Directory.CreateDirectory(Path);
        MetricsLog.WriteText(Config, config.ToJson());
    }

    /// <summary>Writes the checkpoint (the trained model and the optimiser's state, averages
    /// included), then the plain model file (<paramref name="evaluated"/>: the model, or its
    /// moving average), each atomically.</summary>
    public void Save(Sequential model, Sequential evaluated, OptimizerState optimizer, long step, TrainConfig config)
    {
        var metadata = new Dictionary<string, string>
        {
            ["step"] = step.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["model"] = config.Model,
            ["seed"] = config.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["format"] = "grad",
        };
        Serialization.Checkpoint.Save(Checkpoint, model, optimizer, metadata);
        ModelTensors.Save(Model, evaluated, metadata);
    }
}
