namespace Grad.Data;

/// <summary>
/// The seeds of a batch iterator's generators, derived from the run's seed and a position, never
/// from a generator's running state: the shuffle of epoch e and the augmentation of step s can be
/// rebuilt from (seed, e) and (seed, s) alone, which is what makes resuming exact.
/// </summary>
internal static class BatchSeeds
{
    private const ulong ShuffleStream = 0x0053_4855_4646_4C45UL; // "SHUFFLE" in ASCII
    private const ulong AugmentStream = 0x0041_5547_4D45_4E54UL; // "AUGMENT"

    public static ulong Shuffle(ulong seed, int epoch) => Mix(seed, ShuffleStream, (ulong)epoch);

    public static ulong Augment(ulong seed, long step) => Mix(seed, AugmentStream, (ulong)step);

    // Each input goes through a full-avalanche finaliser before the next is folded in, so nearby
    // seeds, epochs and steps give unrelated generators.
    private static ulong Mix(ulong seed, ulong stream, ulong position) =>
        Finalise(Finalise(Finalise(seed) ^ stream) ^ position);

    private static ulong Finalise(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
