namespace Grad.Data;

/// <summary>
/// A random change made to each training example as a <see cref="BatchIterator"/> gathers its
/// batch (Grad.Datasets' <c>Augmentation</c>: random crop and flip). The iterator hands it a
/// generator seeded from the run's seed and the step, shared by the batch's examples in order, so
/// the same step always gets the same changes and a resumed run continues exactly.
/// </summary>
public interface IAugmentation
{
    /// <summary>Writes a changed copy of <paramref name="source"/>, one example of
    /// (<paramref name="channels"/>, <paramref name="height"/>, <paramref name="width"/>) row-major,
    /// into <paramref name="destination"/> of the same size. Draw the same count of numbers from
    /// <paramref name="rng"/> for every example, so that one example's draws never shift another's.</summary>
    void Apply(Rng rng, ReadOnlySpan<float> source, Span<float> destination, int channels, int height, int width);
}
