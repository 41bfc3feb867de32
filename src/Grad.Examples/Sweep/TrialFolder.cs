namespace Grad.Examples.Sweep;

/// <summary>One trial's folder: the trainer's run folder, plus what the sweep records about it.</summary>
public sealed class TrialFolder(string path)
{
    public string Path { get; } = path;
    public string Result => File("result.json");
    public string Attempts => File("attempts.jsonl");
    public string Log => File("log.txt");
    public string Lock => File(".lock");
    public string Checkpoint => File("checkpoint.safetensors");
    public string Config => File("config.json");
    public string Metrics => File("metrics.json");

    private string File(string name) => System.IO.Path.Combine(Path, name);
}
