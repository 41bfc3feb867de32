// Reductions of a contiguous tensor viewed as (outer, reduced, inner) into (outer, inner).

// The maximum that propagates NaN and orders -0 below +0, as the CPU's reductions do (fmax does neither).
inline real max_of(real a, real b) { return isnan(a) || isnan(b) ? a + b : (a > b || (a == b && !signbit(a))) ? a : b; }

// One work-item per output element: it walks the reduced axis, neighbours reading neighbours
// (coalesced when inner > 1; used for short rows when inner == 1).
__kernel void reduce_strided(__global const real* x, const int offset, __global real* y,
                             const int outer, const int reduced, const int inner, const int is_max, const real scale)
{
    const int j = get_global_id(0);
    if (j >= outer * inner) return;
    __global const real* p = x + offset + (j / inner) * reduced * inner + j % inner;
    real acc = is_max ? -INFINITY : 0;
    for (int r = 0; r < reduced; r++) acc = is_max ? max_of(acc, p[r * inner]) : acc + p[r * inner];
    y[j] = acc * scale;
}

// Long rows (inner == 1): `parts` work-groups per row, each a strided partial per work-item and
// then a tree in local memory, writing y[row * parts + part]. With parts > 1 the backend reduces
// those partials in a second pass (parts = 1), so a single long row still fills the device.
__kernel void reduce_rows(__global const real* x, const int offset, __global real* y,
                          const int reduced, const int parts, const int is_max, const real scale, __local real* partial)
{
    const int group = get_group_id(0), lid = get_local_id(0), size = get_local_size(0);
    const int row = group / parts, part = group % parts;
    __global const real* p = x + offset + row * reduced;
    real acc = is_max ? -INFINITY : 0;
    for (int r = part * size + lid; r < reduced; r += size * parts) acc = is_max ? max_of(acc, p[r]) : acc + p[r];
    partial[lid] = acc;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int step = size / 2; step > 0; step /= 2)
    {
        if (lid < step) partial[lid] = is_max ? max_of(partial[lid], partial[lid + step]) : partial[lid] + partial[lid + step];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) y[group] = partial[0] * scale;
}

// Index of the first maximum along the reduced axis; NaN counts as the maximum (the first NaN wins).
__kernel void argmax(__global const real* x, const int offset, __global int* y, const int outer, const int reduced, const int inner)
{
    const int j = get_global_id(0);
    if (j >= outer * inner) return;
    __global const real* p = x + offset + (j / inner) * reduced * inner + j % inner;
    int best = 0;
    real value = p[0];
    for (int r = 1; r < reduced && !isnan(value); r++)
    {
        const real v = p[r * inner];
        if (v > value || isnan(v)) { best = r; value = v; }
    }
    y[j] = best;
}

// Softmax or log-softmax along the middle axis, one work-item per (outer, inner) line. The
// maximum is subtracted first, so exp never overflows.
__kernel void softmax(__global const real* x, const int offset, __global real* y,
                      const int outer, const int size, const int inner, const int take_log)
{
    const int j = get_global_id(0);
    if (j >= outer * inner) return;
    const int start = (j / inner) * size * inner + j % inner;
    __global const real* p = x + offset + start;
    __global real* q = y + start;
    real m = p[0];
    for (int r = 1; r < size; r++) m = max_of(m, p[r * inner]);
    real sum = 0;
    for (int r = 0; r < size; r++) sum += exp(p[r * inner] - m);
    const real log_sum = log(sum);
    for (int r = 0; r < size; r++)
    {
        const real shifted = p[r * inner] - m;
        q[r * inner] = take_log ? shifted - log_sum : exp(shifted) / sum;
    }
}
