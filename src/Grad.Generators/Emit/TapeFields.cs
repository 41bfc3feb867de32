using System.Collections.Generic;
using System.Linq;

namespace Grad.Generators.Emit;

/// <summary>
/// The fields of the generated Tape class: every value some tape layout keeps (for a forward
/// with branches, the layouts of all of them), each under a name unique in the class. A kept
/// value's field is its name, a kept shape's <c>xShape</c>, a sub-layer's tape the member's
/// name in lower case; a clash (a local named <c>xShape</c> beside x's shape, an input named
/// <c>Dispose</c> or <c>Tape</c>) takes the next free name.
/// </summary>
internal sealed class TapeFields
{
    /// <summary>The class's own name and what it inherits from object: a field may not be named so.</summary>
    private static readonly string[] Reserved = { "Tape", "Dispose", "Equals", "GetHashCode", "GetType", "ToString", "MemberwiseClone", "Finalize", "ReferenceEquals" };

    private readonly HashSet<string> _taken = new(Reserved);
    private readonly Dictionary<string, string> _tensors = new(), _shapes = new(), _scalars = new(), _subTapes = new();

    public TapeFields(IReadOnlyList<TapeLayout> layouts)
    {
        foreach (var t in layouts.SelectMany(l => l.Tensors).Distinct())
        {
            Tensors.Add(t);
            _tensors[t] = Fresh(t);
        }
        foreach (var s in layouts.SelectMany(l => l.Shapes).Distinct())
        {
            Shapes.Add(s);
            _shapes[s] = Fresh(s + "Shape");
        }
        foreach (var (name, type) in layouts.SelectMany(l => l.Scalars).Where(s => !_scalars.ContainsKey(s.Name)))
        {
            Scalars.Add((name, type));
            _scalars[name] = Fresh(name);
        }
        foreach (var sub in layouts.SelectMany(l => l.SubTapes).Where(s => !_subTapes.ContainsKey(s.Member)))
        {
            SubTapes.Add((sub.Member, sub.LayerType));
            _subTapes[sub.Member] = Fresh(TapeLayout.SubTapeField(sub.Member));
        }
    }

    /// <summary>Declaration order: tensors, shapes, scalars (with their types), sub-layer tapes.</summary>
    public List<string> Tensors { get; } = new();
    public List<string> Shapes { get; } = new();
    public List<(string Name, string Type)> Scalars { get; } = new();
    public List<(string Member, string LayerType)> SubTapes { get; } = new();

    public string Tensor(string name) => _tensors[name];
    public string Shape(string tensor) => _shapes[tensor];
    public string Scalar(string name) => _scalars[name];
    public string SubTape(string member) => _subTapes[member];

    private string Fresh(string name)
    {
        var unique = name;
        for (int i = 2; !_taken.Add(unique); i++) unique = name + i;
        return unique;
    }
}
