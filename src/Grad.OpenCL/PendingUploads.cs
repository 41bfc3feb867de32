using System.Runtime.InteropServices;

namespace Grad.OpenCL;

/// <summary>
/// Host copies of data whose upload is enqueued but maybe not done. A copy may be freed once the
/// host has waited for a command enqueued after its upload: the queue is in order, so that upload
/// is done too. <see cref="Mark"/> before such a wait, <see cref="Release"/> after it.
/// </summary>
internal sealed unsafe class PendingUploads
{
    /// <summary>Larger uploads (a dataset) wait instead of being copied.</summary>
    public const int LargestCopied = 16 << 20;

    /// <summary>Copies held past this many bytes make the next upload wait, so a program that
    /// never reads anything back does not pile copies up.</summary>
    private const long MostHeld = 256L << 20;

    private readonly Queue<(long Number, nint Copy, long Bytes)> _held = new();
    private long _heldBytes, _copied;

    public bool Full
    {
        get
        {
            lock (_held) return _heldBytes > MostHeld;
        }
    }

    /// <summary>Copies <paramref name="data"/> and hands the copy to <paramref name="enqueue"/>
    /// (which enqueues its upload), both under the lock that <see cref="Mark"/> takes: a wait marked
    /// before the upload was enqueued must not free its copy.</summary>
    public int Upload<T>(ReadOnlySpan<T> data, Func<nint, int> enqueue) where T : unmanaged
    {
        long bytes = (long)data.Length * sizeof(T);
        void* copy = NativeMemory.Alloc((nuint)bytes);
        data.CopyTo(new Span<T>(copy, data.Length));
        lock (_held)
        {
            int status = enqueue((nint)copy);
            if (status != 0)
            {
                NativeMemory.Free(copy);
                return status;
            }
            _held.Enqueue((_copied++, (nint)copy, bytes));
            _heldBytes += bytes;
            return 0;
        }
    }

    /// <summary>How many uploads were ever enqueued: a wait that starts now settles every one of them.</summary>
    public long Mark()
    {
        lock (_held) return _copied;
    }

    /// <summary>Frees the copies made before <paramref name="mark"/> (and not freed yet), once a
    /// wait that started after that <see cref="Mark"/> is over; other threads' later copies stay.</summary>
    public void Release(long mark)
    {
        lock (_held)
        {
            while (_held.Count > 0 && _held.Peek().Number < mark)
            {
                var (_, copy, bytes) = _held.Dequeue();
                NativeMemory.Free((void*)copy);
                _heldBytes -= bytes;
            }
        }
    }
}
