/*
 * What the benchmarks share (bench.h).
 */
#include "bench.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

double
bench_now_s(void)
{
    struct timespec ts;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double
bench_mib(long long bytes)
{
    return (double)bytes / (1024.0 * 1024.0);
}

void
bench_db_remove(const char *path, const char *prog)
{
    static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        char p[4096];
        int w = snprintf(p, sizeof(p), "%s%s", path, suffixes[i]);
        if (w < 0 || (size_t)w >= sizeof(p)) {
            continue;
        }
        if (unlink(p) != 0 && errno != ENOENT) {
            fprintf(stderr, "%s: could not remove %s: %s\n", prog, p, strerror(errno));
        }
    }
}
