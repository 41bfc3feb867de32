using Grad.Backends;
using Grad.Layers;
using Grad.OpenCL;
using Grad.Optim;
using Grad.Serialization;
using Grad.Training;

namespace Grad.Tests.OpenCL;

/// <summary>
/// A lost device, for real: a backend of its own (not the suite's) whose command queue is
/// released (<see cref="OpenCLBackend.Lose"/>), so the driver fails every later command with
/// CL_INVALID_COMMAND_QUEUE, as it does on a reset GPU. Each failure is an
/// <see cref="OpenCLException"/> naming its call; freeing tensors still works, finalizers
/// included; and a checkpoint being written when the device goes leaves the previous one whole.
/// The trainers' side (exit code, message, --resume) is tests/unit/Cli/DeviceLossTests.cs.
/// </summary>
public sealed class DeviceLossTests(BackendFixture device) : IClassFixture<BackendFixture>, IDisposable
{
    private const int InvalidCommandQueue = -36;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private OpenCLBackend OwnBackend() => new(((OpenCLBackend)device.Backend).Device);

    private static Tensor Vector(IBackend backend) => Tensor.FromSpan<float>(new float[] { 1, -2, 3 }, new Shape(3), backend);

    /// <summary>The command fails as on a lost device, in <paramref name="call"/> (the start of its name).</summary>
    private static void FailsAsLost(string call, Action command)
    {
        var error = Assert.Throws<OpenCLException>(command);
        Assert.Equal(InvalidCommandQueue, error.Code);
        Assert.StartsWith(call, error.Message);
        Assert.Contains(" failed: CL_INVALID_COMMAND_QUEUE (-36): the command queue is gone (a lost or reset device)", error.Message);
    }

    [Fact]
    public void Every_command_after_the_loss_fails_naming_its_call()
    {
        var backend = OwnBackend();
        using var x = Vector(backend);
        using (var doubled = x + x) Assert.Equal([2f, -4f, 6f], doubled.ToArray<float>());

        backend.Lose();
        FailsAsLost("clEnqueueNDRangeKernel(", () => (x + x).Dispose());
        FailsAsLost("clEnqueueReadBuffer", () => x.ToArray<float>());
        FailsAsLost("clEnqueueWriteBuffer", () => Vector(backend).Dispose());
        FailsAsLost("clEnqueueFillBuffer", () => Tensor.Zeros([3], backend: backend).Dispose());
        FailsAsLost("clFinish", backend.Synchronize);
    }

    [Fact]
    public void Tensors_of_a_lost_device_are_freed_without_error_finalizers_included()
    {
        var backend = OwnBackend();
        var kept = Vector(backend);
        LeaveUndisposed(backend);
        backend.Lose();

        kept.Dispose();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        // Three buffers of 3 floats back in the pool: the disposed one and the two collected ones.
        Assert.Equal(3 * 3 * sizeof(float), backend.PooledBytes);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void LeaveUndisposed(IBackend backend)
    {
        _ = Vector(backend);
        _ = Vector(backend);
    }

    [Fact]
    public void A_checkpoint_written_as_the_device_is_lost_leaves_the_previous_one_whole()
    {
        var backend = OwnBackend();
        var model = new Sequential(Linear.Create(4, 3, seed: 1), new ReLU(), Linear.Create(3, 2, seed: 2))
            .MapParameters((_, t) => MoveTo(t, backend));
        using var x = Tensor.FromSpan<float>(Enumerable.Range(0, 8).Select(i => (float)Math.Sin(i)).ToArray(), new Shape(2, 4), backend);
        using var labels = Tensor.FromSpan<int>(new[] { 0, 1 }, new Shape(2), backend);
        using var trainer = new Trainer<Sequential>(model, new Adam(), new CrossEntropyLoss());
        trainer.Step(x, labels, 1e-2).Output.Dispose();
        string path = _temp.Combine("run.ckpt");
        Checkpoint.Save(path, trainer.Model, trainer.State);
        var before = File.ReadAllBytes(path);

        trainer.Step(x, labels, 1e-2).Output.Dispose();
        // Lost as the third tensor is read back: the first two are in the temporary file by then.
        backend.LoseAtWait(3);
        FailsAsLost("clEnqueueReadBuffer", () => Checkpoint.Save(path, trainer.Model, trainer.State));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Empty(_temp.OtherFiles("run.ckpt"));
        var template = new Sequential(Linear.Create(4, 3, seed: 3), new ReLU(), Linear.Create(3, 2, seed: 4));
        Assert.Equal(1, Checkpoint.Load(path, template).Optimizer.Step);
    }

    private static Tensor MoveTo(Tensor t, IBackend backend)
    {
        using (t) return t.To(backend);
    }
}
