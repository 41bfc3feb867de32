using Grad.Data;

namespace Grad.Cpu;

public sealed partial class CpuBackend
{
    public Tensor GatherImages(Tensor images, ReadOnlySpan<ImageCrop> crops, int padding)
    {
        using var dense = images.Contiguous();
        int channels = images.Shape[1], height = images.Shape[2], width = images.Shape[3], size = channels * height * width;
        var batch = Allocate(new Shape(crops.Length, channels, height, width), DType.Float32);
        var source = Span<float>(dense);
        var target = Span<float>(batch);
        for (int b = 0; b < crops.Length; b++)
            crops[b].CopyTo(source.Slice(crops[b].Example * size, size), target.Slice(b * size, size), channels, height, width, padding);
        return batch;
    }
}
