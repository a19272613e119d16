/*
 * What the benchmarks share: a monotonic clock, sizes in MiB, and removing a SQLite database
 * with the files beside it.
 */
#ifndef PW_BENCH_SUPPORT_BENCH_H
#define PW_BENCH_SUPPORT_BENCH_H

/** Seconds on the monotonic clock. */
double bench_now_s(void);
/** bytes in MiB. */
double bench_mib(long long bytes);
/** Removes the database at path and its -wal, -shm and -journal files; prog names the caller. */
void bench_db_remove(const char *path, const char *prog);

#endif
