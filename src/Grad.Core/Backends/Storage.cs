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
