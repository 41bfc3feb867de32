// Definitions every Grad program shares. `real` is the element type, set per build with
// -D real=float or -D real=double (with -D GRAD_FP64, which enables doubles).
#ifdef GRAD_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

// The element offset of linear index i of a layout (dims, strides) of the given rank.
inline int strided_offset(int i, int rank, const int* dims, const int* strides)
{
    int offset = 0;
    for (int d = rank - 1; d >= 0; d--)
    {
        offset += (i % dims[d]) * strides[d];
        i /= dims[d];
    }
    return offset;
}
