using System.Globalization;

namespace Grad.OpenCL;

/// <summary>
/// A planned device loss, for testing how a program recovers from one: with
/// <c>$GRAD_OPENCL_LOSE_AT_WAIT=N</c> the device is lost (<see cref="OpenCLBackend.Lose"/>) when the
/// host starts its N-th wait for it (a read such as a loss or a checkpoint's parameter, or a
/// synchronisation). Counting waits makes the point exact and repeatable: a training step waits
/// once, for its loss, and a checkpoint once per tensor it saves.
/// </summary>
internal sealed class SimulatedLoss(int wait)
{
    public const string Variable = "GRAD_OPENCL_LOSE_AT_WAIT";

    private int _left = wait > 0 ? wait : throw new ArgumentOutOfRangeException(nameof(wait), wait, "The wait to lose the device at counts from 1.");

    public static SimulatedLoss? FromEnvironment()
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } text) return null;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int wait) && wait > 0
            ? new SimulatedLoss(wait)
            : throw new ArgumentException($"${Variable}: '{text}' is not a positive number of waits.");
    }

    /// <summary>Counts a wait; true for the planned one (and only it).</summary>
    public bool Due() => Interlocked.Decrement(ref _left) == 0;
}
