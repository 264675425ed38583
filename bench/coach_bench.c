/* coach_bench: the coach's throughput in MB/s, in process (no start-up in the figure).
   Usage: coach_bench FILE [SECONDS]  analyses FILE (at most 64 KiB) as an apology, over and over. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "core/coach.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: coach_bench FILE [SECONDS]\n"); return 2; }
  FILE *f = fopen(argv[1], "rb");
  if (!f) { perror(argv[1]); return 1; }
  static char text[COACH_MAX_TEXT];
  size_t n = fread(text, 1, sizeof text, f);
  fclose(f);
  double secs = argc > 2 ? atof(argv[2]) : 2.0;
  if (coach_init() != 0) return 1;
  long runs = 0;
  double t0 = now(), t;
  sb_t out;
  sb_init(&out, 1 << 16);
  do {
    coach_result r;
    coach_analyze(text, n, COACH_APOLOGY, 0, &r);
    sb_reset(&out);
    coach_json(&r, text, &out);
    coach_free(&r);
    runs++;
    t = now();
  } while (t - t0 < secs);
  sb_free(&out);
  printf("%.1f MB/s (%zu bytes x %ld runs in %.2f s)\n", (double)n * (double)runs / (t - t0) / 1e6, n, runs, t - t0);
  return 0;
}
