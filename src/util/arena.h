/* arena.h: memory that lives as long as its owner and is never freed piece by piece. The web
   passes the request's pool (freed with the request); the command line a malloc arena freed at
   exit. A getter that returns text copies it here. Allocation failure aborts the process, as
   h2o does: no answer goes out with a row or a page silently cut short. */
#ifndef MEND_ARENA_H
#define MEND_ARENA_H
#include <stddef.h>
#include <string.h>

typedef struct arena { void *(*alloc)(struct arena *a, size_t n); } arena_t;

static inline void *arena_alloc(arena_t *a, size_t n) { return a->alloc(a, n); }
static inline char *arena_strndup(arena_t *a, const char *s, size_t n) {
  char *p = a->alloc(a, n + 1);
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}
static inline char *arena_strdup(arena_t *a, const char *s) { return arena_strndup(a, s, strlen(s)); }
/* Makes room for need elements of size bytes in an array kept in the arena (v, with *cap
   elements of room): returns the array, moved when it grew (the old block stays until the
   arena goes; arrays double, so that is at most as much again). */
static inline void *arena_grow(arena_t *a, void *v, size_t *cap, size_t size, size_t need) {
  if (need <= *cap) return v;
  size_t n = *cap ? *cap * 2 : 16;
  while (n < need) n *= 2;
  void *p = a->alloc(a, n * size);
  if (*cap) memcpy(p, v, *cap * size);
  *cap = n;
  return p;
}
/* Appends to an array {T *v; size_t n, cap;} kept in arena a. */
#define ARENA_PUSH(a, arr, item) \
  ((arr).v = arena_grow((a), (arr).v, &(arr).cap, sizeof *(arr).v, (arr).n + 1), (arr).v[(arr).n++] = (item))

/* An arena on malloc, for the command line: every block it gave is freed at once by
   arena_heap_free. */
typedef struct { arena_t base; void *blocks; } arena_heap;
void arena_heap_init(arena_heap *h);
void arena_heap_free(arena_heap *h);

#endif
