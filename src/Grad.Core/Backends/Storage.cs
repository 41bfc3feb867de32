namespace Grad.Backends;

/// <summary>A flat buffer of elements owned by a backend. Tensors (and views of them) share a
/// storage and count their references, so the buffer goes back to its pool when the last
/// tensor over it is disposed.</summary>
public abstract class Storage
{
    private int _references = 1;

    protected Storage(IBackend backend, DType dtype, int length)
    {
        Backend = backend;
        DType = dtype;
        Length = length;
    }

    public IBackend Backend { get; }
    public DType DType { get; }
    public int Length { get; }
    public bool IsReleased => Volatile.Read(ref _references) <= 0;

    /// <summary>The least and greatest int32 value in the buffer, where the backend knows them
    /// without reading it back (it wrote them from the host, or a kernel bounds them), else null.
    /// The front end checks class indices on a device with it instead of waiting for the device.</summary>
    public (int Min, int Max)? KnownRange { get; internal set; }

    internal void AddReference()
    {
        if (Interlocked.Increment(ref _references) <= 1)
            throw new ObjectDisposedException(nameof(Storage), "A tensor was used after it was disposed.");
    }

    internal void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0) Free();
    }

    /// <summary>Returns the buffer to the backend's pool; called once, when no tensor uses it.</summary>
    protected abstract void Free();
}
