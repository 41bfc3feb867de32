using System.Reflection;

namespace Grad.OpenCL;

/// <summary>The OpenCL C of Grad's hand-written kernels (Kernels/*.cl, embedded in this assembly),
/// each preceded by Common.cl. Element-wise kernels are not here: the generator writes their
/// OpenCL C from each primitive's formula (<see cref="ElementwiseProgram"/>).</summary>
internal static class KernelSources
{
    private static readonly Dictionary<string, string> Loaded = new();
    private static readonly Dictionary<string, string> Programs = new();

    public static string Common => Text("Common");

    /// <summary>The named program's source with the common definitions in front.</summary>
    public static string Program(string name)
    {
        lock (Programs)
        {
            if (!Programs.TryGetValue(name, out var source)) Programs[name] = source = Common + "\n" + Text(name);
            return source;
        }
    }

    /// <summary>The text of Kernels/<paramref name="name"/>.cl alone, for a program that puts more in front of it.</summary>
    public static string Text(string name)
    {
        lock (Loaded)
        {
            if (Loaded.TryGetValue(name, out var text)) return text;
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Grad.OpenCL.Kernels.{name}.cl")
                ?? throw new InvalidOperationException($"The OpenCL program {name}.cl is not embedded in Grad.OpenCL.");
            using var reader = new StreamReader(stream);
            return Loaded[name] = reader.ReadToEnd();
        }
    }
}
