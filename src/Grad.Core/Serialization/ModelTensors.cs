namespace Grad.Serialization;

/// <summary>
/// A model's tensors by their dotted names (<c>conv1.W</c>, <c>bn1.RunningMean</c>), the way
/// checkpoints store them, and the way back: a model rebuilt from named tensors, checked name by
/// name, shape by shape and dtype by dtype against a template of the same architecture.
/// </summary>
public static class ModelTensors
{
    /// <summary>The [Param] tensors, then the [State] tensors, in traversal order.</summary>
    public static IEnumerable<NamedTensor> All(ILayer model) => model.Parameters().Concat(model.States());

    /// <summary>Saves the model's parameters and states to a safetensors file (atomically).</summary>
    public static void Save(string path, ILayer model, IReadOnlyDictionary<string, string>? metadata = null) =>
        SafeTensors.Save(path, All(model), metadata);

    /// <summary>Loads a file saved by <see cref="Save"/> into a copy of <paramref name="template"/>.</summary>
    public static TModel Load<TModel>(string path, TModel template) where TModel : ILayer<TModel> =>
        Load(template, SafeTensors.Load(path).ByName, path);

    /// <summary>
    /// <paramref name="template"/> with every parameter and state replaced by the tensor of the same
    /// name (moved to the template tensor's device). Every tensor the model has must be present
    /// with its shape and dtype, and every tensor given must belong to the model; otherwise an
    /// <see cref="InvalidDataException"/> lists each problem and names <paramref name="source"/>.
    /// </summary>
    public static TModel Load<TModel>(TModel template, IReadOnlyDictionary<string, Tensor> tensors, string source)
        where TModel : ILayer<TModel>
    {
        var problems = new List<string>();
        var expected = All(template).ToList();
        foreach (var (name, wanted) in expected)
        {
            if (!tensors.TryGetValue(name, out var found))
                problems.Add($"the model expects tensor '{name}' ({wanted.DType.Name()} {wanted.Shape}) but the checkpoint has none");
            else if (Mismatch(name, found, wanted) is { } mismatch)
                problems.Add(mismatch);
        }
        var known = expected.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in tensors.Keys.Where(n => !known.Contains(n)).Order(StringComparer.Ordinal))
            problems.Add($"checkpoint tensor '{name}' matches nothing in the model");
        if (problems.Count > 0) throw Problems(source, problems);

        Tensor Take(string name, Tensor old) => tensors[name].To(old.Backend);
        return template.MapParameters(Take).MapStates(Take);
    }

    /// <summary>Why a checkpoint tensor cannot stand in for the model's, or null when it can.</summary>
    internal static string? Mismatch(string name, Tensor found, Tensor wanted)
    {
        if (found.Shape != wanted.Shape)
            return $"checkpoint tensor '{name}' has shape {found.Shape} but the model expects {wanted.Shape}";
        if (found.DType != wanted.DType)
            return $"checkpoint tensor '{name}' is {found.DType.Name()} but the model expects {wanted.DType.Name()}";
        return null;
    }

    /// <summary>One exception listing every problem, so a user fixes them in one go.</summary>
    internal static InvalidDataException Problems(string source, List<string> problems)
    {
        const int shown = 10;
        var lines = problems.Take(shown).Select(p => "  " + p);
        var more = problems.Count > shown ? $"\n  … and {problems.Count - shown} more" : "";
        return new InvalidDataException($"Checkpoint '{source}' does not fit the model:\n{string.Join("\n", lines)}{more}");
    }
}
