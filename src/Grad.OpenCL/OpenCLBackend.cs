using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Grad.Backends;
using Silk.NET.OpenCL;

namespace Grad.OpenCL;

/// <summary>
/// Grad on an OpenCL device: tensors in pooled device buffers, every <see cref="IBackend"/>
/// operation a kernel on one in-order queue. Work is only enqueued; the host waits for the device
/// where it reads a value (<see cref="Tensor.ToArray{T}"/>, <see cref="Tensor.Item"/>), so a
/// training step blocks once, on its loss. Float32 runs everywhere, float64 where the device has
/// cl_khr_fp64 (PoCL and NVIDIA do).
/// </summary>
public sealed unsafe partial class OpenCLBackend : IBackend
{
    private static readonly ConcurrentDictionary<int, OpenCLBackend> Opened = new();

    /// <summary>The cl_command_queue; 0 once <see cref="Lose"/> has released it.</summary>
    private nint _queue;
    private readonly BufferPool _pool;
    private readonly ProgramCache _programs;
    private readonly KernelProfile? _profile;
    private readonly PendingUploads _uploads = new();

    /// <summary>Counts down the waits to a simulated loss (<see cref="SimulatedLoss"/>); null when none is planned.</summary>
    private SimulatedLoss? _plannedLoss;

    /// <summary>A backend of its own on <paramref name="device"/> (its context, queue and pool),
    /// not the process's shared one: tests that lose a device use it.</summary>
    internal OpenCLBackend(OpenCLDevice device)
    {
        Device = device;
        var cl = OpenCLApi.Cl;
        int error;
        nint id = device.Id;
        Context = cl.CreateContext(null, 1, &id, null, null, &error);
        OpenCLException.Check(error, $"clCreateContext({device.Name})");
        _queue = cl.CreateCommandQueue(Context, id, CommandQueueProperties.None, &error);
        OpenCLException.Check(error, $"clCreateCommandQueue({device.Name})");
        _pool = new BufferPool(Context);
        _programs = new ProgramCache(Context, id, DriverCachesPrograms(device) ? null : new ProgramBinaries(device, ProgramBinaries.DefaultFolder));
        var tuned = TuningCache.Find(device);
        Gemm = tuned?.Gemm ?? GemmParameters.Default(device);
        Winograd = tuned?.Winograd ?? true;
        _profile = KernelProfile.FromEnvironment(device.DisplayName);
        _plannedLoss = SimulatedLoss.FromEnvironment();
    }

    /// <summary>PoCL (~/.cache/pocl) and NVIDIA (~/.nv/ComputeCache) keep compiled kernels on disk
    /// themselves; for other drivers Grad keeps the binaries (<see cref="ProgramBinaries"/>).</summary>
    private static bool DriverCachesPrograms(OpenCLDevice device) =>
        device.Platform.Contains("Portable Computing Language", StringComparison.Ordinal)
        || device.Vendor.Contains("NVIDIA", StringComparison.OrdinalIgnoreCase);

    /// <summary>The backend of a device spec ("opencl", "opencl:N"); one per device per process.</summary>
    public static OpenCLBackend Open(string spec = "opencl") => For(OpenCLDevices.Choose(spec));

    public static OpenCLBackend For(OpenCLDevice device) => Opened.GetOrAdd(device.Index, _ => new OpenCLBackend(device));

    public OpenCLDevice Device { get; }

    /// <summary>The cl_context.</summary>
    internal nint Context { get; }

    public string Name => Device.DisplayName;

    /// <summary>The work-group size of one-dimensional launches.</summary>
    internal int GroupSize => Math.Min(256, Device.MaxWorkGroupSize);

    /// <summary>The GEMM tile parameters this backend compiles with.</summary>
    public GemmParameters Gemm { get; set; }

    /// <summary>Bytes of device memory held by the pool for reuse.</summary>
    public long PooledBytes => _pool.PooledBytes;

    /// <summary>How many times this thread has waited for an OpenCL device (reads, waits for
    /// uploads, <see cref="Synchronize"/>): what a training step must keep to one. Per thread, so
    /// that work on other threads does not count.</summary>
    public static long HostWaitsOnThisThread => t_hostWaits;

    [ThreadStatic] private static long t_hostWaits;

    /// <summary>Counts a wait for the device that is about to start; a planned loss happens here,
    /// where a real one is noticed (a driver reports a dead device at the next wait).</summary>
    private void Waiting()
    {
        t_hostWaits++;
        if (_plannedLoss?.Due() == true) Lose();
    }

    /// <summary>Plans a simulated loss at the <paramref name="wait"/>-th wait for the device from now (1: the next).</summary>
    internal void LoseAtWait(int wait) => _plannedLoss = new SimulatedLoss(wait);

