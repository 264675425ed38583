/* pq.c: loads libpq for pg.c (see pq.h). */
#define PQ_NO_MACROS /* the table's own names */
#include "pq.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

struct pq_api pq;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static char why[200];

static void load(void) {
  void *h = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    snprintf(why, sizeof why, "PostgreSQL needs libpq (Debian: libpq5): %s", dlerror());
    return;
  }
  struct pq_api t;
#define PQ_LOAD(f)                                                                                                     \
  if (!(*(void **)&t.f = dlsym(h, #f))) {                                                                              \
    snprintf(why, sizeof why, "PostgreSQL needs libpq 14 or newer (this one has no %s)", #f);                          \
    return;                                                                                                            \
  }
  PQ_FUNCS(PQ_LOAD)
#undef PQ_LOAD
  pq = t;
}

int pq_load(char *err, size_t errlen) {
  pthread_once(&once, load);
  if (pq.PQcmdStatus) return 0;
  snprintf(err, errlen, "%s", why);
  return -1;
}
