using Grad.OpenCL;

namespace Grad.Examples.Training;

/// <summary>The device failed mid-run (lost, reset, or out of memory): the run ends, and the
/// message adds to the failed call which checkpoint is kept and how to go on from it. Nothing is
/// saved after the failure: the device's tensors can no longer be read, and the checkpoint on
/// disk, written atomically, is the last one completed.</summary>
public sealed class DeviceFailedException(OpenCLException cause, long? kept, RunFolder run)
    : Exception(cause.Message.TrimEnd('.') + ". " + (kept is { } step
        ? $"The run stopped; the checkpoint kept is from step {step} ({run.Checkpoint}): continue with --resume {run.Path} (with --device cpu, or another device, while this one is out of order)."
        : "The run stopped before it saved a checkpoint."), cause);
