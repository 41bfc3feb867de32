namespace Grad;

/// <summary>
/// Compares a backward with central finite differences, in float64, like
/// torch.autograd.gradcheck: for a random cotangent c, the analytic vector-Jacobian product
/// cᵀ·J of every input and parameter against (⟨f(x + εeᵢ), c⟩ − ⟨f(x − εeᵢ), c⟩) / 2ε.
/// Also checks that gradients have their tensors' shapes, that a second backward over the same
/// tape agrees, and that the gradient scales with the cotangent.
/// </summary>
public static class GradCheck
{
    /// <summary>Checks a layer's generated (or hand-written) backward for its input and every [Param].</summary>
    public static GradCheckReport CheckLayer<TLayer>(TLayer layer, Tensor input, GradCheckOptions? options = null)
        where TLayer : ILayer<TLayer>
    {
        var parameters = layer.Parameters().ToList();
        var tensors = new List<NamedTensor> { new("input", input) };
        tensors.AddRange(parameters);
        TLayer With(IReadOnlyList<Tensor> values)
        {
            int k = 1;
            return layer.MapParameters((_, _) => values[k++]);
        }
        return Check(
            values => With(values).TrainUntyped(values[0]).Output,
            (values, cotangent) =>
            {
                var (output, tape, _) = With(values).TrainUntyped(values[0]);
                using (output) using (tape)
                {
                    var (inputGradient, gradient) = With(values).BackwardUntyped(tape, cotangent);
                    var byName = ((TLayer)gradient).Parameters().ToDictionary(p => p.Name, p => p.Value);
                    return [inputGradient, .. parameters.Select(p => byName[p.Name])];
                }
            },
            tensors, options);
    }

    /// <summary>
    /// Checks any differentiable function: <paramref name="forward"/> maps the tensors to an
    /// output, <paramref name="backward"/> maps the tensors and a cotangent of the output's shape
    /// to one gradient per tensor (null where a tensor takes none). All tensors must be float64.
    /// </summary>
    public static GradCheckReport Check(
        Func<IReadOnlyList<Tensor>, Tensor> forward,
        Func<IReadOnlyList<Tensor>, Tensor, IReadOnlyList<Tensor?>> backward,
        IReadOnlyList<NamedTensor> tensors,
        GradCheckOptions? options = null)
    {
        options ??= new GradCheckOptions();
        foreach (var t in tensors)
        {
            if (t.Value.DType != DType.Float64)
                throw new ArgumentException($"GradCheck: '{t.Name}' is {t.Value.DType.Name()}; gradient checks run in float64 (convert with .To(DType.Float64)).");
        }
        var values = tensors.Select(t => t.Value.Contiguous()).ToList();
        var failures = new List<string>();
        using var output = forward(values);
        var rng = new Rng(options.Seed);
        var cotangent = output.ToArray<double>().Select(_ => rng.NextNormal()).ToArray();
        using var c = Tensor.FromSpan<double>(cotangent, output.Shape, output.Backend);

        var analytic = backward(values, c);
        if (analytic.Count != tensors.Count)
            throw new ArgumentException($"GradCheck: backward returned {analytic.Count} gradients for {tensors.Count} tensors.");
        CheckConsistency(backward, values, c, tensors, analytic, failures);

        GradCheckEntry? worst = null;
        double worstRatio = -1;
        int checkedEntries = 0;
        for (int k = 0; k < tensors.Count; k++)
        {
            if (analytic[k] is not { } gradient || gradient.Shape != tensors[k].Value.Shape) continue;
            var analyticValues = gradient.ToArray<double>();
            var original = values[k];
            var data = original.ToArray<double>();
            foreach (int i in Entries(data.Length, options.MaxEntriesPerTensor))
            {
                double numeric = Numeric(forward, values, k, data, i, cotangent, options.Epsilon, original);
                var entry = new GradCheckEntry(tensors[k].Name, i, analyticValues[i], numeric);
                double tolerance = options.AbsoluteTolerance + options.RelativeTolerance * Math.Abs(numeric);
                double ratio = double.IsFinite(entry.Error) ? entry.Error / tolerance : double.PositiveInfinity;
                if (ratio > worstRatio) (worst, worstRatio) = (entry, ratio);
                if (ratio > 1 && failures.Count < 20) failures.Add("mismatch at " + entry);
                checkedEntries++;
            }
            values[k] = original;
        }
        foreach (var g in analytic) g?.Dispose();
        foreach (var v in values) v.Dispose();
        return new GradCheckReport(failures, worst, checkedEntries);
    }

    /// <summary>⟨f(x + εeᵢ), c⟩ − ⟨f(x − εeᵢ), c⟩, over 2ε.</summary>
    private static double Numeric(Func<IReadOnlyList<Tensor>, Tensor> forward, List<Tensor> values, int k, double[] data, int i,
        double[] cotangent, double epsilon, Tensor original)
    {
        double Evaluate(double delta)
        {
            var shifted = (double[])data.Clone();
            shifted[i] += delta;
            using var perturbed = Tensor.FromSpan<double>(shifted, original.Shape, original.Backend);
            values[k] = perturbed;
            using var y = forward(values);
            var outputs = y.ToArray<double>();
            double dot = 0;
            for (int j = 0; j < outputs.Length; j++) dot += outputs[j] * cotangent[j];
            return dot;
        }
        double result = (Evaluate(epsilon) - Evaluate(-epsilon)) / (2 * epsilon);
        values[k] = original;
        return result;
    }

    private static void CheckConsistency(Func<IReadOnlyList<Tensor>, Tensor, IReadOnlyList<Tensor?>> backward, List<Tensor> values, Tensor c,
        IReadOnlyList<NamedTensor> tensors, IReadOnlyList<Tensor?> analytic, List<string> failures)
    {
        for (int k = 0; k < tensors.Count; k++)
        {
            if (analytic[k] is { } g && g.Shape != tensors[k].Value.Shape)
                failures.Add($"gradient of '{tensors[k].Name}' has shape {g.Shape}, but the tensor has shape {tensors[k].Value.Shape}");
        }
        var again = backward(values, c);
        using var doubled = c * 2.0;
        var scaled = backward(values, doubled);
        for (int k = 0; k < tensors.Count; k++)
        {
            if (analytic[k] is not { } first || again[k] is not { } second || scaled[k] is not { } twice || first.Shape != second.Shape || first.Shape != twice.Shape) continue;
            var a = first.ToArray<double>();
            var b = second.ToArray<double>();
            var s = twice.ToArray<double>();
            if (!a.SequenceEqual(b)) failures.Add($"a second backward gave a different gradient for '{tensors[k].Name}' (the backward is not reentrant)");
            for (int i = 0; i < a.Length; i++)
            {
                if (Math.Abs(s[i] - 2 * a[i]) > 1e-9 * Math.Max(1, Math.Abs(a[i])))
                {
                    failures.Add($"the gradient of '{tensors[k].Name}' does not scale with the cotangent (entry {i}: {a[i]} vs {s[i]} for twice the cotangent)");
                    break;
                }
            }
        }
        foreach (var g in again) g?.Dispose();
        foreach (var g in scaled) g?.Dispose();
    }

    /// <summary>Every index, or an even spread of <paramref name="max"/> of them including both ends.</summary>
    private static IEnumerable<int> Entries(int count, int max)
    {
        if (max <= 0 || count <= max) return Enumerable.Range(0, count);
        return Enumerable.Range(0, max).Select(i => (int)((long)i * (count - 1) / (max - 1))).Distinct();
    }
}
