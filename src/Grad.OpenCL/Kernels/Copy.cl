// Gathers a strided tensor into a contiguous one: y[i] = x[offset + strided_offset(i)].
__kernel void copy_strided(__global const real* x, const int offset, __global real* y, const int yOffset,
                           const int n, const int rank, const int16 dims, const int16 strides)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    int d[16], s[16];
    vstore16(dims, 0, d);
    vstore16(strides, 0, s);
    y[yOffset + i] = x[offset + strided_offset(i, rank, d, s)];
}
