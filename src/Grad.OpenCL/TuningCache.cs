using System.Text.Json;

namespace Grad.OpenCL;

/// <summary>
/// What <c>grad tune</c> found (<see cref="DeviceTuning"/>) on disk, one entry per device name and
/// driver version (a new driver may want other parameters): <c>$GRAD_CACHE_DIR/opencl-tuning.json</c>, by default under
/// <c>$XDG_CACHE_HOME/grad</c> or <c>~/.cache/grad</c>. Written atomically; an unreadable file is
/// ignored (the shipped defaults apply) and replaced by the next <c>grad tune</c>, and so is an
/// entry without GEMM parameters (one written before the convolution's choice was stored).
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

    /// <summary>The stored tuning of this device and driver, if any (in the file at <paramref name="path"/>, by default <see cref="Path"/>).</summary>
    public static DeviceTuning? Find(OpenCLDevice device, string? path = null) =>
        Read(path ?? Path).TryGetValue(Key(device), out var found) && found.Gemm is { } gemm && gemm.FitsOn(device) ? found : null;

    public static void Store(OpenCLDevice device, DeviceTuning tuning, string? path = null)
    {
        path ??= Path;
        var entries = Read(path);
        entries[Key(device)] = tuning;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var temporary = path + $".tmp-{Environment.ProcessId}";
        File.WriteAllText(temporary, JsonSerializer.Serialize(entries, Json));
        File.Move(temporary, path, overwrite: true);
    }

    private static Dictionary<string, DeviceTuning> Read(string path)
    {
        try
        {
            return File.Exists(path)
                ? JsonSerializer.Deserialize<Dictionary<string, DeviceTuning>>(File.ReadAllText(path)) ?? new()
                : new();
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return new();
        }
    }
}
