// Batched matrix products C[b] = op(A[b]) · op(B[b]) of row-major matrices, where op transposes
// when asked: A is (M, K), or (K, M) when trans_a; B is (K, N), or (N, K) when trans_b. A batch
// stride of 0 broadcasts an operand. With sum_batches, the batches are summed into one C (a
// convolution's weight gradient over images); with accumulate, C is added to rather than written.
//
// The tiled kernel is a register-blocked GEMM with its parameters (CLBlast's names) set per build:
// a work-group computes a TSM × TSN tile of C in steps of TSK along K, staging the tiles of A and B
// in local memory, each work-item a WPTM × WPTN block of it in registers. What makes it fast on a GPU:
// - operands are read from global memory four elements at a time, along whichever axis is
//   contiguous, so neighbouring work-items read neighbouring addresses in every transposition;
// - the next step's tiles are read into registers while this step's are multiplied;
// - a work-item's block is made of 4 × 4 pieces spread across the tile (piece p of row-work-item
//   tm holds rows 4·(p·RTSM + tm) …), so its local-memory reads are four-wide and neighbouring
//   work-items read neighbouring 16-byte words: no bank conflicts.
// It needs WPTM, WPTN and TSK to be multiples of 4 (GemmParameters.FitsOn checks).

#define GLUE(a, b) a##b
#define VECTOR(t, n) GLUE(t, n)
#define real4 VECTOR(real, 4)

#ifndef GEMM_COLUMNS
#define RTSM (TSM / WPTM)
#define RTSN (TSN / WPTN)
#define THREADS (RTSM * RTSN)
#define QUADS_A (TSM * TSK / 4)
#define QUADS_B (TSN * TSK / 4)
#define LOADS_A ((QUADS_A + THREADS - 1) / THREADS)
#define LOADS_B ((QUADS_B + THREADS - 1) / THREADS)

// Elements (row, column … column + 3) of a row-major rows × columns matrix, zeros outside it.
inline real4 load4(__global const real* p, const int row, const int column, const int rows, const int columns)
{
    __global const real* at = p + row * columns + column;
    if (row < rows && column + 3 < columns) return vload4(0, at);
    real4 v = 0;
    if (row < rows)
    {
        if (column < columns) v.s0 = at[0];
        if (column + 1 < columns) v.s1 = at[1];
        if (column + 2 < columns) v.s2 = at[2];
    }
    return v;
}

// This work-item's share of op(A)'s TSM × TSK tile at (m0, k0), four contiguous elements each:
// along K for A as stored (M, K), along M for a transposed A stored (K, M).
inline void fetch_a(real4* into, __global const real* a, const int trans, const int m0, const int k0,
                    const int M, const int K, const int tid)
{
    for (int u = 0; u < LOADS_A; u++)
    {
        const int l = tid + u * THREADS;
        if (l >= QUADS_A) break;
        into[u] = trans ? load4(a, k0 + l / (TSM / 4), m0 + l % (TSM / 4) * 4, K, M)
                        : load4(a, m0 + l / (TSK / 4), k0 + l % (TSK / 4) * 4, M, K);
    }
}

// Likewise for op(B)'s TSK × TSN tile at (k0, n0): along N for B as stored (K, N), along K for a
// transposed B stored (N, K).
inline void fetch_b(real4* into, __global const real* b, const int trans, const int k0, const int n0,
                    const int K, const int N, const int tid)
{
    for (int u = 0; u < LOADS_B; u++)
    {
        const int l = tid + u * THREADS;
        if (l >= QUADS_B) break;
        into[u] = trans ? load4(b, n0 + l / (TSK / 4), k0 + l % (TSK / 4) * 4, N, K)
                        : load4(b, k0 + l / (TSN / 4), n0 + l % (TSN / 4) * 4, K, N);
    }
}

// Writes fetched quads into a K-major local tile (tile[k][·] holds one k's row of `width` elements):
// a quad along the tile's rows is stored whole, a quad along K one element per row of the tile.
inline void stash(__local real* tile, const real4* from, const int along_k, const int width,
                  const int loads, const int quads, const int tid)
{
    for (int u = 0; u < loads; u++)
    {
        const int l = tid + u * THREADS;
        if (l >= quads) break;
        if (along_k)
        {
            const int i = l / (TSK / 4), k = l % (TSK / 4) * 4;
            tile[k * width + i] = from[u].s0;
            tile[(k + 1) * width + i] = from[u].s1;
            tile[(k + 2) * width + i] = from[u].s2;
            tile[(k + 3) * width + i] = from[u].s3;
        }
        else vstore4(from[u], 0, tile + l / (width / 4) * width + l % (width / 4) * 4);
    }
}

