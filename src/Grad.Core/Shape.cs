using System.Collections;
using System.Runtime.CompilerServices;

namespace Grad;

/// <summary>An immutable list of dimension sizes, compared by value. Rank 0 is a scalar.
/// Write one as a collection expression: <c>Tensor.Zeros([2, 3])</c>.</summary>
[CollectionBuilder(typeof(Shape), nameof(Create))]
public sealed class Shape : IEquatable<Shape>, IReadOnlyList<int>
{
    private readonly int[] _dims;

    public Shape(params ReadOnlySpan<int> dims)
    {
        foreach (var d in dims)
        {
            if (d < 0) throw new ArgumentException($"Shape {Format(dims)} has a negative dimension.");
        }
        _dims = dims.ToArray();
        long count = 1;
        foreach (var d in _dims) count *= d;
        if (count > int.MaxValue) throw new ArgumentException($"Shape {Format(dims)} holds more than {int.MaxValue} elements.");
        ElementCount = (int)count;
    }

    public static Shape Scalar { get; } = new();

    public static Shape Create(ReadOnlySpan<int> dims) => new(dims);

    public int Rank => _dims.Length;
    public int ElementCount { get; }
    public int Count => _dims.Length;
    public int this[int axis] => _dims[axis];
    public ReadOnlySpan<int> Dims => _dims;

    /// <summary>Resolves a possibly negative axis (-1 is the last) against this shape's rank.</summary>
    public int NormalizeAxis(int axis, string op)
    {
        int resolved = axis < 0 ? axis + Rank : axis;
        if (resolved < 0 || resolved >= Rank)
            throw new ArgumentOutOfRangeException(nameof(axis), $"{op}: axis {axis} is out of range for a tensor of rank {Rank} (shape {this}).");
        return resolved;
    }

    /// <summary>Row-major strides, in elements, of a contiguous tensor of this shape.</summary>
    public int[] ContiguousStrides()
    {
        var strides = new int[Rank];
        int s = 1;
        for (int i = Rank - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= _dims[i];
        }
        return strides;
    }

    public Shape With(int axis, int size)
    {
        var dims = _dims.ToArray();
        dims[axis] = size;
        return new Shape(dims);
    }

    public bool Equals(Shape? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims);
    public override bool Equals(object? obj) => obj is Shape s && Equals(s);
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var d in _dims) hash.Add(d);
        return hash.ToHashCode();
    }
    public static bool operator ==(Shape? a, Shape? b) => a is null ? b is null : a.Equals(b);
    public static bool operator !=(Shape? a, Shape? b) => !(a == b);

    public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)_dims).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => _dims.GetEnumerator();

    public override string ToString() => Format(_dims);

    internal static string Format(ReadOnlySpan<int> dims) =>
        dims.Length == 1 ? $"({dims[0]},)" : "(" + string.Join(", ", dims.ToArray()) + ")";

    public static implicit operator Shape(int[] dims) => new(dims);

    /// <summary>The dimensions as a new array (so a shape can go where sizes are expected).</summary>
    public static implicit operator int[](Shape shape) => shape._dims.ToArray();
}
