using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Grad.Serialization;

/// <summary>
/// The safetensors format: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
/// (padded with spaces to a multiple of 8) describing each tensor's dtype, shape and byte range
/// within the data section, then the data section with the raw little-endian elements.
/// </summary>
public static partial class SafeTensors
{
    /// <summary>The header key of the string-to-string metadata.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>Writes the tensors, in the given order, to a file that is replaced atomically.</summary>
    public static void Save(string path, IEnumerable<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        AtomicFile.Write(path, stream => Write(stream, list, metadata));
    }

    /// <summary>Writes the tensors, in the given order, to a stream.</summary>
    public static void Write(Stream destination, IEnumerable<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        RequireLittleEndian();
        var list = tensors.ToList();
        var header = Header(list, metadata);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        destination.Write(length);
        destination.Write(header);
        foreach (var (_, tensor) in list) WriteData(destination, tensor);
    }

    /// <summary>The JSON header, padded with spaces to a multiple of 8 bytes (as the reference
    /// implementation does, so the data section starts aligned).</summary>
    internal static byte[] Header(IReadOnlyList<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        // Relaxed escaping keeps names such as "a+b" readable; the output is still valid JSON.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }
            var names = new HashSet<string>(StringComparer.Ordinal);
            long offset = 0;
            foreach (var (name, tensor) in tensors)
            {
                if (name == MetadataKey) throw new ArgumentException($"SafeTensors: a tensor cannot be named '{MetadataKey}'.");
                if (!names.Add(name)) throw new ArgumentException($"SafeTensors: two tensors are named '{name}'.");
                long size = (long)tensor.ElementCount * tensor.DType.SizeInBytes();
                json.WriteStartObject(name);
                json.WriteString("dtype", SafeTensorsDType.Name(tensor.DType));
                json.WriteStartArray("shape");
                foreach (var d in tensor.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + size);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += size;
            }
            json.WriteEndObject();
        }
        int padded = (buffer.WrittenCount + 7) / 8 * 8;
        var header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    private static void WriteData(Stream destination, Tensor tensor)
    {
        switch (tensor.DType)
        {
            case DType.Float32: WriteData<float>(destination, tensor); break;
            case DType.Float64: WriteData<double>(destination, tensor); break;
            default: WriteData<int>(destination, tensor); break;
        }
    }

    /// <summary>Elements copied per chunk when a tensor's memory cannot be written directly.</summary>
    internal const int ChunkBytes = 1 << 20;

    /// <summary>Streams a tensor's elements to the file without a copy of the whole tensor: a
    /// contiguous CPU tensor is written straight from its buffer; any other (a strided view, a
    /// device tensor) is copied to the host a chunk of rows at a time through one pooled buffer.
    /// So a save allocates nothing in proportion to the model's size.</summary>
    private static void WriteData<T>(Stream destination, Tensor tensor) where T : unmanaged
    {
        if (tensor.ElementCount == 0) return;
        if (tensor.IsContiguous && tensor.Storage is Cpu.CpuStorage<T> cpu)
        {
            destination.Write(MemoryMarshal.AsBytes(cpu.Array.AsSpan(tensor.Offset, tensor.ElementCount)));
            return;
        }
        using var flat = tensor.Reshape(-1);
        int chunk = Math.Max(1, ChunkBytes / System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
        var buffer = ArrayPool<T>.Shared.Rent(Math.Min(chunk, flat.ElementCount));
        try
        {
            for (int start = 0; start < flat.ElementCount; start += chunk)
            {
                int end = Math.Min(flat.ElementCount, start + chunk);
                using var part = flat.Slice(0, start, end);
                var span = buffer.AsSpan(0, end - start);
                tensor.Backend.CopyToHost<T>(part, span);
                destination.Write(MemoryMarshal.AsBytes((ReadOnlySpan<T>)span));
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(buffer);
        }
    }

    /// <summary>The format is little-endian and the elements are copied as they lie in memory.</summary>
    private static void RequireLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("SafeTensors: reading and writing need a little-endian machine.");
    }
}
