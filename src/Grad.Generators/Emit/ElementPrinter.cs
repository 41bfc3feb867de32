using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Grad.Generators.Fusion;

namespace Grad.Generators.Emit;

/// <summary>The targets a kernel's element program is printed for.</summary>
internal enum ElementTarget
{
    /// <summary>C# over scalars of <c>T</c>.</summary>
    Scalar,
    /// <summary>C# over <c>Vector256&lt;T&gt;</c>.</summary>
    Vector,
    /// <summary>OpenCL C over <c>real</c>.</summary>
    OpenCL,
}

/// <summary>
/// Prints an element program for one target, spelling every operation as
/// <see cref="ElementLanguage"/> says. Inputs are <c>x0, x1…</c>, scalars <c>s0…</c> (<c>vs0…</c>
/// as vectors), locals their formula name with an underscore (<c>_d</c>).
/// </summary>
internal sealed class ElementPrinter(ElementProgram program, ElementTarget target)
{
    /// <summary>The expression's text, or null when an operation has no spelling for this target.</summary>
    public string? Print(ElementExpr e)
    {
        switch (e)
        {
            case ElementInput i:
                return "x" + i.Index;
            case ElementScalar s:
                return (target == ElementTarget.Vector ? "vs" : "s") + s.Index;
            case ElementLocal l:
                return LocalName(program, l.Index);
            case ElementConstant c:
                return target switch
                {
                    ElementTarget.Scalar => ElementLanguage.ScalarConstant(Number(c.Value)),
                    ElementTarget.Vector => ElementLanguage.VectorConstant(Number(c.Value)),
                    _ => ElementLanguage.OpenCLConstant(Number(c.Value)),
                };
            case ElementApply a:
                var op = ElementLanguage.Get(a.Operation);
                var pattern = target switch { ElementTarget.Scalar => op.Scalar, ElementTarget.Vector => op.Vector, _ => op.OpenCL };
                if (pattern is null) return null;
                var args = new List<string>();
                foreach (var arg in a.Args)
                {
                    if (Print(arg) is not { } text) return null;
                    args.Add(text);
                }
                return Fill(pattern, args);
            default:
                throw new System.ArgumentOutOfRangeException(nameof(e));
        }
    }

    /// <summary>Whether every operation of the program has a spelling for this target.</summary>
    public bool CanPrint => program.Expressions.All(e => Print(e) is not null);

    public static string LocalName(ElementProgram program, int index) => "_" + program.Locals[index].Name;

    /// <summary>The operations a program uses, each once, in order of first use.</summary>
    public static IReadOnlyList<ElementOperation> Operations(ElementProgram program)
    {
        var found = new List<ElementOperation>();
        void Visit(ElementExpr e)
        {
            if (e is not ElementApply a) return;
            var op = ElementLanguage.Get(a.Operation);
            if (!found.Contains(op)) found.Add(op);
            foreach (var arg in a.Args) Visit(arg);
        }
        foreach (var e in program.Expressions) Visit(e);
        return found;
    }

    /// <summary>The inputs a program reads, in index order.</summary>
    public static IReadOnlyList<int> InputsRead(ElementProgram program)
    {
        var read = new SortedSet<int>();
        void Visit(ElementExpr e)
        {
            if (e is ElementInput i) read.Add(i.Index);
            if (e is ElementApply a) foreach (var arg in a.Args) Visit(arg);
        }
        foreach (var e in program.Expressions) Visit(e);
        return read.ToList();
    }

    /// <summary>Replaces <c>{0}</c>, <c>{1}</c>… in a spelling pattern with the operands.</summary>
    public static string Fill(string pattern, IReadOnlyList<string> args)
    {
        var text = pattern;
        for (int k = 0; k < args.Count; k++) text = text.Replace("{" + k + "}", args[k]);
        return text;
    }

    public static string Number(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.') || text.Contains('E') ? text : text + ".0";
    }
}
