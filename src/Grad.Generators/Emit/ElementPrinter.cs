using System.Globalization;
using System.Linq;
using Grad.Generators.Fusion;

namespace Grad.Generators.Emit;

/// <summary>Prints a fused kernel's element expression for one target: C# over scalars of T,
/// C# over <c>Vector256&lt;T&gt;</c>, or OpenCL C. The three share the element language, so one
/// chain yields the CPU kernel and the GPU kernel alike.</summary>
internal static class ElementPrinter
{
    public static string CSharpScalar(ElementExpr e) => e switch
    {
        ElementInput i => "x" + i.Index,
        ElementScalar s => "s" + s.Index,
        ElementConstant c => $"T.CreateChecked({Number(c.Value)})",
        ElementArithmetic { B: null } a => "-" + Wrap(CSharpScalar(a.A)),
        ElementArithmetic a => $"({CSharpScalar(a.A)} {a.Operator} {CSharpScalar(a.B!)})",
        ElementComparison c => $"({CSharpScalar(c.A)} {c.Operator} {CSharpScalar(c.B)} ? T.One : T.Zero)",
        ElementSelect s => $"({CSharpScalar(s.Condition)} != T.Zero ? {CSharpScalar(s.A)} : {CSharpScalar(s.B)})",
        ElementFunction f => $"T.{Capitalized(f.Name)}({string.Join(", ", f.Args.Select(CSharpScalar))})",
        _ => throw new System.ArgumentOutOfRangeException(nameof(e)),
    };

    /// <summary>The vector form, or null when a function has no vector version (tanh, pow).</summary>
    public static string? CSharpVector(ElementExpr e)
    {
        switch (e)
        {
            case ElementInput i: return "x" + i.Index;
            case ElementScalar s: return "vs" + s.Index;
            case ElementConstant c: return $"global::System.Runtime.Intrinsics.Vector256.Create(T.CreateChecked({Number(c.Value)}))";
            case ElementArithmetic { B: null } a: return CSharpVector(a.A) is { } operand ? "-" + Wrap(operand) : null;
            case ElementArithmetic a:
                return CSharpVector(a.A) is { } l && CSharpVector(a.B!) is { } r ? $"({l} {a.Operator} {r})" : null;
            case ElementComparison c:
                return CSharpVector(c.A) is { } ca && CSharpVector(c.B) is { } cb ? $"{VectorMath}.{Comparison(c.Operator)}({ca}, {cb})" : null;
            case ElementSelect s:
                return CSharpVector(s.Condition) is { } sc && CSharpVector(s.A) is { } sa && CSharpVector(s.B) is { } sb
                    ? $"{VectorMath}.Select({sc}, {sa}, {sb})" : null;
            case ElementFunction f:
                var args = f.Args.Select(CSharpVector).ToList();
                if (args.Any(a => a is null)) return null;
                return f.Name switch
                {
                    "exp" or "log" or "max" or "min" => $"{VectorMath}.{Capitalized(f.Name)}({string.Join(", ", args)})",
                    "sqrt" or "abs" => $"global::System.Runtime.Intrinsics.Vector256.{Capitalized(f.Name)}({args[0]})",
                    _ => null,
                };
            default:
                return null;
        }
    }

    public static string OpenCL(ElementExpr e) => e switch
    {
        ElementInput i => "x" + i.Index,
        ElementScalar s => "s" + s.Index,
        ElementConstant c => "(real)" + Number(c.Value),
        ElementArithmetic { B: null } a => "-" + Wrap(OpenCL(a.A)),
        ElementArithmetic a => $"({OpenCL(a.A)} {a.Operator} {OpenCL(a.B!)})",
        ElementComparison c => $"({OpenCL(c.A)} {c.Operator} {OpenCL(c.B)} ? (real)1 : (real)0)",
        ElementSelect s => $"({OpenCL(s.Condition)} != (real)0 ? {OpenCL(s.A)} : {OpenCL(s.B)})",
        ElementFunction { Name: "abs" } f => $"fabs({OpenCL(f.Args[0])})",
        ElementFunction { Name: "max" } f => $"fmax({OpenCL(f.Args[0])}, {OpenCL(f.Args[1])})",
        ElementFunction { Name: "min" } f => $"fmin({OpenCL(f.Args[0])}, {OpenCL(f.Args[1])})",
        ElementFunction f => $"{f.Name}({string.Join(", ", f.Args.Select(OpenCL))})",
        _ => throw new System.ArgumentOutOfRangeException(nameof(e)),
    };

    private const string VectorMath = "global::Grad.Fusion.VectorMath";

    private static string Wrap(string text) => text.StartsWith("(") || text.All(ch => char.IsLetterOrDigit(ch)) ? text : "(" + text + ")";

    private static string Number(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.') || text.Contains('E') ? text : text + ".0";
    }

    private static string Capitalized(string name) => char.ToUpperInvariant(name[0]) + name.Substring(1);

    private static string Comparison(string op) => op switch
    {
        ">" => "Greater",
        "<" => "Less",
        ">=" => "GreaterOrEqual",
        "<=" => "LessOrEqual",
        "==" => "Equal",
        _ => "NotEqual",
    };
}
