using System.Collections.Immutable;
using System.Globalization;
using Grad.Optim;

namespace Grad.Serialization;

/// <summary>What <see cref="Checkpoint.Load"/> restores: the model, the optimiser's state, and
/// the caller's metadata (seed, epoch, …), bit for bit as they were saved.</summary>
public sealed record Checkpoint<TModel>(TModel Model, OptimizerState Optimizer, IReadOnlyDictionary<string, string> Metadata)
    where TModel : ILayer<TModel>;

/// <summary>
/// A training checkpoint in one safetensors file: the model's parameters and states under their
/// own names (<c>conv1.W</c>, so the file also serves as plain weights), the optimiser's tensors
/// under <c>optimizer.</c> (<c>optimizer.m.conv1.W</c>), its step count in the metadata as
/// <c>optimizer.step</c>, and any other metadata as strings. Files are replaced atomically.
/// </summary>
public static class Checkpoint
{
    public const string OptimizerPrefix = "optimizer.";
    public const string StepKey = "optimizer.step";

    public static void Save(string path, ILayer model, OptimizerState optimizer, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var tensors = ModelTensors.All(model).ToList();
        if (tensors.FirstOrDefault(t => t.Name.StartsWith(OptimizerPrefix, StringComparison.Ordinal)) is { Name: { } clash })
            throw new ArgumentException($"Checkpoint: model tensor '{clash}' starts with '{OptimizerPrefix}', which checkpoints reserve for the optimizer's state.");
        var allMetadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata ?? ImmutableDictionary<string, string>.Empty)
        {
            if (key == StepKey) throw new ArgumentException($"Checkpoint: metadata key '{StepKey}' is reserved; the optimizer state's step is stored there.");
            allMetadata[key] = value;
        }
        allMetadata[StepKey] = optimizer.Step.ToString(CultureInfo.InvariantCulture);
        SafeTensors.Save(path, tensors.Concat(optimizer.Named(OptimizerPrefix)), allMetadata);
    }

    /// <summary>
    /// Restores a checkpoint into a copy of <paramref name="template"/> (a model of the same
    /// architecture, e.g. freshly initialised). Errors name the file and every tensor that is
    /// missing, unexpected, or of the wrong shape or dtype, for the model and the optimiser alike.
    /// </summary>
    public static Checkpoint<TModel> Load<TModel>(string path, TModel template) where TModel : ILayer<TModel>
    {
        var file = SafeTensors.Load(path);
        if (!file.Metadata.TryGetValue(StepKey, out var stepText))
            throw new InvalidDataException($"Checkpoint '{path}' has no '{StepKey}' in its metadata; it is not a Grad checkpoint (load plain weights with ModelTensors.Load).");
        if (!long.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out long step))
            throw new InvalidDataException($"Checkpoint '{path}' has '{StepKey}' = \"{stepText}\", which is not a step count (a whole number from 0 to {long.MaxValue}).");

        var modelTensors = file.ByName.Where(p => !p.Key.StartsWith(OptimizerPrefix, StringComparison.Ordinal))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var model = ModelTensors.Load(template, modelTensors, path);
        var optimizer = new OptimizerState(step, OptimizerTensors(file, template, path));
        var metadata = file.Metadata.Where(p => p.Key != StepKey).ToImmutableSortedDictionary(StringComparer.Ordinal);
        return new Checkpoint<TModel>(model, optimizer, metadata);
    }

    /// <summary>The optimiser's tensors, each checked against the parameter its name ends with, so
    /// that a state that would fail at the next step fails here, naming the file.</summary>
    private static ImmutableSortedDictionary<string, Tensor> OptimizerTensors(SafeTensorsFile file, ILayer template, string path)
    {
        var parameters = template.Parameters().ToDictionary(t => t.Name, t => t.Value, StringComparer.Ordinal);
        var problems = new List<string>();
        var tensors = ImmutableSortedDictionary.CreateBuilder<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in file.Tensors.Where(t => t.Name.StartsWith(OptimizerPrefix, StringComparison.Ordinal)))
        {
            string key = name[OptimizerPrefix.Length..];
            int dot = key.IndexOf('.');
            string parameter = dot < 0 ? "" : key[(dot + 1)..];
            if (!parameters.TryGetValue(parameter, out var wanted))
                problems.Add($"checkpoint tensor '{name}' is optimizer state for '{parameter}', which is not a parameter of the model");
            else if (ModelTensors.Mismatch(name, tensor, wanted) is { } mismatch)
                problems.Add(mismatch);
            else
                tensors.Add(key, tensor.To(wanted.Backend));
        }
        if (problems.Count > 0) throw ModelTensors.Problems(path, problems);
        return tensors.ToImmutable();
    }
}
