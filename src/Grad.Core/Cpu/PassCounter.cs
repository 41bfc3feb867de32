namespace Grad.Cpu;

/// <summary>
/// Counts the CPU backend's kernel launches and the elements each touches, on the current
/// thread while a scope is open. Tests use it to show that a generated backward makes no more
/// passes over the data than the hand-written formula; it costs one null check per kernel otherwise.
/// </summary>
internal static class PassCounter
{
    [ThreadStatic] private static List<(string Kernel, int Elements)>? _log;

    /// <summary>Starts recording on this thread; dispose the scope to stop.</summary>
    public static Scope Start()
    {
        _log = new List<(string, int)>();
        return new Scope(_log);
    }

    public static void Record(string kernel, int elements) => _log?.Add((kernel, elements));

    /// <summary>Records an enum-named kernel, naming it only while recording (ToString allocates).</summary>
    public static void Record<TOp>(TOp op, int elements) where TOp : struct, Enum
    {
        if (_log is { } log) log.Add((op.ToString(), elements));
    }

    public sealed class Scope(List<(string Kernel, int Elements)> log) : IDisposable
    {
        public IReadOnlyList<(string Kernel, int Elements)> Launches => log;

        /// <summary>Launches that touched at least <paramref name="elements"/> elements.</summary>
        public int PassesOver(int elements) => log.Count(l => l.Elements >= elements);

        public void Dispose() => _log = null;
    }
}
