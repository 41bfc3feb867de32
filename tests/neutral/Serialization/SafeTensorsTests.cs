using System.Text;
using Grad.Serialization;

namespace Grad.Tests.Serialization;

/// <summary>The safetensors writer on the backend's tensors (read back to the host as it writes)
/// and the reader's round trip; files a reader must refuse are in tests/unit/Serialization.</summary>
public sealed class SafeTensorsTests(BackendFixture backend) : IClassFixture<BackendFixture>
{
    [Fact]
    public void A_tiny_file_has_exactly_the_reference_layout()
    {
        using var a = backend.FromArray(new float[] { 1, -2 }, 2);
        using var stream = new MemoryStream();
        SafeTensors.Write(stream, [new NamedTensor("a", a)], new Dictionary<string, string> { ["k"] = "v" });

        const string json = """{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""";
        Assert.Equal(79, json.Length);
        byte[] expected =
        [
            80, 0, 0, 0, 0, 0, 0, 0,                          // header length 80, little-endian u64
            .. Encoding.UTF8.GetBytes(json), (byte)' ',       // 79 bytes of JSON padded to 80
            0x00, 0x00, 0x80, 0x3F,                           // 1.0f
            0x00, 0x00, 0x00, 0xC0,                           // -2.0f
        ];
        Assert.Equal(expected, stream.ToArray());
    }

    [Fact]
    public void Without_metadata_the_header_has_no_metadata_entry()
    {
        using var b = backend.FromArray(new[] { 7 }, 1);
        using var stream = new MemoryStream();
        SafeTensors.Write(stream, [new NamedTensor("b", b)]);
        const string json = """{"b":{"dtype":"I32","shape":[1],"data_offsets":[0,4]}}"""; // 54 bytes, padded to 56
        byte[] expected = [56, 0, 0, 0, 0, 0, 0, 0, .. Encoding.UTF8.GetBytes(json), 32, 32, 7, 0, 0, 0];
        Assert.Equal(expected, stream.ToArray());
    }

    [Fact]
    public void Values_dtypes_shapes_and_metadata_survive_a_round_trip()
    {
        using var f32 = backend.FromArray(new float[] { 1.5f, -0f, float.MaxValue, float.Epsilon, 3, 4 }, 2, 3);
        using var f64 = backend.FromArray(new double[] { Math.PI, -1e-300 }, 2, 1, 1);
        using var i32 = backend.FromArray(new[] { int.MinValue, 0, 42 }, 3);
        using var scalar = backend.Scalar(2.5, DType.Float64);
        using var transposed = f32.T; // a strided view is written in row-major order
        var metadata = new Dictionary<string, string> { ["seed"] = "42", ["note"] = "ünïcode \"quoted\"" };
        using var temp = new TempDirectory();
        var path = temp.Combine("round.safetensors");
        SafeTensors.Save(path,
            [new("f32", f32), new("nested.f64", f64), new("i32", i32), new("scalar", scalar), new("t", transposed)], metadata);

        var file = SafeTensors.Load(path);
        Assert.Equal(["f32", "nested.f64", "i32", "scalar", "t"], file.Tensors.Select(t => t.Name));
        Assert.Equal(metadata, file.Metadata);
        Assert.Equal(f32.Shape, file["f32"].Shape);
        Assert.Equal(f32.ToArray<float>(), file["f32"].ToArray<float>());
        Assert.Equal(new Shape(2, 1, 1), file["nested.f64"].Shape);
        Assert.Equal(f64.ToArray<double>(), file["nested.f64"].ToArray<double>());
        Assert.Equal(DType.Int32, file["i32"].DType);
        Assert.Equal(i32.ToArray<int>(), file["i32"].ToArray<int>());
        Assert.Equal(Shape.Scalar, file["scalar"].Shape);
        Assert.Equal(2.5, file["scalar"].Item());
        Assert.Equal(new Shape(3, 2), file["t"].Shape);
        Assert.Equal(new float[] { 1.5f, float.Epsilon, -0f, 3, float.MaxValue, 4 }, file["t"].ToArray<float>());
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(file["f32"].ToArray<float>()[1]));
        Assert.Empty(temp.OtherFiles("round.safetensors"));
    }

    [Fact]
    public void The_data_section_starts_on_an_8_byte_boundary()
    {
        using var x = backend.FromArray(new double[] { 1 }, 1);
        using var stream = new MemoryStream();
        SafeTensors.Write(stream, [new NamedTensor("a_name_of_odd_length", x)]);
        long headerLength = BitConverter.ToInt64(stream.ToArray(), 0);
        Assert.Equal(0, headerLength % 8);
        Assert.Equal(8 + headerLength + 8, stream.Length);
    }

    [Fact]
    public void Duplicate_names_are_refused_when_writing()
    {
        using var x = backend.FromArray(new float[] { 1 }, 1);
        var e = Assert.Throws<ArgumentException>(() => SafeTensors.Write(new MemoryStream(), [new("w", x), new("w", x)]));
        Assert.Contains("two tensors are named 'w'", e.Message);
    }
}
