// 3×3 convolution with stride 1 and padding 1 by Winograd's minimal filtering F(m×m, 3×3), the
// same algorithm as the CPU backend's (src/Grad.Core/Cpu/Conv2dWinograd.cs; docs/convolution.md).
// WinogradProgram puts in front of this file TILE (m: 2 or 4), ALPHA (α = m + 2) and the
// one-dimensional transforms, written from the algorithm's matrices (WinogradMatrices):
// filter_1d (G), input_1d (Bᵀ), output_1d (Aᵀ) and the adjoints output_gradient_1d (A) and
// filter_gradient_1d (Gᵀ); each reads source[i·s] and writes target[i·t]. The kernels here take
// filters, input patches and output tiles to and from α² transform-domain matrices
// [ξ][row][column], ξ outermost, applying a transform down the columns, then along the rows; the
// α² batched GEMMs between them run on Gemm.cl.
// Tiles are numbered image by image, row by row; a tile's α×α input patch starts one cell above
// and left of its m×m output cells, and cells outside the plane read as zero (the padding, and
// the ragged edge of planes whose sides are not multiples of m).

#define POSITIONS (ALPHA * ALPHA)

// U[ξ][a][b] = (G·g·Gᵀ)[ξ] for the filter g from input channel b to output channel a, of
// (A, B, 3, 3) filters w; for the input gradient (flipped) g is w[b, a] of (B, A, 3, 3) filters,
// rotated by 180°. A work-item per filter.
__kernel void winograd_filter(__global const real* w, const int w_offset, __global real* u,
                              const int A, const int B, const int flipped)
{
    const int i = get_global_id(0);
    if (i >= A * B) return;
    const int a = i / B, b = i % B;
    __global const real* filter = w + w_offset + (flipped ? b * A + a : i) * 9;
    real g[9], columns[3 * ALPHA], result[POSITIONS];
    for (int k = 0; k < 9; k++) g[k] = filter[flipped ? 8 - k : k];
    for (int q = 0; q < 3; q++) filter_1d(g + q, 3, columns + q, 3);
    for (int r = 0; r < ALPHA; r++) filter_1d(columns + 3 * r, 1, result + ALPHA * r, 1);
    for (int xi = 0; xi < POSITIONS; xi++) u[xi * A * B + i] = result[xi];
}

// V[ξ][c][t] = (Bᵀ·d·B)[ξ] for every tile t of channel c of x (N, C, H, W). A work-item per
// (channel, tile), consecutive tiles side by side, so the stores are contiguous.
__kernel void winograd_input(__global const real* x, const int x_offset, __global real* v,
                             const int C, const int H, const int W, const int rows, const int columns, const int tiles)
{
    const int i = get_global_id(0);
    if (i >= C * tiles) return;
    const int c = i / tiles, t = i % tiles;
    const int n = t / (rows * columns), top = (t / columns) % rows * TILE - 1, left = t % columns * TILE - 1;
    __global const real* plane = x + x_offset + (n * C + c) * H * W;
    real d[POSITIONS], transformed[POSITIONS];
    for (int p = 0; p < ALPHA; p++)
    {
        const int h = top + p;
        for (int q = 0; q < ALPHA; q++)
        {
            const int w = left + q;
            d[ALPHA * p + q] = h >= 0 && h < H && w >= 0 && w < W ? plane[h * W + w] : 0;
        }
    }
    for (int q = 0; q < ALPHA; q++) input_1d(d + q, ALPHA, transformed + q, ALPHA);
    for (int r = 0; r < ALPHA; r++) input_1d(transformed + ALPHA * r, 1, d + ALPHA * r, 1);
    for (int xi = 0; xi < POSITIONS; xi++) v[xi * C * tiles + i] = d[xi];
}

// y's m×m tile t of channel o (y is (N, O, H, W)) = Aᵀ·M[·][o][t]·A; the cells of a tile that
// hangs over the plane's edge are dropped. A work-item per (channel, tile).
__kernel void winograd_output(__global const real* m, __global real* y,
                              const int O, const int H, const int W, const int rows, const int columns, const int tiles)
{
    const int i = get_global_id(0);
    if (i >= O * tiles) return;
    const int o = i / tiles, t = i % tiles;
    const int n = t / (rows * columns), top = (t / columns) % rows * TILE, left = t % columns * TILE;
    real values[POSITIONS], transformed[TILE * ALPHA], cells[TILE * TILE];
    for (int xi = 0; xi < POSITIONS; xi++) values[xi] = m[xi * O * tiles + i];
    for (int q = 0; q < ALPHA; q++) output_1d(values + q, ALPHA, transformed + q, ALPHA);
    for (int r = 0; r < TILE; r++) output_1d(transformed + ALPHA * r, 1, cells + TILE * r, 1);
    __global real* plane = y + (n * O + o) * H * W;
    for (int p = 0; p < TILE && top + p < H; p++)
    {
        for (int q = 0; q < TILE && left + q < W; q++) plane[(top + p) * W + left + q] = cells[TILE * p + q];
    }
}

// dM[ξ][o][t] = (A·dy·Aᵀ)[ξ] for tile t of channel o of the output gradient dy (N, O, H, W), the
// adjoint of winograd_output: cells past the plane's edge read as zero.
__kernel void winograd_output_gradient(__global const real* dy, const int dy_offset, __global real* dm,
                                       const int O, const int H, const int W, const int rows, const int columns, const int tiles)
{
    const int i = get_global_id(0);
    if (i >= O * tiles) return;
    const int o = i / tiles, t = i % tiles;
    const int n = t / (rows * columns), top = (t / columns) % rows * TILE, left = t % columns * TILE;
    __global const real* plane = dy + dy_offset + (n * O + o) * H * W;
    real cells[TILE * TILE], transformed[ALPHA * TILE], result[POSITIONS];
    for (int p = 0; p < TILE; p++)
    {
        for (int q = 0; q < TILE; q++)
            cells[TILE * p + q] = top + p < H && left + q < W ? plane[(top + p) * W + left + q] : 0;
    }
    for (int q = 0; q < TILE; q++) output_gradient_1d(cells + q, TILE, transformed + q, TILE);
    for (int r = 0; r < ALPHA; r++) output_gradient_1d(transformed + TILE * r, 1, result + ALPHA * r, 1);
    for (int xi = 0; xi < POSITIONS; xi++) dm[xi * O * tiles + i] = result[xi];
}

// dW[o, c] = Gᵀ·dU[·][o][c]·G, the adjoint of winograd_filter (unflipped), into dense (O, C, 3, 3)
// dw. A work-item per filter.
__kernel void winograd_filter_gradient(__global const real* du, __global real* dw, const int O, const int C)
{
    const int i = get_global_id(0);
    if (i >= O * C) return;
    real values[POSITIONS], transformed[3 * ALPHA], taps[9];
    for (int xi = 0; xi < POSITIONS; xi++) values[xi] = du[xi * O * C + i];
    for (int q = 0; q < ALPHA; q++) filter_gradient_1d(values + q, ALPHA, transformed + q, ALPHA);
    for (int r = 0; r < 3; r++) filter_gradient_1d(transformed + ALPHA * r, 1, taps + 3 * r, 1);
    for (int k = 0; k < 9; k++) dw[i * 9 + k] = taps[k];
}
