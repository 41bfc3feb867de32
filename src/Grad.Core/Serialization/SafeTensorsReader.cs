using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Grad.Serialization;

public static partial class SafeTensors
{
    /// <summary>Reads a safetensors file. A malformed file (truncated, bad header, offsets out of
    /// range or overlapping, an unsupported dtype) is an <see cref="InvalidDataException"/> that
    /// names the file and the problem.</summary>
    /// <remarks>The file is read tensor by tensor, never whole, so files beyond 2 GiB load and a
    /// load holds at most one tensor's bytes beside the tensors.</remarks>
    public static SafeTensorsFile Load(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        return Read(file, path);
    }

    /// <summary>Reads the bytes of a safetensors file; <paramref name="source"/> names it in errors.</summary>
    public static SafeTensorsFile Read(byte[] bytes, string source) => Read(new MemoryStream(bytes, writable: false), source);

    /// <summary>The most header bytes read (the reference implementation's limit).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>Reads a safetensors file from a seekable stream; <paramref name="source"/> names it in errors.</summary>
    public static SafeTensorsFile Read(Stream stream, string source)
    {
        RequireLittleEndian();
        long length = stream.Length;
        if (length < 8)
            throw Malformed(source, $"it is truncated: {length} bytes, fewer than the 8 of the header length");
        Span<byte> prefix = stackalloc byte[8];
        stream.Position = 0;
        stream.ReadExactly(prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)(length - 8))
            throw Malformed(source, $"it is truncated: the header length says {headerLength} bytes but only {length - 8} follow");
        if (headerLength > MaxHeaderBytes)
            throw Malformed(source, $"its header length is {headerLength} bytes, more than the {MaxHeaderBytes} a safetensors header may have");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        long dataStart = 8 + (long)headerLength;

        var (entries, metadata) = ParseHeader(header, source);
        CheckRanges(entries, length - dataStart, source);
        var tensors = entries.OrderBy(e => e.Begin).ThenBy(e => e.End)
            .Select(e => new NamedTensor(e.Name, Materialise(e, stream, dataStart, source)))
            .ToList();
        return new SafeTensorsFile(source, tensors, metadata);
    }

    /// <summary>One tensor as the header describes it.</summary>
    private sealed record Entry(string Name, DType DType, Shape Shape, long Begin, long End);

    private static (List<Entry> Entries, Dictionary<string, string> Metadata) ParseHeader(ReadOnlyMemory<byte> header, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw Malformed(source, $"its header is not valid JSON ({e.Message})");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Malformed(source, "its header is not a JSON object");
            var entries = new List<Entry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name)) throw Malformed(source, $"its header names '{property.Name}' twice");
                if (property.Name == MetadataKey) ReadMetadata(property.Value, metadata, source);
                else entries.Add(ReadEntry(property.Name, property.Value, source));
            }
            return (entries, metadata);
        }
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string source)
    {
        if (value.ValueKind != JsonValueKind.Object) throw Malformed(source, $"'{MetadataKey}' is not a JSON object");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw Malformed(source, $"metadata '{item.Name}' is not a string");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!)) throw Malformed(source, $"metadata '{item.Name}' is given twice");
        }
    }

    private static Entry ReadEntry(string name, JsonElement value, string source)
    {
        if (value.ValueKind != JsonValueKind.Object) throw Malformed(source, $"the entry of tensor '{name}' is not a JSON object");
        string dtypeName = Field(value, "dtype", JsonValueKind.String, name, source).GetString()!;
        if (!SafeTensorsDType.TryParse(dtypeName, out var dtype))
            throw Malformed(source, $"tensor '{name}' has dtype {dtypeName}; Grad reads F32, F64 and I32");
        var dims = Integers(Field(value, "shape", JsonValueKind.Array, name, source), "shape", name, source);
        var offsets = Integers(Field(value, "data_offsets", JsonValueKind.Array, name, source), "data_offsets", name, source);
        if (offsets.Length != 2 || offsets[0] > offsets[1])
            throw Malformed(source, $"tensor '{name}' has data_offsets [{string.Join(", ", offsets)}], not [begin, end] with begin ≤ end");
        if (dims.Any(d => d > int.MaxValue) || dims.Aggregate(1.0, (n, d) => n * d) > int.MaxValue)
            throw Malformed(source, $"tensor '{name}' has shape ({string.Join(", ", dims)}), too large for a Grad tensor");
        var shape = new Shape(dims.Select(d => (int)d).ToArray());
        long expected = (long)shape.ElementCount * dtype.SizeInBytes();
        if (offsets[1] - offsets[0] != expected)
            throw Malformed(source, $"tensor '{name}' is {dtypeName} {shape} ({expected} bytes) but its data_offsets [{offsets[0]}, {offsets[1]}] span {offsets[1] - offsets[0]} bytes");
        return new Entry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static JsonElement Field(JsonElement entry, string field, JsonValueKind kind, string name, string source) =>
        entry.TryGetProperty(field, out var value) && value.ValueKind == kind
            ? value
            : throw Malformed(source, $"tensor '{name}' has no '{field}' {(kind == JsonValueKind.Array ? "array" : "string")}");

    private static long[] Integers(JsonElement array, string field, string name, string source) =>
        array.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.Number && item.TryGetInt64(out long n) && n >= 0
            ? n
            : throw Malformed(source, $"tensor '{name}' has '{field}' entry {item.GetRawText()}, not a non-negative integer")).ToArray();

    /// <summary>Every tensor must lie inside the data section and none may share bytes with another.</summary>
    private static void CheckRanges(List<Entry> entries, long dataLength, string source)
    {
        Entry? previous = null;
        foreach (var entry in entries.Where(e => e.End > e.Begin).OrderBy(e => e.Begin))
        {
            if (entry.End > dataLength)
                throw Malformed(source, $"tensor '{entry.Name}' has data_offsets [{entry.Begin}, {entry.End}] beyond the {dataLength} bytes of the data section (the file is truncated or the header is wrong)");
            if (previous is not null && entry.Begin < previous.End)
                throw Malformed(source, $"tensors '{previous.Name}' [{previous.Begin}, {previous.End}] and '{entry.Name}' [{entry.Begin}, {entry.End}] overlap");
            previous = entry;
        }
        foreach (var entry in entries.Where(e => e.Begin > dataLength))
            throw Malformed(source, $"tensor '{entry.Name}' has data_offsets [{entry.Begin}, {entry.End}] beyond the {dataLength} bytes of the data section");
    }

    private static Tensor Materialise(Entry entry, Stream stream, long dataStart, string source)
    {
        long length = entry.End - entry.Begin;
        if (length > Array.MaxLength)
            throw Malformed(source, $"tensor '{entry.Name}' holds {length} bytes; Grad loads tensors of at most {Array.MaxLength} bytes each");
        int size = (int)length;
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            stream.Position = dataStart + entry.Begin;
            var bytes = buffer.AsSpan(0, size);
            stream.ReadExactly(bytes);
            return entry.DType switch
            {
                DType.Float32 => Tensor.FromSpan(MemoryMarshal.Cast<byte, float>(bytes), entry.Shape),
                DType.Float64 => Tensor.FromSpan(MemoryMarshal.Cast<byte, double>(bytes), entry.Shape),
                _ => Tensor.FromSpan(MemoryMarshal.Cast<byte, int>(bytes), entry.Shape),
            };
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static InvalidDataException Malformed(string source, string problem) =>
        new($"Safetensors file '{source}' is malformed: {problem}.");
}
