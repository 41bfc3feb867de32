using System.Reflection;
using Grad.Fusion;

namespace Grad.Tests;

/// <summary>Grad.Core's public primitives found by reflection: every public static method marked
/// [Primitive], the element-wise ones (with an <c>Element</c> formula) among them, and the
/// generated kernel behind each element-wise one.</summary>
internal static class PrimitiveReflection
{
    public static IReadOnlyList<MethodInfo> All { get; } = typeof(Ops).Assembly.GetExportedTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
        .Where(m => m.GetCustomAttribute<PrimitiveAttribute>() is not null)
        .OrderBy(Signature, StringComparer.Ordinal)
        .ToList();

    public static IReadOnlyList<MethodInfo> Elementwise { get; } = All.Where(IsElementwise).ToList();

    public static bool IsElementwise(MethodInfo m) => m.GetCustomAttribute<PrimitiveAttribute>()?.Element is not null;

    public static bool IsDifferentiable(MethodInfo m) => m.GetCustomAttribute<NonDifferentiableAttribute>() is null;

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
