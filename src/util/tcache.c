/* tcache.c: see tcache.h. */
#include "tcache.h"
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t made = PTHREAD_MUTEX_INITIALIZER;

/* pthread keys carry no size: each table starts with its own */
static void drop(void *p) {
  size_t *n = p;
  explicit_bzero(p, *n);
  free(p);
}

void *tcache_get(tcache_t *c) {
  if (!atomic_load_explicit(&c->ready, memory_order_acquire)) {
    pthread_mutex_lock(&made);
    if (!atomic_load(&c->ready) && pthread_key_create(&c->key, drop) == 0) atomic_store_explicit(&c->ready, 1, memory_order_release);
    pthread_mutex_unlock(&made);
    if (!atomic_load(&c->ready)) return NULL;
  }
  size_t *p = pthread_getspecific(c->key);
  if (!p) {
    size_t head = (sizeof(size_t) + 15) & ~(size_t)15; /* the table stays 16-aligned */
    if (!(p = calloc(1, head + c->size))) return NULL;
    *p = head + c->size;
    if (pthread_setspecific(c->key, p) != 0) { free(p); return NULL; }
  }
  return (char *)p + ((sizeof(size_t) + 15) & ~(size_t)15);
}
