using System.Security.Cryptography;
using System.Text;
using Silk.NET.OpenCL;

namespace Grad.OpenCL;

/// <summary>
/// Compiled programs on disk, for drivers that keep no cache of their own, so a new process skips
/// the compiler: one file per device, driver version, build options and source (their SHA-256),
/// in <c>opencl-programs</c> beside the tuning cache (<see cref="TuningCache.Path"/>). A binary
/// the driver refuses is rebuilt from source and replaced; files are written atomically.
/// </summary>
internal sealed unsafe class ProgramBinaries(OpenCLDevice device, string folder)
{
    public static string DefaultFolder => Path.Combine(Path.GetDirectoryName(TuningCache.Path)!, "opencl-programs");

    /// <summary>Programs this process loaded from disk rather than compiled.</summary>
    public int Loaded { get; private set; }

    private string FileOf(string source, string options)
    {
        var key = SHA256.HashData(Encoding.UTF8.GetBytes($"{device.Name}\n{device.DriverVersion}\n{options}\n{source}"));
        return Path.Combine(folder, Convert.ToHexString(key)[..32] + ".bin");
    }

    /// <summary>The stored program built for the device, or 0 where there is none or the driver
    /// refuses it.</summary>
    public nint TryLoad(nint context, string source, string options)
    {
        var file = FileOf(source, options);
        byte[] binary;
        try
        {
            if (!File.Exists(file)) return 0;
            binary = File.ReadAllBytes(file);
        }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
        if (binary.Length == 0) return 0;
        var cl = OpenCLApi.Cl;
        nint id = device.Id;
        nuint length = (nuint)binary.Length;
        int status, error;
        nint program;
        fixed (byte* bytes = binary)
        {
            byte* pointer = bytes;
            program = cl.CreateProgramWithBinary(context, 1, &id, &length, &pointer, &status, &error);
        }
        if (error != 0 || status != 0) return 0;
        if (cl.BuildProgram(program, 1, &id, options, null, null) != 0)
        {
            cl.ReleaseProgram(program);
            return 0;
        }
        Loaded++;
        return program;
    }

    /// <summary>Writes a program compiled from source; a failure to write only costs the next
    /// process a compile.</summary>
    public void Store(nint program, string source, string options)
    {
        var cl = OpenCLApi.Cl;
        nuint size;
        if (cl.GetProgramInfo(program, ProgramInfo.BinarySizes, (nuint)sizeof(nuint), &size, null) != 0 || size == 0) return;
        var binary = new byte[size];
        fixed (byte* bytes = binary)
        {
            byte* pointer = bytes;
            if (cl.GetProgramInfo(program, ProgramInfo.Binaries, (nuint)sizeof(byte*), &pointer, null) != 0) return;
        }
        var file = FileOf(source, options);
        var temporary = $"{file}.tmp-{Environment.ProcessId}-{Environment.CurrentManagedThreadId}";
        try
        {
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(temporary, binary);
            File.Move(temporary, file, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temporary); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
