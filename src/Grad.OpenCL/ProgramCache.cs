using System.Text;
using Silk.NET.OpenCL;

namespace Grad.OpenCL;

/// <summary>Compiled programs and their kernel objects, built once per process per source and
/// options (PoCL and NVIDIA also keep their own on-disk caches of the binaries). A kernel object
/// holds its arguments between calls and OpenCL lets only one thread set them at a time, so each
/// thread gets its own kernel objects; every other OpenCL call is thread-safe.</summary>
internal sealed unsafe class ProgramCache(nint context, nint device, ProgramBinaries? disk)
{
    private readonly Dictionary<(string Source, string Options), nint> _programs = new(new SourceIdentity());
    private readonly ThreadLocal<Dictionary<(nint Program, string Kernel), nint>> _kernels = new(() => new());
    private readonly Lock _gate = new();

    /// <summary>The kernel <paramref name="kernel"/> of the program with this source and options;
    /// <paramref name="name"/> names the program in a build error.</summary>
    public nint Kernel(string name, string source, string options, string kernel)
    {
        nint program;
        lock (_gate)
        {
            if (!_programs.TryGetValue((source, options), out program))
                _programs[(source, options)] = program = Build(name, source, options);
        }
        var kernels = _kernels.Value!;
        if (kernels.TryGetValue((program, kernel), out var made)) return made;
        int error;
        var created = OpenCLApi.Cl.CreateKernel(program, kernel, &error);
        OpenCLException.Check(error, $"clCreateKernel({name}.{kernel})");
        return kernels[(program, kernel)] = created;
    }

    private nint Build(string name, string source, string options)
    {
        if (disk?.TryLoad(context, source, options) is { } loaded and not 0) return loaded;
        var program = Compile(name, source, options);
        disk?.Store(program, source, options);
        return program;
    }

    private nint Compile(string name, string source, string options)
    {
        var cl = OpenCLApi.Cl;
        int error;
        var program = cl.CreateProgramWithSource(context, 1, new[] { source }, null, &error);
        OpenCLException.Check(error, $"clCreateProgramWithSource({name})");
        nint d = device;
        int status = cl.BuildProgram(program, 1, &d, options, null, null);
        if (status != 0)
        {
            var log = BuildLog(program);
            cl.ReleaseProgram(program);
            throw new OpenCLBuildException(name, log.Length > 0 ? log : OpenCLException.ErrorName(status), options);
        }
        return program;
    }

    private string BuildLog(nint program)
    {
        nuint size;
        OpenCLApi.Cl.GetProgramBuildInfo(program, device, ProgramBuildInfo.BuildLog, 0, null, &size);
        var bytes = new byte[size];
        fixed (byte* p = bytes) OpenCLApi.Cl.GetProgramBuildInfo(program, device, ProgramBuildInfo.BuildLog, size, p, null);
        return Encoding.UTF8.GetString(bytes).TrimEnd('\0').Trim();
    }

    /// <summary>Sources compare by reference: every source is one cached string (an embedded
    /// program's, or an element-wise kernel's), and hashing its kilobytes at every launch would
    /// cost more than the lookup saves. Options are short and compare by value.</summary>
    private sealed class SourceIdentity : IEqualityComparer<(string Source, string Options)>
    {
        public bool Equals((string Source, string Options) a, (string Source, string Options) b) =>
            ReferenceEquals(a.Source, b.Source) && a.Options == b.Options;

        public int GetHashCode((string Source, string Options) key) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Source), key.Options);
    }
}
