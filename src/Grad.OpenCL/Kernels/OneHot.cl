// (N,) int32 class indices to (N, classes) one-hot rows.
__kernel void one_hot(__global const int* indices, const int offset, __global real* y, const int classes, const int n)
{
    const int i = get_global_id(0);
    if (i < n) y[i] = indices[offset + i / classes] == i % classes ? 1 : 0;
}
