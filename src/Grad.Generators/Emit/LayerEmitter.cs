using System.Collections.Generic;
using System.Linq;
using Grad.Generators.Autodiff;
using Grad.Generators.Model;

namespace Grad.Generators.Emit;

/// <summary>
/// Writes the generated part of a layer record: the tape, the training forward (output, tape,
/// updated layer), the eval forward, the backward, and the parameter traversal.
/// </summary>
internal sealed partial class LayerEmitter
{
    private const string TensorType = "global::Grad.Tensor";

    private readonly LayerSpec _layer;
    private readonly ForwardSpec _whole;
    private readonly Branches _branches;
    private readonly IReadOnlyList<ForwardVariant> _variants;
    private readonly TapeFields _fields;
    private readonly string _version;
    private readonly IReadOnlyList<Fusion.FusedKernel> _kernels;
    private readonly CodeWriter _w = new();

    /// <summary>The variant being written (the only one, for a forward without conditions).</summary>
    private ForwardSpec _forward;
    private BackwardProgram _backward;
    private TapeLayout _tape;

    public LayerEmitter(LayerSpec layer, ForwardSpec whole, Branches branches, IReadOnlyList<ForwardVariant> variants, IReadOnlyList<Fusion.FusedKernel> kernels, string version)
    {
        _kernels = kernels;
        _layer = layer;
        _whole = whole;
        _branches = branches;
        _variants = variants;
        (_forward, _backward, _tape) = (variants[0].Forward, variants[0].Backward, variants[0].Tape);
        _fields = new TapeFields(variants.Select(v => v.Tape).ToList());
        _version = version;
        FunctionName = new CallNames(layer, new PrimitiveTable(layer.Functions));
        _taken = new HashSet<string>(whole.Inputs.Select(i => i.Name)
            .Concat(whole.Bindings.Select(b => b.Name))
            .Concat(layer.Members.Select(m => m.Name))
            .Concat(layer.DeclaredNames)
            .Concat(variants.SelectMany(v => v.Backward.Statements).SelectMany(s => s switch
            {
                Assign a => new[] { a.Name },
                SubLayerBackward b => b.InputGradients.Where(n => n is not null).Select(n => n!).Append(b.LayerGradient),
                _ => Enumerable.Empty<string>(),
            })));
        _seed = ReverseMode.SeedName(layer, whole);
        _taken.Add(_seed);
        _scope = Fresh("scope");
        _tapeName = Fresh("tape");
        _parameter = Fresh("parameter");
        foreach (var input in whole.Inputs.Where(i => i.TakesGradient)) _gradientNames[input.Name] = Fresh("d" + input.Name);
        foreach (var member in layer.Members) _gradientNames[member.Name] = Fresh("d" + member.Name);
    }

    /// <summary>Writes <paramref name="body"/> once per variant, each inside the if/else on the
    /// conditions that lead to it (just once, unnested, without conditions).</summary>
    private void ForEachVariant(System.Func<string, string> condition, System.Action body)
    {
        Write(_branches.Tree);

        void Write(BranchNode node)
        {
            if (node is BranchLeaf leaf)
            {
                (_forward, _backward, _tape) = (_variants[leaf.Variant].Forward, _variants[leaf.Variant].Backward, _variants[leaf.Variant].Tape);
                _forwardNames = null;
                body();
                return;
            }
            var split = (BranchSplit)node;
            _w.Open($"if ({condition(split.Condition)})");
            Write(split.WhenTrue);
            _w.Close();
            _w.Open("else");
            Write(split.WhenFalse);
            _w.Close();
        }
    }

    /// <summary>Forwards compute their conditions before choosing a variant.</summary>
    private void EmitConditions(ExprPrinter printer)
    {
        foreach (var c in _branches.Conditions) _w.Line($"var {Id(c.Name)} = {printer.Print(c.Value)};");
    }

    /// <summary>Names the generated methods declare are chosen not to be any name the layer
    /// uses, so they can neither capture nor be captured by one (an input called <c>g</c> or
    /// <c>scope</c>, a [Param] called <c>dx</c>).</summary>
    private readonly HashSet<string> _taken;
    private readonly string _seed, _scope, _tapeName, _parameter;
    private readonly Dictionary<string, string> _gradientNames = new();

