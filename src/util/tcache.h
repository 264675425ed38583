/* tcache.h: a thread's own cache table, made when the thread first asks for it and wiped and
   freed when the thread ends. A static thread-local costs every thread its size from the
   start; the threads that never render (hashing, sweeping) pay nothing for this one. */
#ifndef MEND_UTIL_TCACHE_H
#define MEND_UTIL_TCACHE_H
#include <pthread.h>
#include <stddef.h>

typedef struct { _Atomic int ready; pthread_key_t key; size_t size; } tcache_t;
#define TCACHE(bytes) {0, 0, (bytes)}
/* The calling thread's table of c->size bytes (zeroed when made), or NULL out of memory. */
void *tcache_get(tcache_t *c);

#endif
