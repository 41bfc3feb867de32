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

// The coordinates (at[0 … rank)) of linear index i in a row-major shape: a kernel reading several
// inputs of one shape divides once, then each input's offset is multiply-adds (offset_at).
inline void coordinates_of(int i, int rank, const int* dims, int* at)
{
    for (int d = rank - 1; d >= 0; d--)
    {
        at[d] = i % dims[d];
        i /= dims[d];
    }
}

inline int offset_at(int rank, const int* at, const int* strides)
{
    int offset = 0;
    for (int d = 0; d < rank; d++) offset += at[d] * strides[d];
    return offset;
}
