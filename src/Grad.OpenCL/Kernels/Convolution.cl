// Convolution as im2col + GEMM. A chunk of `images` images of x (N, C, H, W) unfolds into one
// column matrix (C·KH·KW, images·OH·OW), so the chunk is a single wide product; the backward folds
// column gradients back (col2im), each input cell gathering the columns that read it, so no
// atomics are needed and sums are ordered.

__kernel void im2col(__global const real* x, const int x_offset, __global real* col,
                     const int C, const int H, const int W, const int KH, const int KW,
                     const int SH, const int SW, const int PH, const int PW, const int OH, const int OW,
                     const int images, const int total)
{
    const int i = get_global_id(0);
    if (i >= total) return;
    int t = i;
    const int ow = t % OW; t /= OW;
    const int oh = t % OH; t /= OH;
    const int n = t % images; t /= images;
    const int kw = t % KW; t /= KW;
    const int kh = t % KH;
    const int c = t / KH;
    const int ih = oh * SH - PH + kh, iw = ow * SW - PW + kw;
    col[i] = ih >= 0 && ih < H && iw >= 0 && iw < W ? x[x_offset + ((n * C + c) * H + ih) * W + iw] : 0;
}

__kernel void col2im(__global const real* col, __global real* dx, const int dx_offset,
                     const int C, const int H, const int W, const int KH, const int KW,
                     const int SH, const int SW, const int PH, const int PW, const int OH, const int OW,
                     const int images, const int total)
{
    const int i = get_global_id(0);
    if (i >= total) return;
    const int w = i % W, h = (i / W) % H, c = (i / (W * H)) % C, n = i / (W * H * C);
    real acc = 0;
    for (int kh = 0; kh < KH; kh++)
    {
        const int top = h + PH - kh;
        if (top < 0 || top % SH != 0 || top / SH >= OH) continue;
        const int oh = top / SH;
        for (int kw = 0; kw < KW; kw++)
        {
            const int left = w + PW - kw;
            if (left < 0 || left % SW != 0 || left / SW >= OW) continue;
            acc += col[((((c * KH + kh) * KW + kw) * images + n) * OH + oh) * OW + left / SW];
        }
    }
    dx[dx_offset + i] = acc;
}
