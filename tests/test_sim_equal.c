/* test_sim_equal.c: the regression that is the point of the two engines.
 * 1,000+ random GEMM programs (M, K, N, R, C, load width, accumulator
 * depth), edge cases first, each compiled and run on the cycle-accurate
 * simulator (AVX2 and scalar kernels), the functional executor and the
 * timing model: identical cycles and counters, accumulators identical to
 * the golden model. Arrays are small so that the suite stays fast under
 * the sanitizers; a few larger ones follow. */
#include "sim_test_util.h"

typedef struct shape {
    int64_t M, K, N;
    int32_t R, C, L, acc;
    int wmode, amode;
} shape;

static int failures_shown;

static void check_one(const shape *s, uint64_t *rng)
{
    sa35_arch a;
    sa35_arch_default(&a);
    a.rows = s->R, a.cols = s->C, a.load_rows = s->L, a.acc_rows = s->acc;
    sa35_qweights q = {0};
    simt_weights(&q, s->K, s->N, s->wmode, rng);
    int8_t *A = malloc((size_t)(s->M * s->K));
    simt_acts(A, s->M * s->K, s->amode, rng);
    simt_result r;
    sa35_err err;
    int rc = simt_run(&a, A, s->M, &q, 1, &r, &err);
    size_t n = (size_t)(s->M * s->N) * sizeof(int32_t);
    int ok = rc == 0 && !memcmp(r.acc_sim, r.acc_golden, n) &&
             !memcmp(r.acc_scalar, r.acc_golden, n) &&
             !memcmp(r.acc_func, r.acc_golden, n) &&
             simt_same_counters(&r.sim, &r.timing) &&
             simt_same_counters(&r.sim_scalar, &r.timing) &&
             simt_same_activity(&r.sim, &r.sim_scalar);
    CHECK_MSG(ok, "M=%lld K=%lld N=%lld on %dx%d L=%d acc=%d: %s "
                  "(cycles sim %llu timing %llu)",
              (long long)s->M, (long long)s->K, (long long)s->N, s->R, s->C,
              s->L, s->acc, rc ? err.msg : "mismatch",
              (unsigned long long)r.sim.cycles,
              (unsigned long long)r.timing.cycles);
    if (!ok && failures_shown++ < 3 && !rc)
        fprintf(stderr, "  acc sim==golden %d scalar %d func %d, counters "
                        "%d, activity %d\n",
                !memcmp(r.acc_sim, r.acc_golden, n),
                !memcmp(r.acc_scalar, r.acc_golden, n),
                !memcmp(r.acc_func, r.acc_golden, n),
                simt_same_counters(&r.sim, &r.timing),
                simt_same_activity(&r.sim, &r.sim_scalar));
    simt_free(&r);
    free(A);
    sa35_qweights_free(&q);
}

int main(void)
{
    uint64_t rng = 35;
    static const shape edges[] = {
        /* M  K   N   R  C  L acc w a */
        {1, 1, 1, 1, 1, 1, 2, 0, 0},      /* the smallest everything     */
        {1, 16, 1, 1, 1, 1, 2, 1, 1},     /* -128 x -8 on a 1x1 array    */
        {3, 7, 5, 4, 4, 1, 8, 1, 1},      /* K < 16, odd                 */
        {5, 17, 3, 8, 4, 2, 16, 0, 0},    /* K not a multiple of 16      */
        {2, 40, 9, 4, 8, 1, 16, 0, 0},    /* K not a multiple of 2R      */
        {4, 8, 3, 4, 8, 4, 16, 0, 0},     /* one tile, N < C, L = R      */
        {9, 50, 4, 16, 2, 3, 8, 0, 0},    /* tall array, M blocks        */
        {6, 9, 70, 2, 16, 1, 4, 1, 1},    /* wide array, acc of 2 rows   */
        {1, 300, 40, 8, 8, 1, 64, 0, 0},  /* decode: M = 1               */
        {33, 64, 24, 8, 8, 8, 64, 1, 1},  /* worst corner, several tiles */
    };
    size_t ne = sizeof edges / sizeof edges[0];
    for (size_t i = 0; i < ne; i++)
        check_one(&edges[i], &rng);
    int count = (int)ne;
    for (; count < 1000; count++) {
        shape s;
        s.R = (int32_t)test_rand_range(&rng, 1, 16);
        s.C = (int32_t)test_rand_range(&rng, 1, 16);
        s.L = (int32_t)test_rand_range(&rng, 1, s.R);
        s.acc = 2 * (int32_t)test_rand_range(&rng, 1, 24);
        /* mostly small, one in four up to several M blocks and tiles */
        int64_t big = test_rand_range(&rng, 0, 3) == 0;
        s.M = test_rand_range(&rng, 1, big ? 80 : 12);
        s.K = test_rand_range(&rng, 1, big ? 260 : 40);
        s.N = test_rand_range(&rng, 1, big ? 70 : 24);
        s.wmode = test_rand_range(&rng, 0, 15) == 0;
        s.amode = s.wmode && test_rand_range(&rng, 0, 1);
        check_one(&s, &rng);
    }
    /* a few larger arrays, the default among them */
    static const shape big[] = {
        {20, 300, 70, 64, 64, 1, 4096, 0, 0},
        {3, 700, 330, 320, 320, 1, 4096, 0, 0},
        {2, 200, 40, 100, 17, 7, 4096, 1, 1},
    };
    for (size_t i = 0; i < sizeof big / sizeof big[0]; i++, count++)
        check_one(&big[i], &rng);
    fprintf(stderr, "%d programs\n", count);
    return TEST_DONE();
}
