using System.Text;
using Grad.Serialization;

namespace Grad.Tests.Unit.Serialization;

/// <summary>Files built by hand that a reader must refuse with a message naming the file.</summary>
public sealed class SafeTensorsMalformedTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string WriteFile(byte[] bytes)
    {
        var path = _temp.Combine("bad.safetensors");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Build(string json, int dataBytes) =>
        [.. BitConverter.GetBytes((ulong)Encoding.UTF8.GetByteCount(json)), .. Encoding.UTF8.GetBytes(json), .. new byte[dataBytes]];

    private string Refused(byte[] bytes)
    {
        var path = WriteFile(bytes);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.Contains($"'{path}'", e.Message);
        return e.Message;
    }

    [Fact]
    public void A_truncated_file_names_the_tensor_that_runs_past_the_end()
    {
        using var x = Tensor.FromArray(new float[] { 1, 2, 3, 4 }, 4);
        using var stream = new MemoryStream();
        SafeTensors.Write(stream, [new NamedTensor("x", x)]);
        var message = Refused(stream.ToArray()[..^3]);
        Assert.Contains("tensor 'x' has data_offsets [0, 16] beyond the 13 bytes of the data section (the file is truncated", message);
    }

    [Fact]
    public void A_file_cut_inside_the_header_is_truncated()
    {
        var bytes = Build("""{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 4);
        Assert.Contains("it is truncated: the header length says 54 bytes but only 20 follow", Refused(bytes[..28]));
        Assert.Contains("it is truncated: 5 bytes, fewer than the 8 of the header length", Refused(bytes[..5]));
    }

    [Fact]
    public void A_header_that_is_not_json_is_refused()
    {
        Assert.Contains("its header is not valid JSON", Refused(Build("""{"x": {"dtype": "F32",""", 0)));
        Assert.Contains("its header is not a JSON object", Refused(Build("[1, 2]", 0)));
    }

    [Fact]
    public void Offsets_beyond_the_data_are_refused()
    {
        var message = Refused(Build("""{"x":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}""", 12));
        Assert.Contains("tensor 'x' has data_offsets [8, 16] beyond the 12 bytes of the data section", message);
    }

    [Fact]
    public void Overlapping_tensors_are_refused()
    {
        var message = Refused(Build(
            """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12));
        Assert.Contains("tensors 'a' [0, 8] and 'b' [4, 12] overlap", message);
    }

    [Fact]
    public void Offsets_that_disagree_with_the_shape_are_refused()
    {
        var message = Refused(Build("""{"a":{"dtype":"F64","shape":[2, 2],"data_offsets":[0,16]}}""", 16));
        Assert.Contains("tensor 'a' is F64 (2, 2) (32 bytes) but its data_offsets [0, 16] span 16 bytes", message);
    }

    [Fact]
    public void Unsupported_dtypes_and_missing_fields_are_refused()
    {
        Assert.Contains("tensor 'a' has dtype BF16; Grad reads F32, F64 and I32",
            Refused(Build("""{"a":{"dtype":"BF16","shape":[1],"data_offsets":[0,2]}}""", 2)));
        Assert.Contains("tensor 'a' has no 'shape' array",
            Refused(Build("""{"a":{"dtype":"F32","data_offsets":[0,4]}}""", 4)));
        Assert.Contains("tensor 'a' has 'shape' entry -1, not a non-negative integer",
            Refused(Build("""{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", 4)));
        Assert.Contains("metadata 'seed' is not a string",
            Refused(Build("""{"__metadata__":{"seed":42}}""", 0)));
    }

    [Fact]
    public void A_name_given_twice_is_refused()
    {
        var message = Refused(Build(
            """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8));
        Assert.Contains("its header names 'a' twice", message);
    }
}
