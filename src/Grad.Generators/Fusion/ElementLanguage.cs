using System.Collections.Generic;
using System.Linq;

namespace Grad.Generators.Fusion;

/// <summary>
/// The element language, in one table: every operation an <c>Element</c> formula may use, with
/// its C# scalar, C# vector and OpenCL C spellings and its special-value semantics. The parser
/// accepts exactly these operations and every printer spells them from here, so adding a
/// function to the language (and to every target) is adding one entry.
/// </summary>
internal static class ElementLanguage
{
    private const string V = "global::System.Runtime.Intrinsics.Vector256";
    private const string VM = "global::Grad.Fusion.VectorMath";
    private const string TP = "global::System.Numerics.Tensors.TensorPrimitives";

    private const string Ieee = "IEEE 754 arithmetic: NaN in, NaN out; infinities and signed zeros as the standard says.";

    public static IReadOnlyList<ElementOperation> Operations { get; } = new[]
    {
        Arithmetic("+", "Add", commutative: true),
        Arithmetic("-", "Subtract", commutative: false),
        Arithmetic("*", "Multiply", commutative: true),
        Arithmetic("/", "Divide", commutative: false),
        new ElementOperation("neg", ElementKind.Operator, 1, "(-{0})", "(-{0})", "(-{0})", "Flips the sign bit: neg(0) = −0, neg(NaN) = NaN.",
            Dense: Unary("Negate")),

        Comparison(">", "Greater"),
        Comparison("<", "Less"),
        Comparison(">=", "GreaterOrEqual"),
        Comparison("<=", "LessOrEqual"),
        Comparison("==", "Equal"),
        Comparison("!=", "NotEqual"),
        new ElementOperation("?:", ElementKind.Operator, 3, "({0} != T.Zero ? {1} : {2})", VM + ".Select({0}, {1}, {2})", "({0} != (real)0 ? {1} : {2})",
            "c ? a : b picks a where c is non-zero; a NaN condition is non-zero, so it picks a."),

        // exp and log are approximations that differ by an ulp between libraries, so the CPU computes
        // every element, in a vector or alone, with the one vector implementation: results do not
        // depend on where an element sits in a row or on the tensor's layout.
        Function("exp", VM + ".ScalarExp({0})", VM + ".Exp({0})", "exp({0})", "exp(−∞) = 0, exp(+∞) = +∞, exp(NaN) = NaN.", dense: null),
        Function("log", VM + ".ScalarLog({0})", VM + ".Log({0})", "log({0})", "log(0) = −∞, log(x < 0) = NaN, log(+∞) = +∞.", dense: null),
        Function("sqrt", "T.Sqrt({0})", V + ".Sqrt({0})", "sqrt({0})", "Correctly rounded: sqrt(−0) = −0, sqrt(x < 0) = NaN, sqrt(+∞) = +∞.", "Sqrt"),
        Function("abs", "T.Abs({0})", V + ".Abs({0})", "fabs({0})", "Clears the sign bit: abs(−0) = +0, abs(−∞) = +∞.", "Abs"),
        Function("tanh", "T.Tanh({0})", null, "tanh({0})", "tanh(±∞) = ±1, tanh(±0) = ±0, tanh(NaN) = NaN.", dense: null),
        new ElementOperation("pow", ElementKind.Function, 2, "T.Pow({0}, {1})", null, "pow({0}, {1})",
            "C's pow: pow(x, 0) = 1 even for NaN x, pow(1, y) = 1, pow(x < 0, non-integer) = NaN, pow(0, y < 0) = +∞."),
        new ElementOperation("max", ElementKind.Function, 2, "T.Max({0}, {1})", VM + ".Max({0}, {1})", "grad_max({0}, {1})",
            "IEEE 754-2019 maximum: NaN if either operand is NaN (OpenCL's fmax would drop it), and max(−0, +0) = +0.",
            OpenCLHelper: "real grad_max(real a, real b) { return isnan(a) || isnan(b) ? a + b : (a > b || (a == b && !signbit(a))) ? a : b; }",
            Dense: Binary("Max", commutative: true)),
        new ElementOperation("min", ElementKind.Function, 2, "T.Min({0}, {1})", VM + ".Min({0}, {1})", "grad_min({0}, {1})",
            "IEEE 754-2019 minimum: NaN if either operand is NaN (OpenCL's fmin would drop it), and min(−0, +0) = −0.",
            OpenCLHelper: "real grad_min(real a, real b) { return isnan(a) || isnan(b) ? a + b : (a < b || (a == b && signbit(a))) ? a : b; }",
            Dense: Binary("Min", commutative: true)),
        new ElementOperation("erf", ElementKind.Function, 1, "ErfOf({0})", null, "erf({0})",
            "erf(±∞) = ±1, erf(±0) = ±0, erf(NaN) = NaN; within 2e-15 (relative) of the true value in float64.",
            CSharpHelper: """
                /// <summary>The error function, evaluated in double precision (.NET has none): below 2.5 the
                /// series 2x/√π·e^(−x²)·Σ (2x²)ⁿ/(1·3·…·(2n+1)), whose terms are all positive, above it
                /// the continued fraction of erfc; at 6 and beyond erf rounds to ±1 even in double.</summary>
                private static T ErfOf<T>(T x) where T : global::System.Numerics.IFloatingPointIeee754<T>
                {
                    double v = double.CreateChecked(T.Abs(x)), r;
                    if (double.IsNaN(v)) return x;
                    if (v >= 6) r = 1;
                    else if (v < 2.5)
                    {
                        double term = v, sum = v, twice = 2 * v * v;
                        for (int n = 1; term > 1e-17 * sum; n++)
                        {
                            term *= twice / (2 * n + 1);
                            sum += term;
                        }
                        r = 1.1283791670955126 * global::System.Math.Exp(-v * v) * sum;
                    }
                    else
                    {
                        double f = v;
                        for (int k = 60; k >= 1; k--) f = v + k / 2.0 / f;
                        r = 1 - global::System.Math.Exp(-v * v) / (1.7724538509055160 * f);
                    }
                    return T.CopySign(T.CreateChecked(r), x);
                }
                """),
    };