    /// <summary>Makes the device fail as a lost one does: the command queue is released, so this
    /// and every later command on it fails in the driver with CL_INVALID_COMMAND_QUEUE (the
    /// context, its buffers and programs stay valid, so freeing tensors still works). For tests
    /// of recovery; <see cref="SimulatedLoss"/> plans one from the environment.</summary>
    internal void Lose()
    {
        var queue = Interlocked.Exchange(ref _queue, 0);
        if (queue != 0) OpenCLApi.Cl.ReleaseCommandQueue(queue);
    }

    /// <summary>Waits until the device has finished everything enqueued so far.</summary>
    public void Synchronize()
    {
        Waiting();
        var settled = _uploads.Mark();
        OpenCLException.Check(OpenCLApi.Cl.Finish(_queue), "clFinish");
        _uploads.Release(settled);
    }

    public Tensor Allocate(Shape shape, DType dtype)
    {
        if (dtype == DType.Float64 && !Device.HasFloat64)
            throw new NotSupportedException($"{Name} has no float64 (cl_khr_fp64); use float32 on this device.");
        long bytes = (long)Math.Max(shape.ElementCount, 1) * dtype.SizeInBytes();
        string what = $"a {dtype.Name()} tensor of shape {shape}";
        if (bytes > Device.MaxAllocationBytes)
            throw new OpenCLOutOfMemoryException(Name, bytes, $"{what} (one buffer may hold at most {Device.MaxAllocationBytes:N0} bytes here)");
        var buffer = _pool.Rent(bytes, out int error);
        if (buffer == 0 && OpenCLException.IsOutOfMemory(error))
        {
            _pool.Trim();
            buffer = _pool.Rent(bytes, out error);
        }
        if (buffer == 0)
        {
            if (OpenCLException.IsOutOfMemory(error)) throw new OpenCLOutOfMemoryException(Name, bytes, what);
            OpenCLException.Check(error, "clCreateBuffer");
        }
        return Tensor.OverStorage(new OpenCLStorage(this, _pool, dtype, shape.ElementCount, buffer, bytes), shape);
    }

    /// <summary>The cl_mem of a tensor on an OpenCL backend.</summary>
    internal static nint BufferOf(Tensor t) => t.Storage is OpenCLStorage s
        ? s.Buffer
        : throw new InvalidOperationException($"Expected a tensor on OpenCL, got one on {t.Backend.Name}.");

    /// <summary>Enqueues the upload without waiting for it: the data is copied to native memory
    /// that lives until the host next waits for the queue (<see cref="PendingUploads"/>). Int32 data
    /// records its range on the storage, so class indices need no read back to be checked.</summary>
    public Tensor FromHost<T>(ReadOnlySpan<T> data, Shape shape) where T : unmanaged
    {
        var t = Allocate(shape, DTypeExtensions.Of<T>());
        if (data.Length == 0) return t;
        if (typeof(T) == typeof(int)) t.Storage.KnownRange = RangeOf(MemoryMarshal.Cast<T, int>(data));
        nuint bytes = (nuint)(data.Length * sizeof(T));
        if (bytes > PendingUploads.LargestCopied)
        {
            // A dataset uploaded once: wait for it rather than hold a second copy of it.
            Waiting();
            fixed (T* p = data)
                Check(OpenCLApi.Cl.EnqueueWriteBuffer(_queue, BufferOf(t), true, 0, bytes, p, 0, null, null), "clEnqueueWriteBuffer", t);
            return t;
        }
        var buffer = BufferOf(t);
        Check(_uploads.Upload(data, copy => OpenCLApi.Cl.EnqueueWriteBuffer(_queue, buffer, false, 0, bytes, (void*)copy, 0, null, null)),
            "clEnqueueWriteBuffer", t);
        if (_uploads.Full) Synchronize();
        return t;
    }

    private static (int Min, int Max) RangeOf(ReadOnlySpan<int> values) =>
        (System.Numerics.Tensors.TensorPrimitives.Min(values), System.Numerics.Tensors.TensorPrimitives.Max(values));

    public void CopyToHost<T>(Tensor source, Span<T> destination) where T : unmanaged
    {
        using var dense = source.Contiguous();
        if (dense.ElementCount == 0) return;
        Waiting();
        var settled = _uploads.Mark();
        fixed (T* p = destination)
            Check(OpenCLApi.Cl.EnqueueReadBuffer(_queue, BufferOf(dense), true, (nuint)(dense.Offset * sizeof(T)),
                (nuint)(dense.ElementCount * sizeof(T)), p, 0, null, null), "clEnqueueReadBuffer", dense);
        _uploads.Release(settled);
    }

    public void Fill(Tensor destination, double value) => FillRange(destination, destination.Offset, destination.ElementCount, value);

