using System.Runtime.InteropServices;

namespace Grad.Examples.Training;

/// <summary>
/// SIGINT (Ctrl-C) and SIGTERM (kill, a batch scheduler's time limit) as a request to stop
/// gracefully: the signal's default action (ending the process at once) is cancelled and
/// <see cref="Token"/> is cancelled instead, so the training loop saves a checkpoint and the
/// metrics at the next step boundary and returns. A second signal takes its default action, so a
/// second Ctrl-C still ends a run that does not stop. On Linux, SIGUSR1 (Slurm's warning before a
/// job's time limit, <c>--signal=B:USR1@120</c>) stops the run the same way: the checkpoint is
/// saved and the job can requeue itself.
/// </summary>
public sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration[] _registrations;
    private int _received;

    private StopSignals(CancellationToken outer)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
            .. OperatingSystem.IsLinux() ? [PosixSignalRegistration.Create(SIGUSR1, Handle)] : Array.Empty<PosixSignalRegistration>()];
    }

    /// <summary>SIGUSR1 by its Linux number: .NET names no such signal but accepts a raw number.</summary>
    public const PosixSignal SIGUSR1 = (PosixSignal)10;

    /// <summary>The exit code of a run stopped by SIGUSR1 (128 + 10).</summary>
    public const int UserSignalExitCode = 138;

    /// <summary>Starts listening; dispose to restore the signals' default actions.</summary>
    public static StopSignals Listen(CancellationToken outer = default) => new(outer);

    /// <summary>Cancelled by the first SIGINT, SIGTERM or SIGUSR1 (or by the outer token).</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>The signal that asked to stop, if one did.</summary>
    public PosixSignal? Received => Volatile.Read(ref _received) switch { 0 => null, var s => (PosixSignal)s };

    /// <summary>The shell's exit code for a process ended by the signal received (128 + its number), or <paramref name="code"/>.</summary>
    public int ExitCode(int code) => Received switch
    {
        PosixSignal.SIGINT => 130,
        PosixSignal.SIGTERM => 143,
        SIGUSR1 => UserSignalExitCode,
        _ => code,
    };

    private void Handle(PosixSignalContext context)
    {
        if (Interlocked.CompareExchange(ref _received, (int)context.Signal, 0) != 0) return; // the second signal: default action
        context.Cancel = true;
        Console.Error.WriteLine($"\n{(context.Signal == SIGUSR1 ? "SIGUSR1" : context.Signal)} received: stopping after this step and saving a checkpoint (send it again to stop at once).");
        _stop.Cancel();
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _stop.Dispose();
    }
}