    private static readonly Dictionary<string, ElementOperation> ByName = Operations.ToDictionary(o => o.Name);

    public static ElementOperation? Find(string name) => ByName.TryGetValue(name, out var op) ? op : null;

    public static ElementOperation Get(string name) => ByName[name];

    /// <summary>The spelling of a number in each target.</summary>
    public static string ScalarConstant(string number) => $"T.CreateChecked({number})";
    public static string VectorConstant(string number) => $"{V}.Create(T.CreateChecked({number}))";
    public static string OpenCLConstant(string number) => "(real)" + number;

    private static ElementOperation Arithmetic(string op, string dense, bool commutative) =>
        new(op, ElementKind.Operator, 2, $"({{0}} {op} {{1}})", $"({{0}} {op} {{1}})", $"({{0}} {op} {{1}})", Ieee, Dense: Binary(dense, commutative));

    private static ElementOperation Comparison(string op, string vector) =>
        new(op, ElementKind.Comparison, 2, $"({{0}} {op} {{1}} ? T.One : T.Zero)", $"{VM}.{vector}({{0}}, {{1}})", $"({{0}} {op} {{1}} ? (real)1 : (real)0)",
            op == "!=" ? "1 where it holds, else 0; NaN is unequal to everything, itself included, so NaN != x is 1."
                       : "1 where it holds, else 0; any comparison with NaN is false (0).");

    private static ElementOperation Function(string name, string scalar, string? vector, string openCL, string semantics, string? dense) =>
        new(name, ElementKind.Function, 1, scalar, vector, openCL, semantics, Dense: dense is null ? null : Unary(dense));

    private static Dictionary<string, string> Unary(string method) => new() { ["v"] = $"{TP}.{method}({{0}}, {{y}})" };

    private static Dictionary<string, string> Binary(string method, bool commutative) => new()
    {
        ["vv"] = $"{TP}.{method}({{0}}, {{1}}, {{y}})",
        ["vs"] = $"{TP}.{method}({{0}}, {{1}}, {{y}})",
        ["sv"] = commutative ? $"{TP}.{method}({{1}}, {{0}}, {{y}})" : $"{TP}.{method}({{0}}, {{1}}, {{y}})",
    };
}
