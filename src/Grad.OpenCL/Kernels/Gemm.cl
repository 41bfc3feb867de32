// Batched matrix products C[b] = op(A[b]) · op(B[b]) of row-major matrices, where op transposes
// when asked: A is (M, K), or (K, M) when trans_a; B is (K, N), or (N, K) when trans_b. A batch
// stride of 0 broadcasts an operand. With sum_batches, the batches are summed into one C (a
// convolution's weight gradient over images); with accumulate, C is added to rather than written.
//
// The tiled kernel is the classic register-blocked GEMM with its CLBlast-style parameters set per
// build: a work-group computes a TSM × TSN tile of C in steps of TSK along K, staging the tiles of
// A and B in local memory; each work-item keeps a WPTM × WPTN block of C in registers.

#define RTSM (TSM / WPTM)
#define RTSN (TSN / WPTN)

inline real load_a(__global const real* a, const int trans, const int m, const int k, const int M, const int K)
{
    return m < M && k < K ? a[trans ? k * M + m : m * K + k] : 0;
}

inline real load_b(__global const real* b, const int trans, const int k, const int n, const int K, const int N)
{
    return k < K && n < N ? b[trans ? n * K + k : k * N + n] : 0;
}

__kernel __attribute__((reqd_work_group_size(RTSM, RTSN, 1)))
void gemm_tiled(const int M, const int N, const int K,
                __global const real* A, const int a_offset, const int a_batch, const int trans_a,
                __global const real* B, const int b_offset, const int b_batch, const int trans_b,
                __global real* C, const int c_offset, const int c_batch,
                const int batches, const int sum_batches, const int accumulate)
{
    __local real a_tile[TSK][TSM + PAD];
    __local real b_tile[TSK][TSN + PAD];
    const int tm = get_local_id(0), tn = get_local_id(1), tid = tn * RTSM + tm;
    const int m0 = get_group_id(0) * TSM, n0 = get_group_id(1) * TSN;
    const int first = sum_batches ? 0 : get_group_id(2), last = sum_batches ? batches : first + 1;

    real acc[WPTM][WPTN];
    for (int wm = 0; wm < WPTM; wm++)
        for (int wn = 0; wn < WPTN; wn++) acc[wm][wn] = 0;

    for (int batch = first; batch < last; batch++)
    {
        __global const real* a = A + a_offset + batch * a_batch;
        __global const real* b = B + b_offset + batch * b_batch;
        for (int k0 = 0; k0 < K; k0 += TSK)
        {
            // Neighbouring work-items load neighbouring addresses: along M for a transposed A, along K otherwise.
            for (int l = tid; l < TSM * TSK; l += RTSM * RTSN)
            {
                const int mm = trans_a ? l % TSM : l / TSK, kk = trans_a ? l / TSM : l % TSK;
                a_tile[kk][mm] = load_a(a, trans_a, m0 + mm, k0 + kk, M, K);
            }
            for (int l = tid; l < TSN * TSK; l += RTSM * RTSN)
            {
                const int nn = trans_b ? l / TSK : l % TSN, kk = trans_b ? l % TSK : l / TSN;
                b_tile[kk][nn] = load_b(b, trans_b, k0 + kk, n0 + nn, K, N);
            }
            barrier(CLK_LOCAL_MEM_FENCE);
            for (int kk = 0; kk < TSK; kk++)
            {
                real b_reg[WPTN];
                for (int wn = 0; wn < WPTN; wn++) b_reg[wn] = b_tile[kk][tn + wn * RTSN];
                for (int wm = 0; wm < WPTM; wm++)
                {
                    const real a_reg = a_tile[kk][tm + wm * RTSM];
                    for (int wn = 0; wn < WPTN; wn++) acc[wm][wn] += a_reg * b_reg[wn];
                }
            }
            barrier(CLK_LOCAL_MEM_FENCE);
        }
    }

    __global real* c = C + c_offset + (sum_batches ? 0 : first * c_batch);
    for (int wm = 0; wm < WPTM; wm++)
    {
        const int m = m0 + tm + wm * RTSM;
        if (m >= M) continue;
        for (int wn = 0; wn < WPTN; wn++)
        {
            const int n = n0 + tn + wn * RTSN;
            if (n < N) c[m * N + n] = accumulate ? c[m * N + n] + acc[wm][wn] : acc[wm][wn];
        }
    }
}

