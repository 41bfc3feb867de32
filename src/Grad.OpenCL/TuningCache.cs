using System.Text.Json;

namespace Grad.OpenCL;

/// <summary>
/// Tuned GEMM parameters on disk, one entry per device name and driver version (a new driver
/// may want other parameters): <c>$GRAD_CACHE_DIR/opencl-tuning.json</c>, by default under
/// <c>$XDG_CACHE_HOME/grad</c> or <c>~/.cache/grad</c>. Written atomically; an unreadable file is
/// ignored (the shipped defaults apply) and replaced by the next <c>grad tune</c>.
/// </summary>
public static class TuningCache
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string Path
    {
        get
        {
            var folder = Environment.GetEnvironmentVariable("GRAD_CACHE_DIR") is { Length: > 0 } dir
                ? dir
                : System.IO.Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
                    ? xdg
                    : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "grad");
            return System.IO.Path.Combine(folder, "opencl-tuning.json");
        }
    }

    private static string Key(OpenCLDevice device) => $"{device.Name} | {device.DriverVersion}";

    /// <summary>The stored parameters of this device and driver, if any (in the file at <paramref name="path"/>, by default <see cref="Path"/>).</summary>
    public static GemmParameters? Find(OpenCLDevice device, string? path = null) =>
        Read(path ?? Path).TryGetValue(Key(device), out var found) && found.FitsOn(device) ? found : null;

    public static void Store(OpenCLDevice device, GemmParameters parameters, string? path = null)
    {
        path ??= Path;
        var entries = Read(path);
        entries[Key(device)] = parameters;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var temporary = path + $".tmp-{Environment.ProcessId}";
        File.WriteAllText(temporary, JsonSerializer.Serialize(entries, Json));
        File.Move(temporary, path, overwrite: true);
    }

    private static Dictionary<string, GemmParameters> Read(string path)
    {
        try
        {
            return File.Exists(path)
                ? JsonSerializer.Deserialize<Dictionary<string, GemmParameters>>(File.ReadAllText(path)) ?? new()
                : new();
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return new();
        }
    }
}
