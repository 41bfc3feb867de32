using System.Reflection;
using Grad.Fusion;

namespace Grad.Tests.Unit.Primitives;

/// <summary>The public element-wise primitives of <see cref="Ops"/> (those with an <c>Element</c>
/// formula), found by reflection, with the generated kernel behind each.</summary>
internal static class ElementwisePrimitives
{
    public static IReadOnlyList<MethodInfo> All { get; } = typeof(Ops).GetMethods(BindingFlags.Public | BindingFlags.Static)
        .Where(m => m.GetCustomAttribute<PrimitiveAttribute>()?.Element is not null)
        .OrderBy(Signature, StringComparer.Ordinal)
        .ToList();

    public static string Signature(MethodInfo m) => $"{m.Name}({string.Join(", ", m.GetParameters().Select(p => p.ParameterType.Name))})";

    public static MethodInfo Find(string signature) => All.Single(m => Signature(m) == signature);

    /// <summary>The generated kernel class the primitive's body runs (named after the method, and
    /// after its parameter types when the method is overloaded).</summary>
    public static ElementwiseKernel Kernel(MethodInfo m)
    {
        var names = new[] { $"{m.Name}Kernel_{string.Join("_", m.GetParameters().Select(p => p.ParameterType.Name))}", $"{m.Name}Kernel" };
        var type = names.Select(n => typeof(Ops).GetNestedType(n, BindingFlags.NonPublic)).First(t => t is not null)!;
        return (ElementwiseKernel)type.GetField("Instance")!.GetValue(null)!;
    }

    public static Tensor Invoke(MethodInfo m, IReadOnlyList<Tensor> tensors, IReadOnlyList<double> scalars)
    {
        int t = 0, s = 0;
        var args = m.GetParameters().Select(p => p.ParameterType == typeof(Tensor) ? (object)tensors[t++] : scalars[s++]).ToArray();
        return (Tensor)m.Invoke(null, args)!;
    }

    public static int TensorCount(MethodInfo m) => m.GetParameters().Count(p => p.ParameterType == typeof(Tensor));

    public static int ScalarCount(MethodInfo m) => m.GetParameters().Count(p => p.ParameterType == typeof(double));
}
