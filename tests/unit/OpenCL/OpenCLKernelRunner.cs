using System.Text;
using Grad.Fusion;
using Silk.NET.OpenCL;

namespace Grad.Tests.Unit.OpenCL;

/// <summary>
/// Runs generated element-wise kernels' OpenCL C on the first OpenCL device (PoCL in CI) over
/// dense arrays, one work-item per element: enough to check that the OpenCL spelling of every
/// formula compiles and computes what the C# spellings compute. The OpenCL backend proper builds
/// on the same <see cref="ElementwiseKernel.OpenCLBody"/>. The kernels it is given are built as
/// one program per dtype, once: PoCL takes a second or more per build.
/// </summary>
internal sealed unsafe class OpenCLKernelRunner : IDisposable
{
    private readonly CL _cl = CL.GetApi();
    private readonly nint _device, _context, _queue;
    private readonly IReadOnlyList<ElementwiseKernel> _kernels;
    private readonly Dictionary<string, nint> _programs = new();

    private OpenCLKernelRunner(nint device, IReadOnlyList<ElementwiseKernel> kernels)
    {
        _kernels = kernels;
        _device = device;
        int error;
        nint d = device;
        _context = _cl.CreateContext(null, 1, &d, null, null, &error);
        Check(error, "clCreateContext");
        _queue = _cl.CreateCommandQueue(_context, _device, CommandQueueProperties.None, &error);
        Check(error, "clCreateCommandQueue");
    }

    /// <summary>A runner of <paramref name="kernels"/> on the first device of the first platform,
    /// or null (with the reason) when this machine has no OpenCL driver.</summary>
    public static OpenCLKernelRunner? TryCreate(IReadOnlyList<ElementwiseKernel> kernels, out string reason)
    {
        try
        {
            var cl = CL.GetApi();
            uint platforms;
            if (cl.GetPlatformIDs(0, null, &platforms) != 0 || platforms == 0)
            {
                reason = "no OpenCL platform is installed (apt-get install pocl-opencl-icd)";
                return null;
            }
            nint platform;
            cl.GetPlatformIDs(1, &platform, null);
            nint device;
            uint devices;
            if (cl.GetDeviceIDs(platform, DeviceType.All, 1, &device, &devices) != 0 || devices == 0)
            {
                reason = "the OpenCL platform has no device";
                return null;
            }
            reason = "";
            return new OpenCLKernelRunner(device, kernels);
        }
        catch (Exception e) when (e is DllNotFoundException or FileNotFoundException or InvalidOperationException)
        {
            reason = "the OpenCL loader (libOpenCL.so.1) is missing: " + e.Message;
            return null;
        }
    }

    /// <summary>Whether the device computes in float64 (cl_khr_fp64).</summary>
    public bool HasFloat64
    {
        get
        {
            nuint size;
            _cl.GetDeviceInfo(_device, DeviceInfo.Extensions, 0, null, &size);
            var bytes = new byte[size];
            fixed (byte* p = bytes) _cl.GetDeviceInfo(_device, DeviceInfo.Extensions, size, p, null);
            return Encoding.ASCII.GetString(bytes).Contains("cl_khr_fp64");
        }
    }

    /// <summary>The kernel (one of those the runner was made with) over <paramref name="inputs"/>
    /// (all of one length) and scalars; one array per output.</summary>
    public T[][] Run<T>(ElementwiseKernel kernel, T[][] inputs, double[] scalars) where T : unmanaged
    {
        int n = inputs[0].Length, index = IndexOf(kernel);
        if (index < 0) throw new ArgumentException($"{kernel.Name} is not one of this runner's kernels.");
        int error;
        var clKernel = _cl.CreateKernel(Program(typeof(T) == typeof(double) ? "double" : "float"), "k" + index, &error);
        Check(error, "clCreateKernel");

        var buffers = new List<nint>();
        try
        {
            uint arg = 0;
            foreach (var input in inputs)
            {
                fixed (T* data = input)
                    buffers.Add(_cl.CreateBuffer(_context, MemFlags.ReadOnly | MemFlags.CopyHostPtr, (nuint)(n * sizeof(T)), data, &error));
                Check(error, "clCreateBuffer");
                SetBuffer(clKernel, arg++, buffers[^1]);
            }
            for (int k = 0; k < kernel.OutputCount; k++)
            {
                buffers.Add(_cl.CreateBuffer(_context, MemFlags.WriteOnly, (nuint)(Math.Max(n, 1) * sizeof(T)), null, &error));
                Check(error, "clCreateBuffer");
                SetBuffer(clKernel, arg++, buffers[^1]);
            }
            foreach (var s in scalars)
            {
                T value = typeof(T) == typeof(double) ? (T)(object)s : (T)(object)(float)s;
                Check(_cl.SetKernelArg(clKernel, arg++, (nuint)sizeof(T), &value), "clSetKernelArg");
            }
            nuint global = (nuint)n;
            Check(_cl.EnqueueNdrangeKernel(_queue, clKernel, 1, null, &global, null, 0, null, null), "clEnqueueNDRangeKernel");
            var outputs = new T[kernel.OutputCount][];
            for (int k = 0; k < outputs.Length; k++)
            {
                outputs[k] = new T[n];
                fixed (T* data = outputs[k])
                    Check(_cl.EnqueueReadBuffer(_queue, buffers[inputs.Length + k], true, 0, (nuint)(n * sizeof(T)), data, 0, null, null), "clEnqueueReadBuffer");
            }
            return outputs;
        }
        finally
        {
            foreach (var b in buffers) _cl.ReleaseMemObject(b);
            _cl.ReleaseKernel(clKernel);
        }
    }

