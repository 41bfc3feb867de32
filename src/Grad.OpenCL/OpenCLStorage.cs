using Grad.Backends;

namespace Grad.OpenCL;

/// <summary>A device buffer from the backend's pool. A storage that no tensor disposed goes back
/// to the pool when it is collected, so an undisposed tensor costs host memory's patience, never
/// a device buffer for the life of the process.</summary>
internal sealed class OpenCLStorage : Storage
{
    private readonly BufferPool _pool;
    private int _returned;

    public OpenCLStorage(OpenCLBackend backend, BufferPool pool, DType dtype, int length, nint buffer, long bytes)
        : base(backend, dtype, length)
    {
        _pool = pool;
        Buffer = buffer;
        Bytes = bytes;
    }

    /// <summary>The cl_mem handle.</summary>
    public nint Buffer { get; }

    /// <summary>The size of the buffer in bytes (at least one element, as OpenCL has no empty buffers).</summary>
    public long Bytes { get; }

    protected override void Free() => Return();

    ~OpenCLStorage() => Return();

    private void Return()
    {
        if (Interlocked.Exchange(ref _returned, 1) == 0) _pool.Return(Buffer, Bytes);
        GC.SuppressFinalize(this);
    }
}
