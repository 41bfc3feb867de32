namespace Grad.OpenCL;

/// <summary>Device buffers kept for reuse by exact size: a training step allocates the same sizes
/// at every step, so after the first step it allocates nothing. The in-order queue makes reuse
/// safe: a kernel that writes a recycled buffer runs after every kernel that read its old contents.</summary>
internal sealed unsafe class BufferPool(nint context)
{
    private readonly Dictionary<long, Stack<nint>> _free = new();
    private readonly Lock _gate = new();

    /// <summary>Bytes held in free buffers.</summary>
    public long PooledBytes { get; private set; }

    /// <summary>A buffer of exactly <paramref name="bytes"/>, or 0 with the OpenCL error where the
    /// device refused one.</summary>
    public nint Rent(long bytes, out int error)
    {
        lock (_gate)
        {
            if (_free.TryGetValue(bytes, out var stack) && stack.Count > 0)
            {
                PooledBytes -= bytes;
                error = 0;
                return stack.Pop();
            }
        }
        int status;
        var buffer = OpenCLApi.Cl.CreateBuffer(context, Silk.NET.OpenCL.MemFlags.ReadWrite, (nuint)bytes, null, &status);
        error = status;
        return status == 0 ? buffer : 0;
    }

    public void Return(nint buffer, long bytes)
    {
        lock (_gate)
        {
            if (!_free.TryGetValue(bytes, out var stack)) _free[bytes] = stack = new Stack<nint>();
            stack.Push(buffer);
            PooledBytes += bytes;
        }
    }

    /// <summary>Releases every free buffer to the driver: done before giving up on an allocation.</summary>
    public void Trim()
    {
        lock (_gate)
        {
            foreach (var stack in _free.Values)
                while (stack.Count > 0) OpenCLApi.Cl.ReleaseMemObject(stack.Pop());
            PooledBytes = 0;
        }
    }
}
