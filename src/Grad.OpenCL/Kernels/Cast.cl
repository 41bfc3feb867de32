// Element conversion of a contiguous tensor from SOURCE to TARGET with CONVERT (set per build):
// float to int truncates towards zero and saturates (NaN becomes 0), as the CPU backend does.
__kernel void cast(__global const SOURCE* x, const int offset, __global TARGET* y, const int n)
{
    const int i = get_global_id(0);
    if (i < n) y[i] = CONVERT(x[offset + i]);
}