    private string Fresh(string name)
    {
        var unique = name;
        for (int i = 2; !_taken.Add(unique); i++) unique = name + i;
        return unique;
    }

    /// <summary>The gradient local of an input or member (<c>dx</c>, <c>dW</c>), as C# writes it.</summary>
    private string GradientName(string name) => Id(_gradientNames[name]);

    /// <summary>A name as C# writes it: keywords escaped (<c>@class</c>).</summary>
    internal static string Id(string name) => Kernels.KernelParser.Identifier(name);

    private IEnumerable<InputSpec> Inputs => _whole.Inputs;
    private bool SingleInput => _whole.Inputs.Count == 1 && _whole.Inputs[0].TakesGradient;
    private string GeneratedCode => $"[global::System.CodeDom.Compiler.GeneratedCode(\"Grad.Generators\", \"{_version}\")]";

    public string Emit()
    {
        _w.Line("// <auto-generated/>");
        _w.Line("// Generated by Grad.Generators from the [Forward] of " + _layer.Name + ". Do not edit: change the forward instead.");
        _w.Line("#nullable enable");
        foreach (var type in _layer.Functions.Select(f => f.ContainingType).Distinct().OrderBy(t => t, System.StringComparer.Ordinal))
            _w.Line($"using static {type};");
        _w.Line();
        if (_layer.Namespace is not null) _w.Line("namespace " + _layer.Namespace + ";").Line();
        foreach (var type in _layer.Nesting.Types) _w.Open(type);
        var interfaces = SingleInput ? $" : global::Grad.ILayer<{_layer.TypeName}>" : "";
        _w.Open($"partial record {_layer.TypeName}{interfaces}");
        EmitTape();
        _w.Line();
        EmitTrain();
        _w.Line();
        EmitEval();
        _w.Line();
        EmitBackward();
        _w.Line();
        EmitTraversal();
        if (SingleInput)
        {
            _w.Line();
            EmitUntyped();
        }
        EmitKernels();
        _w.Close();
        foreach (var _ in _layer.Nesting.Types) _w.Close();
        return _w.ToString();
    }

    private void EmitTape()
    {
        // With branches, a field is set only on the branches that keep it.
        var dispose = _variants.Count == 1 ? ".Dispose();" : "?.Dispose();";
        _w.Line("/// <summary>The forward values " + _layer.Name + "'s backward reads, chosen by the generator.</summary>");
        _w.Open("public sealed class Tape : global::Grad.ITape");
        foreach (var t in _fields.Tensors) _w.Line($"internal {TensorType} {Id(_fields.Tensor(t))} = null!;");
        foreach (var s in _fields.Shapes) _w.Line($"internal global::Grad.Shape {Id(_fields.Shape(s))} = null!;");
        foreach (var (name, type) in _fields.Scalars) _w.Line($"internal {type} {Id(_fields.Scalar(name))};");
        foreach (var (member, type) in _fields.SubTapes) _w.Line($"internal {type}.Tape {Id(_fields.SubTape(member))} = null!;");
        _w.Line();
        _w.Line("/// <summary>Releases the tensors the tape keeps (a sub-layer's tape included).</summary>");
        _w.Open("public void Dispose()");
        foreach (var t in _fields.Tensors) _w.Line(Id(_fields.Tensor(t)) + dispose);
        foreach (var (member, _) in _fields.SubTapes) _w.Line(Id(_fields.SubTape(member)) + dispose);
        _w.Close();
        _w.Close();
    }

    private static string Parameters(IEnumerable<InputSpec> inputs) =>
        string.Join(", ", inputs.Select(i => $"{i.ScalarType ?? TensorType} {Id(i.Name)}" + (i.DefaultValue is null ? "" : " = " + i.DefaultValue)));

    /// <summary>How calls print (the name is the one the printers of every part take).</summary>
    private CallNames FunctionName { get; }
}
