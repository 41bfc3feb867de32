namespace Grad.Examples.Training;

/// <summary>A running total of scalar tensors kept on their device: adding enqueues an addition,
/// only <see cref="Read"/> waits for the device. A GPU training loop counts its correct predictions
/// this way, so a step blocks on nothing but its loss.</summary>
internal sealed class DeviceCounter : IDisposable
{
    private Tensor? _total;

    /// <summary>Adds <paramref name="value"/> (a scalar tensor the counter takes over).</summary>
    public void Add(Tensor value)
    {
        if (_total is null)
        {
            _total = value;
            return;
        }
        using (value)
        using (var previous = _total)
            _total = previous + value;
    }

    public double Read() => _total?.Item() ?? 0;

    public void Reset()
    {
        _total?.Dispose();
        _total = null;
    }

    public void Dispose() => Reset();
}