    /// <summary>Sets <paramref name="count"/> elements of the buffer under <paramref name="t"/> from
    /// element <paramref name="offset"/> on.</summary>
    internal void FillRange(Tensor t, int offset, long count, double value = 0)
    {
        if (count == 0) return;
        switch (t.DType)
        {
            case DType.Float32: FillWith(t, offset, count, (float)value); break;
            case DType.Float64: FillWith(t, offset, count, value); break;
            default: FillWith(t, offset, count, (int)value); break;
        }
    }

    private void FillWith<T>(Tensor t, int offset, long count, T pattern) where T : unmanaged
    {
        if (typeof(T) == typeof(int)) t.Storage.KnownRange = null;
        Check(OpenCLApi.Cl.EnqueueFillBuffer(_queue, BufferOf(t), &pattern, (nuint)sizeof(T),
            (nuint)(offset * sizeof(T)), (nuint)(count * sizeof(T)), 0, null, null), "clEnqueueFillBuffer", t);
    }

    public Tensor Contiguous(Tensor x)
    {
        var y = Allocate(x.Shape, x.DType);
        CopyInto(x, y);
        return y;
    }

    public Tensor Cast(Tensor x, DType dtype)
    {
        if (x.DType == dtype) return Contiguous(x);
        using var dense = x.Contiguous();
        var y = Allocate(x.Shape, dtype);
        var options = $"-D SOURCE={ClType(x.DType)} -D TARGET={ClType(dtype)} -D CONVERT={Conversion(dtype)}" +
            (x.DType == DType.Float64 || dtype == DType.Float64 ? " -D GRAD_FP64" : "") + " -D real=float";
        Launch("Cast", "cast", options).Buffer(dense).Int(dense.Offset).Buffer(y).Int(y.ElementCount).Run(y.ElementCount);
        return y;
    }

    private static string ClType(DType dtype) => dtype switch { DType.Float32 => "float", DType.Float64 => "double", _ => "int" };

    private static string Conversion(DType target) => target == DType.Int32 ? "convert_int_sat_rtz" : "convert_" + ClType(target);

    /// <summary>The build options that define <c>real</c> as <paramref name="dtype"/>'s type.</summary>
    internal static string RealOptions(DType dtype) => dtype switch
    {
        DType.Float32 => "-D real=float",
        DType.Float64 => "-D real=double -D GRAD_FP64",
        _ => "-D real=int",
    };

    /// <summary>A launch of a kernel of one of the embedded programs (Kernels/*.cl).</summary>
    internal KernelLaunch Launch(string program, string kernel, string options) =>
        new(this, _programs.Kernel(program, KernelSources.Program(program), options, kernel), program, kernel);

    /// <summary>A launch of a kernel compiled from source this backend wrote.</summary>
    internal KernelLaunch LaunchSource(string name, string source, string options, string kernel) =>
        new(this, _programs.Kernel(name, source, options, kernel), name, kernel);

    /// <summary>Enqueues a kernel of <paramref name="program"/>; the two names only make messages
    /// and profiles, so they are joined only for those.</summary>
    internal void Enqueue(nint kernel, string program, string function, uint dimensions, nuint* global, nuint* local)
    {
        if (_profile is null)
        {
            EnqueueKernel(kernel, program, function, dimensions, global, local);
            return;
        }
        long started = _profile.Start();
        EnqueueKernel(kernel, program, function, dimensions, global, local);
        Synchronize();
        _profile.Stop($"{program}.{function}", started);
    }

    private void EnqueueKernel(nint kernel, string program, string function, uint dimensions, nuint* global, nuint* local)
    {
        int status = OpenCLApi.Cl.EnqueueNdrangeKernel(_queue, kernel, dimensions, null, global, local, 0, null, null);
        if (status == 0) return;
        if (OpenCLException.IsOutOfMemory(status))
        {
            // Buffers are created lazily: the first kernel to touch one may be where memory runs out.
            _pool.Trim();
            status = OpenCLApi.Cl.EnqueueNdrangeKernel(_queue, kernel, dimensions, null, global, local, 0, null, null);
            if (OpenCLException.IsOutOfMemory(status))
                throw new OpenCLOutOfMemoryException(Name, 0, $"the kernel {program}.{function}'s buffers");
        }
        OpenCLException.Check(status, $"clEnqueueNDRangeKernel({program}.{function})");
    }

    private void Check(int status, string call, Tensor t)
    {
        if (OpenCLException.IsOutOfMemory(status))
            throw new OpenCLOutOfMemoryException(Name, ((OpenCLStorage)t.Storage).Bytes, $"a {t.DType.Name()} tensor of shape {t.Shape}");
        OpenCLException.Check(status, call);
    }

    public override string ToString() => Name;
}
