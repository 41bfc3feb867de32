// Max-pool over (planes, H, W) with padding counted as -inf. Within a window the first maximum in
// row-major order wins and a NaN beats any number, as on the CPU; `indices` holds h·W + w of the winner.
__kernel void max_pool(__global const real* x, const int x_offset, __global real* y, __global int* indices,
                       const int H, const int W, const int OH, const int OW,
                       const int KH, const int KW, const int SH, const int SW, const int PH, const int PW, const int total)
{
    const int i = get_global_id(0);
    if (i >= total) return;
    const int ow = i % OW, oh = (i / OW) % OH, plane = i / (OW * OH);
    __global const real* p = x + x_offset + plane * H * W;
    const int top = oh * SH - PH, left = ow * SW - PW;
    real best = -INFINITY;
    int winner = -1;
    for (int h = max(top, 0); h < min(top + KH, H); h++)
        for (int w = max(left, 0); w < min(left + KW, W); w++)
        {
            const real v = p[h * W + w];
            if (winner < 0 || (!isnan(best) && (v > best || isnan(v)))) { best = v; winner = h * W + w; }
        }
    y[i] = best;
    indices[i] = winner;
}

// One work-item per plane routes each output cell's gradient to its winner, in output order (as
// the CPU does), so overlapping windows add up without atomics and in a fixed order.
__kernel void max_pool_backward(__global const real* dy, const int dy_offset, __global const int* indices, const int indices_offset,
                                __global real* dx, const int plane_in, const int plane_out, const int planes)
{
    const int plane = get_global_id(0);
    if (plane >= planes) return;
    __global real* target = dx + plane * plane_in;
    for (int i = 0; i < plane_in; i++) target[i] = 0;
    const int first = plane * plane_out;
    for (int o = 0; o < plane_out; o++) target[indices[indices_offset + first + o]] += dy[dy_offset + first + o];
}
