using Grad.Data;

namespace Grad.OpenCL;

public sealed partial class OpenCLBackend
{
    public Tensor GatherImages(Tensor images, ReadOnlySpan<ImageCrop> crops, int padding)
    {
        using var dense = images.Contiguous();
        int channels = images.Shape[1], height = images.Shape[2], width = images.Shape[3];
        var packed = new int[crops.Length * 4];
        for (int b = 0; b < crops.Length; b++)
            (packed[4 * b], packed[4 * b + 1], packed[4 * b + 2], packed[4 * b + 3]) = (crops[b].Example, crops[b].Top, crops[b].Left, crops[b].Mirror ? 1 : 0);
        using var plan = FromHost<int>(packed, new Shape(crops.Length, 4));
        var batch = Allocate(new Shape(crops.Length, channels, height, width), DType.Float32);
        Launch("Images", "gather_images", RealOptions(DType.Float32)).Buffer(dense).Int(dense.Offset).Buffer(plan).Buffer(batch)
            .Int(channels).Int(height).Int(width).Int(padding).Int(batch.ElementCount).Run(batch.ElementCount);
        return batch;
    }
}