    private int IndexOf(ElementwiseKernel kernel)
    {
        for (int i = 0; i < _kernels.Count; i++) if (ReferenceEquals(_kernels[i], kernel)) return i;
        return -1;
    }

    /// <summary>The program of every kernel in <paramref name="real"/>, built on first use.</summary>
    private nint Program(string real)
    {
        if (_programs.TryGetValue(real, out var built)) return built;
        var source = Source(_kernels, real);
        int error;
        var program = _cl.CreateProgramWithSource(_context, 1, new[] { source }, null, &error);
        Check(error, "clCreateProgramWithSource");
        nint device = _device;
        if (_cl.BuildProgram(program, 1, &device, (byte*)null, null, null) != 0)
            throw new InvalidOperationException($"OpenCL could not build the kernels in {real}:\n{BuildLog(program)}\n--- source\n{source}");
        return _programs[real] = program;
    }

    /// <summary>A whole OpenCL C program: each kernel's body as kernel <c>k</c>i, one work-item
    /// per element, after the helper functions they call (each defined once).</summary>
    public static string Source(IReadOnlyList<ElementwiseKernel> kernels, string real)
    {
        var text = new StringBuilder();
        if (real == "double") text.AppendLine("#pragma OPENCL EXTENSION cl_khr_fp64 : enable");
        text.AppendLine($"typedef {real} real;");
        foreach (var helper in kernels.SelectMany(k => k.OpenCLHelpers.Split('\n')).Where(h => h.Length > 0).Distinct())
            text.AppendLine(helper);
        for (int i = 0; i < kernels.Count; i++)
        {
            var kernel = kernels[i];
            var parameters = Enumerable.Range(0, kernel.InputCount).Select(k => $"__global const real* in{k}")
                .Concat(Enumerable.Range(0, kernel.OutputCount).Select(k => $"__global real* out{k}"))
                .Concat(Enumerable.Range(0, kernel.ScalarCount).Select(k => $"const real s{k}"));
            text.AppendLine($"__kernel void k{i}({string.Join(", ", parameters)})");
            text.AppendLine("{");
            text.AppendLine("    const size_t i = get_global_id(0);");
            for (int k = 0; k < kernel.InputCount; k++) text.AppendLine($"    const real x{k} = in{k}[i];");
            for (int k = 0; k < kernel.OutputCount; k++) text.AppendLine($"    real y{k};");
            foreach (var line in kernel.OpenCLBody.Split('\n')) text.AppendLine("    " + line);
            for (int k = 0; k < kernel.OutputCount; k++) text.AppendLine($"    out{k}[i] = y{k};");
            text.AppendLine("}");
        }
        return text.ToString();
    }

    private void SetBuffer(nint kernel, uint index, nint buffer) =>
        Check(_cl.SetKernelArg(kernel, index, (nuint)sizeof(nint), &buffer), "clSetKernelArg");

    private string BuildLog(nint program)
    {
        nuint size;
        _cl.GetProgramBuildInfo(program, _device, ProgramBuildInfo.BuildLog, 0, null, &size);
        var bytes = new byte[size];
        fixed (byte* p = bytes) _cl.GetProgramBuildInfo(program, _device, ProgramBuildInfo.BuildLog, size, p, null);
        return Encoding.UTF8.GetString(bytes).TrimEnd('\0');
    }

    private static void Check(int error, string call)
    {
        if (error != 0) throw new InvalidOperationException($"{call} failed with OpenCL error {error}.");
    }

    public void Dispose()
    {
        foreach (var program in _programs.Values) _cl.ReleaseProgram(program);
        _cl.ReleaseCommandQueue(_queue);
        _cl.ReleaseContext(_context);
        _cl.Dispose();
    }
}