// One work-item per element of C: for products too small or thin to fill a tile.
__kernel void gemm_direct(const int M, const int N, const int K,
                          __global const real* A, const int a_offset, const int a_batch, const int trans_a,
                          __global const real* B, const int b_offset, const int b_batch, const int trans_b,
                          __global real* C, const int c_offset, const int c_batch,
                          const int batches, const int sum_batches, const int accumulate)
{
    const int i = get_global_id(0);
    const int outputs = sum_batches ? M * N : batches * M * N;
    if (i >= outputs) return;
    const int n = i % N, m = (i / N) % M, own = i / (M * N);
    const int first = sum_batches ? 0 : own, last = sum_batches ? batches : own + 1;
    real acc = 0;
    for (int batch = first; batch < last; batch++)
    {
        __global const real* a = A + a_offset + batch * a_batch;
        __global const real* b = B + b_offset + batch * b_batch;
        for (int k = 0; k < K; k++)
            acc += a[trans_a ? k * M + m : m * K + k] * b[trans_b ? n * K + k : k * N + n];
    }
    __global real* c = C + c_offset + (sum_batches ? 0 : own * c_batch) + m * N + n;
    *c = accumulate ? *c + acc : acc;
}

// For CPU drivers (PoCL), where a work-group is a loop on one core: each work-item computes a
// WPTM × WPTN block of C with WPTN-wide vector registers (B's rows are read as vectors, A's
// elements broadcast), so the SIMD width comes from the vector type rather than from the driver.
// Needs B as (K, N) (the backend transposes it first where it is not); no local memory, no barriers.
#define GLUE(a, b) a##b
#define VECTOR(t, n) GLUE(t, n)
#define realN VECTOR(real, WPTN)
#define vloadN VECTOR(vload, WPTN)
#define vstoreN VECTOR(vstore, WPTN)

__kernel void gemm_columns(const int M, const int N, const int K,
                           __global const real* A, const int a_offset, const int a_batch, const int trans_a,
                           __global const real* B, const int b_offset, const int b_batch, const int trans_b,
                           __global real* C, const int c_offset, const int c_batch,
                           const int batches, const int sum_batches, const int accumulate)
{
    const int n0 = get_global_id(0) * WPTN, m0 = get_global_id(1) * WPTM, own = get_global_id(2);
    if (n0 >= N || m0 >= M) return;
    const int first = sum_batches ? 0 : own, last = sum_batches ? batches : own + 1;
    const bool whole = n0 + WPTN <= N;
    const int step_m = trans_a ? 1 : K, step_k = trans_a ? M : 1;
    int rows[WPTM];
    for (int wm = 0; wm < WPTM; wm++) rows[wm] = min(m0 + wm, M - 1) * step_m;
    realN acc[WPTM];
    for (int wm = 0; wm < WPTM; wm++) acc[wm] = 0;
    for (int batch = first; batch < last; batch++)
    {
        __global const real* a = A + a_offset + batch * a_batch;
        __global const real* b = B + b_offset + batch * b_batch + n0;
        for (int k = 0; k < K; k++)
        {
            realN bv;
            if (whole) bv = vloadN(0, b + k * N);
            else
            {
                real lanes[WPTN];
                for (int l = 0; l < WPTN; l++) lanes[l] = n0 + l < N ? b[k * N + l] : 0;
                bv = vloadN(0, lanes);
            }
            for (int wm = 0; wm < WPTM; wm++) acc[wm] += a[rows[wm] + k * step_k] * bv;
        }
    }
    __global real* c = C + c_offset + (sum_batches ? 0 : own * c_batch) + n0;
    for (int wm = 0; wm < WPTM && m0 + wm < M; wm++)
    {
        __global real* row = c + (m0 + wm) * N;
        real lanes[WPTN];
        vstoreN(acc[wm], 0, lanes);
        for (int l = 0; l < WPTN && n0 + l < N; l++) row[l] = accumulate ? row[l] + lanes[l] : lanes[l];
    }
}
