namespace Grad;

/// <summary>
/// Disposes the tensors created on this thread while it is open, except those it is told to
/// keep. Generated training code opens one per forward and backward, so every intermediate
/// (including the views and products nested inside an expression) goes back to the pool when
/// the method returns, and a steady-state training step does not churn the GC.
/// <see cref="Keep"/> hands a tensor to the enclosing scope (the caller's), and
/// <see cref="Detach"/> takes it out of scopes altogether (a tape's or a model's tensors, which
/// their owner disposes). Outside any scope tensors behave as plain objects.
/// </summary>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? _current;

    private readonly TensorScope? _parent;
    private readonly List<Tensor> _owned = [];
    private bool _disposed;

    private TensorScope(TensorScope? parent) => _parent = parent;

    public static TensorScope Begin() => _current = new TensorScope(_current);

    internal static void Register(Tensor tensor)
    {
        if (_current is { } scope)
        {
            tensor.Scope = scope;
            scope._owned.Add(tensor);
        }
    }

    /// <summary>Hands <paramref name="tensor"/> to the enclosing scope (or to nobody) instead of disposing it.</summary>
    public Tensor Keep(Tensor tensor)
    {
        if (tensor.Scope != this) return tensor;
        tensor.Scope = _parent;
        _parent?._owned.Add(tensor);
        return tensor;
    }

    /// <summary>Keeps every [Param] tensor of a layer (a gradient record a backward returns).</summary>
    public TLayer KeepParameters<TLayer>(TLayer layer) where TLayer : ILayer
    {
        foreach (var p in layer.Parameters()) Keep(p.Value);
        return layer;
    }

    /// <summary>Takes <paramref name="tensor"/> out of every scope: its owner (a tape, a model) disposes it.</summary>
    public Tensor Detach(Tensor tensor)
    {
        if (tensor.Scope == this) tensor.Scope = null;
        return tensor;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var tensor in _owned)
        {
            if (tensor.Scope == this) tensor.Dispose();
        }
        _current = _parent;
    }
}
