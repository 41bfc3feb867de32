using System.Runtime.InteropServices;
using Grad.Serialization;

namespace Grad.Tests.Unit.Serialization;

/// <summary>Saving streams each tensor's bytes to the file (issue 13, item 9): the bytes are those
/// of a copy-then-write, and repeated saves allocate nothing in proportion to the tensors.</summary>
public sealed class SafeTensorsStreamingTests
{
    /// <summary>The file as the writer produced it before streaming: header, then each tensor's
    /// elements copied out with <see cref="Tensor.ToArray{T}"/>.</summary>
    private static byte[] CopiedFile(IReadOnlyList<NamedTensor> tensors)
    {
        var header = SafeTensors.Header(tensors, null);
        var bytes = new List<byte>(BitConverter.GetBytes((ulong)header.Length));
        bytes.AddRange(header);
        foreach (var (_, t) in tensors)
            bytes.AddRange(t.DType switch
            {
                DType.Float32 => MemoryMarshal.AsBytes(t.ToArray<float>().AsSpan()).ToArray(),
                DType.Float64 => MemoryMarshal.AsBytes(t.ToArray<double>().AsSpan()).ToArray(),
                _ => MemoryMarshal.AsBytes(t.ToArray<int>().AsSpan()).ToArray(),
            });
        return [.. bytes];
    }

    [Fact]
    public void Streamed_bytes_equal_copied_bytes_for_contiguous_strided_sliced_and_every_dtype()
    {
        // Large enough that the strided path takes several chunks.
        int rows = 700, cols = 600;
        using var big = Tensor.FromArray(Enumerable.Range(0, rows * cols).Select(i => (float)Math.Sin(i)).ToArray(), rows, cols);
        using var transposed = big.T;
        using var slice = big.Slice(0, 3, 9);
        using var columns = big.Slice(1, 5, 7);
        using var doubles = Tensor.FromArray(new[] { 1.5, -2.25, double.Epsilon }, 3);
        using var ints = Tensor.FromArray(new[] { 1, -2, int.MaxValue, 4 }, 2, 2);
        using var scalar = Tensor.Scalar(3.5);
        using var empty = Tensor.Zeros(new Shape(0, 4));
        NamedTensor[] tensors =
        [
            new("big", big), new("t", transposed), new("slice", slice), new("columns", columns),
            new("d", doubles), new("i", ints), new("s", scalar), new("e", empty),
        ];
        Assert.False(transposed.IsContiguous);
        using var stream = new MemoryStream();
        SafeTensors.Write(stream, tensors);
        Assert.Equal(CopiedFile(tensors), stream.ToArray());
    }

    [Fact]
    public void Repeated_saves_allocate_far_less_than_the_tensors_hold()
    {
        using var w = Tensor.FromArray(new float[2_000_000], 2000, 1000); // 8 MB
        using var b = Tensor.FromArray(new float[1000], 1000);
        NamedTensor[] tensors = [new("w", w), new("b", b)];
        SafeTensors.Write(Stream.Null, tensors); // warm-up: JIT, pools
        const int saves = 5;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < saves; i++) SafeTensors.Write(Stream.Null, tensors);
        long perSave = (GC.GetAllocatedBytesForCurrentThread() - before) / saves;
        Assert.True(perSave < 64 * 1024, $"a save allocated {perSave} bytes for 8 MB of tensors");
    }
}

/// <summary>Loading reads tensor by tensor, so a file past 2 GiB loads (issue 13, item 11).</summary>
public sealed class SafeTensorsLargeFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_file_beyond_two_gibibytes_loads_without_reading_it_whole()
    {
        // A sparse file: a header, a 2 GiB gap nobody reads, and one small tensor at the end.
        long gap = (1L << 31) + 8;
        string json = $"{{\"x\":{{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[{gap},{gap + 12}]}}}}";
        var header = System.Text.Encoding.UTF8.GetBytes(json.PadRight((json.Length + 7) / 8 * 8));
        string path = _temp.Combine("big.safetensors");
        using (var file = File.Create(path))
        {
            file.Write(BitConverter.GetBytes((ulong)header.Length));
            file.Write(header);
            file.SetLength(8 + header.Length + gap);
            file.Position = file.Length;
            file.Write(MemoryMarshal.AsBytes(new float[] { 1.5f, -2, 3 }.AsSpan()));
        }
        Assert.True(new FileInfo(path).Length > int.MaxValue);
        var loaded = SafeTensors.Load(path);
        Assert.Equal([1.5f, -2, 3], loaded.ByName["x"].ToArray<float>());
    }

    [Fact]
    public void A_header_length_beyond_the_format_limit_is_refused_before_it_is_read()
    {
        string path = _temp.Combine("huge-header.safetensors");
        using (var file = File.Create(path))
        {
            file.Write(BitConverter.GetBytes(200_000_000UL));
            file.SetLength(8 + 200_000_000L);
        }
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.Contains("more than the 100000000 a safetensors header may have", e.Message);
    }
}
