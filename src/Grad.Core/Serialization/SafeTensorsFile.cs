namespace Grad.Serialization;

/// <summary>The contents of a safetensors file: its tensors, in the order of their data, and
/// its string metadata.</summary>
public sealed class SafeTensorsFile
{
    private readonly Dictionary<string, Tensor> _byName;

    internal SafeTensorsFile(string source, IReadOnlyList<NamedTensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Source = source;
        Tensors = tensors;
        Metadata = metadata;
        _byName = tensors.ToDictionary(t => t.Name, t => t.Value, StringComparer.Ordinal);
    }

    /// <summary>Where the contents came from (the path), for messages.</summary>
    public string Source { get; }

    public IReadOnlyList<NamedTensor> Tensors { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The tensors by name.</summary>
    public IReadOnlyDictionary<string, Tensor> ByName => _byName;

    public Tensor this[string name] => _byName.TryGetValue(name, out var tensor)
        ? tensor
        : throw new KeyNotFoundException($"Safetensors file '{Source}' has no tensor '{name}'.");
}