__kernel __attribute__((reqd_work_group_size(RTSM, RTSN, 1)))
void gemm_tiled(const int M, const int N, const int K,
                __global const real* A, const int a_offset, const int a_batch, const int trans_a,
                __global const real* B, const int b_offset, const int b_batch, const int trans_b,
                __global real* C, const int c_offset, const int c_batch,
                const int batches, const int sum_batches, const int accumulate)
{
    __local real4 a_tile[TSK][TSM / 4];
    __local real4 b_tile[TSK][TSN / 4];
    const int tm = get_local_id(0), tn = get_local_id(1), tid = tn * RTSM + tm;
    const int m0 = get_group_id(0) * TSM, n0 = get_group_id(1) * TSN;
    const int first = sum_batches ? 0 : get_group_id(2), last = sum_batches ? batches : first + 1;
    const int k_steps = (K + TSK - 1) / TSK, steps = (last - first) * k_steps;

    real4 acc[WPTM][WPTN / 4];
    for (int i = 0; i < WPTM; i++)
        for (int q = 0; q < WPTN / 4; q++) acc[i][q] = 0;

    // Step s multiplies batch first + s / k_steps at k0 = (s % k_steps) · TSK.
    real4 next_a[LOADS_A], next_b[LOADS_B];
    fetch_a(next_a, A + a_offset + first * a_batch, trans_a, m0, 0, M, K, tid);
    fetch_b(next_b, B + b_offset + first * b_batch, trans_b, 0, n0, K, N, tid);
    for (int s = 0; s < steps; s++)
    {
        stash((__local real*)a_tile, next_a, !trans_a, TSM, LOADS_A, QUADS_A, tid);
        stash((__local real*)b_tile, next_b, trans_b, TSN, LOADS_B, QUADS_B, tid);
        barrier(CLK_LOCAL_MEM_FENCE);
        if (s + 1 < steps)
        {
            const int batch = first + (s + 1) / k_steps, k0 = (s + 1) % k_steps * TSK;
            fetch_a(next_a, A + a_offset + batch * a_batch, trans_a, m0, k0, M, K, tid);
            fetch_b(next_b, B + b_offset + batch * b_batch, trans_b, k0, n0, K, N, tid);
        }
        #pragma unroll
        for (int kk = 0; kk < TSK; kk++)
        {
            real4 b_reg[WPTN / 4];
            for (int q = 0; q < WPTN / 4; q++) b_reg[q] = b_tile[kk][q * RTSN + tn];
            for (int p = 0; p < WPTM / 4; p++)
            {
                const real4 a_reg = a_tile[kk][p * RTSM + tm];
                for (int q = 0; q < WPTN / 4; q++)
                {
                    acc[4 * p][q] += a_reg.s0 * b_reg[q];
                    acc[4 * p + 1][q] += a_reg.s1 * b_reg[q];
                    acc[4 * p + 2][q] += a_reg.s2 * b_reg[q];
                    acc[4 * p + 3][q] += a_reg.s3 * b_reg[q];
                }
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    __global real* c = C + c_offset + (sum_batches ? 0 : first * c_batch);
    for (int i = 0; i < WPTM; i++)
    {
        const int m = m0 + 4 * (i / 4 * RTSM + tm) + i % 4;
        if (m >= M) continue;
        for (int q = 0; q < WPTN / 4; q++)
        {
            const int n = n0 + 4 * (q * RTSN + tn);
            __global real* at = c + m * N + n;
            real4 value = acc[i][q];
            if (n + 3 < N)
            {
                if (accumulate) value += vload4(0, at);
                vstore4(value, 0, at);
                continue;
            }
            real lanes[4];
            vstore4(value, 0, lanes);
            for (int l = 0; l < 4 && n + l < N; l++) at[l] = accumulate ? at[l] + lanes[l] : lanes[l];
        }
    }
}
#endif

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
#ifdef GEMM_COLUMNS
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
#endif
