
namespace Grad.OpenCL;

/// <summary>Sets a kernel's arguments in order and enqueues it: <c>Launch(...).Buffer(x).Int(n).Run(n)</c>
/// (the kernel object is this thread's own, see <see cref="ProgramCache"/>).</summary>
internal unsafe ref struct KernelLaunch
{
    private readonly OpenCLBackend _backend;
    private readonly nint _kernel;
    private readonly string _program, _function;
    private uint _index;

    public KernelLaunch(OpenCLBackend backend, nint kernel, string program, string function)
    {
        _backend = backend;
        _kernel = kernel;
        (_program, _function) = (program, function);
    }

    public KernelLaunch Buffer(Tensor t) => Buffer(OpenCLBackend.BufferOf(t));

    public KernelLaunch Buffer(nint buffer) => Arg(buffer);

    public KernelLaunch Int(int value) => Arg(value);

    /// <summary>A value of the kernel's <c>real</c> type.</summary>
    public KernelLaunch Real(DType dtype, double value) => dtype == DType.Float64 ? Arg(value) : Arg((float)value);

    /// <summary>Up to 16 ints as an <c>int16</c> argument (dims or strides of a strided layout).</summary>
    public KernelLaunch Int16(scoped ReadOnlySpan<int> values)
    {
        var packed = new Int16Vector();
        values.CopyTo(packed);
        return Arg(packed);
    }

    /// <summary>A convolution's sizes, as Convolution.cl's kernels take them: C, H, W, KH, KW, the
    /// strides, the paddings, OH, OW.</summary>
    public KernelLaunch Sizes(Grad.Cpu.ConvLayout l) =>
        Int(l.C).Int(l.H).Int(l.W).Int(l.KH).Int(l.KW).Int(l.Geometry.StrideH).Int(l.Geometry.StrideW)
            .Int(l.Geometry.PadH).Int(l.Geometry.PadW).Int(l.OH).Int(l.OW);

    /// <summary>A <c>__local</c> buffer of <paramref name="bytes"/> bytes.</summary>
    public KernelLaunch Local(int bytes)
    {
        return Checked(OpenCLApi.Cl.SetKernelArg(_kernel, _index, (nuint)bytes, null));
    }

    private KernelLaunch Arg<T>(T value) where T : unmanaged
    {
        return Checked(OpenCLApi.Cl.SetKernelArg(_kernel, _index, (nuint)sizeof(T), &value));
    }

    /// <summary>One work-item per element of [0, <paramref name="count"/>), rounded up to whole
    /// groups of <see cref="OpenCLBackend.GroupSize"/> (the kernels return past the end). A fixed
    /// group size matters: PoCL compiles a kernel anew for every group size it is launched with,
    /// and a driver left to choose picks one per global size.</summary>
    public void Run(long count)
    {
        if (count == 0) return;
        nuint local = (nuint)_backend.GroupSize;
        nuint global = (nuint)((count + _backend.GroupSize - 1) / _backend.GroupSize * _backend.GroupSize);
        _backend.Enqueue(_kernel, _program, _function, 1, &global, &local);
    }

    /// <summary>A 1-, 2- or 3-D range; <paramref name="local"/> empty lets the driver choose.</summary>
    public void Run(scoped ReadOnlySpan<long> global, scoped ReadOnlySpan<long> local)
    {
        nuint* g = stackalloc nuint[3];
        nuint* l = stackalloc nuint[3];
        for (int i = 0; i < global.Length; i++) g[i] = (nuint)global[i];
        for (int i = 0; i < local.Length; i++) l[i] = (nuint)local[i];
        _backend.Enqueue(_kernel, _program, _function, (uint)global.Length, g, local.IsEmpty ? null : l);
    }

    /// <summary>Moves to the next argument; the message is only written when the call failed
    /// (a launch sets a dozen arguments, and formatting each would cost more than setting it).</summary>
    private KernelLaunch Checked(int status)
    {
        if (status != 0) OpenCLException.Check(status, $"clSetKernelArg({_program}.{_function}, {_index})");
        _index++;
        return this;
    }

    [System.Runtime.CompilerServices.InlineArray(16)]
    private struct Int16Vector
    {
        private int _first;
    }
}
