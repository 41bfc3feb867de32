// A batch cut out of a dataset held on the device: output image b is crop b (example, top, left,
// mirror) of its example, zero-padded by `padding` (Grad.Data.ImageCrop): output (y, x) is padded
// source (y + top, x' + left), x' = W - 1 - x when mirrored.
__kernel void gather_images(__global const float* images, const int offset, __global const int4* crops, __global float* batch,
                            const int C, const int H, const int W, const int padding, const int total)
{
    const int i = get_global_id(0);
    if (i >= total) return;
    const int x = i % W, y = (i / W) % H, c = (i / (W * H)) % C, b = i / (W * H * C);
    const int4 crop = crops[b];
    const int sy = y + crop.y - padding, sx = (crop.w ? W - 1 - x : x) + crop.z - padding;
    batch[i] = sy >= 0 && sy < H && sx >= 0 && sx < W ? images[offset + ((crop.x * C + c) * H + sy) * W + sx] : 0;
}
