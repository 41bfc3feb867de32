// 3×3 convolution with stride 1 and padding 1 by Winograd's minimal filtering F(m×m, 3×3), the
// same algorithm as the CPU backend's (src/Grad.Core/Cpu/Conv2dWinograd.cs; docs/convolution.md):
// m = TILE (2 or 4, set per build with -D TILE=), α = ALPHA = m + 2. The transforms here take
// filters, input patches and output tiles to and from α² transform-domain matrices
// [ξ][row][column], ξ outermost; the α² batched GEMMs between them run on Gemm.cl.
// Tiles are numbered image by image, row by row; a tile's α×α input patch starts one cell above
// and left of its m×m output cells, and cells outside the plane read as zero (the padding, and
// the ragged edge of planes whose sides are not multiples of m).
//
// Each two-dimensional transform applies its one-dimensional one down the columns, then along
// the rows. A one-dimensional transform reads source[i·s] and writes target[i·t].

#if TILE == 2
#define ALPHA 4

// F(2×2, 3×3): Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1], G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1],
// Aᵀ = [1 1 1 0; 0 1 −1 −1].

// u = G·g
inline void filter_1d(const real* g, const int s, real* u, const int t)
{
    const real g0 = g[0], g1 = g[s], g2 = g[2 * s];
    u[0] = g0;
    u[t] = (g0 + g1 + g2) * (real)0.5;
    u[2 * t] = (g0 - g1 + g2) * (real)0.5;
    u[3 * t] = g2;
}

// v = Bᵀ·d
inline void input_1d(const real* d, const int s, real* v, const int t)
{
    const real d0 = d[0], d1 = d[s], d2 = d[2 * s], d3 = d[3 * s];
    v[0] = d0 - d2;
    v[t] = d1 + d2;
    v[2 * t] = d2 - d1;
    v[3 * t] = d1 - d3;
}

// y = Aᵀ·m
inline void output_1d(const real* m, const int s, real* y, const int t)
{
    const real m0 = m[0], m1 = m[s], m2 = m[2 * s], m3 = m[3 * s];
    y[0] = m0 + m1 + m2;
    y[t] = m1 - m2 - m3;
}

// dm = A·dy, the adjoint of output_1d
inline void output_gradient_1d(const real* dy, const int s, real* dm, const int t)
{
    const real y0 = dy[0], y1 = dy[s];
    dm[0] = y0;
    dm[t] = y0 + y1;
    dm[2 * t] = y0 - y1;
    dm[3 * t] = -y1;
}

// dg = Gᵀ·du, the adjoint of filter_1d
inline void filter_gradient_1d(const real* du, const int s, real* dg, const int t)
{
    const real u0 = du[0], u1 = du[s], u2 = du[2 * s], u3 = du[3 * s];
    const real sum = (u1 + u2) * (real)0.5;
    dg[0] = u0 + sum;
    dg[t] = (u1 - u2) * (real)0.5;
    dg[2 * t] = sum + u3;
}

#elif TILE == 4
#define ALPHA 6

// F(4×4, 3×3), the interpolation points 0, ±1, ±2 and ∞:
// Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0; 0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1],
// G = [¼ 0 0; −⅙ −⅙ −⅙; −⅙ ⅙ −⅙; 1⁄24 1⁄12 ⅙; 1⁄24 −1⁄12 ⅙; 0 0 1],
// Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 0; 0 1 1 4 4 0; 0 1 −1 8 −8 1].

inline void filter_1d(const real* g, const int s, real* u, const int t)
{
    const real sixth = (real)1 / (real)6;
    const real g0 = g[0], g1 = g[s], g2 = g[2 * s];
    const real outer = (g0 + g2) * sixth, middle = g1 * sixth;
    // Rows 3 and 4: g0/24 ± g1/12 + g2/6 = (g0/4 + g2)/6 ± g1/12.
    const real quarter_sum = (g0 * (real)0.25 + g2) * sixth, half_middle = middle * (real)0.5;
    u[0] = g0 * (real)0.25;
    u[t] = -(outer + middle);
    u[2 * t] = middle - outer;
    u[3 * t] = quarter_sum + half_middle;
    u[4 * t] = quarter_sum - half_middle;
    u[5 * t] = g2;
}

inline void input_1d(const real* d, const int s, real* v, const int t)
{
    const real d0 = d[0], d1 = d[s], d2 = d[2 * s], d3 = d[3 * s], d4 = d[4 * s], d5 = d[5 * s];
    const real even1 = d4 - 4 * d2, odd1 = d3 - 4 * d1;   // rows 1 and 2: d4 − 4·d2 ± (d3 − 4·d1)
    const real even2 = d4 - d2, odd2 = 2 * (d3 - d1);     // rows 3 and 4: d4 − d2 ± 2·(d3 − d1)
    v[0] = 4 * d0 - 5 * d2 + d4;
    v[t] = even1 + odd1;
    v[2 * t] = even1 - odd1;
    v[3 * t] = even2 + odd2;
    v[4 * t] = even2 - odd2;
    v[5 * t] = 4 * d1 - 5 * d3 + d5;
}

inline void output_1d(const real* m, const int s, real* y, const int t)
{
    const real m0 = m[0], m1 = m[s], m2 = m[2 * s], m3 = m[3 * s], m4 = m[4 * s], m5 = m[5 * s];
    const real sum12 = m1 + m2, difference12 = m1 - m2, sum34 = m3 + m4, difference34 = m3 - m4;
    y[0] = m0 + sum12 + sum34;
    y[t] = difference12 + 2 * difference34;
    y[2 * t] = sum12 + 4 * sum34;
    y[3 * t] = difference12 + 8 * difference34 + m5;
}

inline void output_gradient_1d(const real* dy, const int s, real* dm, const int t)
{
    const real y0 = dy[0], y1 = dy[s], y2 = dy[2 * s], y3 = dy[3 * s];
    const real even1 = y0 + y2, odd1 = y1 + y3;               // rows 1 and 2
    const real even2 = y0 + 4 * y2, odd2 = 2 * y1 + 8 * y3;   // rows 3 and 4
    dm[0] = y0;
    dm[t] = even1 + odd1;
    dm[2 * t] = even1 - odd1;
    dm[3 * t] = even2 + odd2;
    dm[4 * t] = even2 - odd2;
    dm[5 * t] = y3;
}

inline void filter_gradient_1d(const real* du, const int s, real* dg, const int t)
{
    const real sixth = (real)1 / (real)6;
    const real u0 = du[0], u1 = du[s], u2 = du[2 * s], u3 = du[3 * s], u4 = du[4 * s], u5 = du[5 * s];
    const real sum12 = u1 + u2, difference12 = u2 - u1, sum34 = u3 + u4, difference34 = u3 - u4;
    // The columns of G, as the rows of Gᵀ: (¼, −⅙, −⅙, 1⁄24, 1⁄24, 0), (0, −⅙, ⅙, 1⁄12, −1⁄12, 0),
    // (0, −⅙, −⅙, ⅙, ⅙, 1).
    dg[0] = u0 * (real)0.25 + (sum34 * (real)0.25 - sum12) * sixth;
    dg[t] = (difference12 + difference34 * (real)0.5) * sixth;
    dg[2 * t] = (sum34 - sum12) * sixth + u5;
}

#endif

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
