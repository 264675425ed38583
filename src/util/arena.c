/* arena.c: the command line's arena on malloc (the web's is the request's pool). */
#include "arena.h"
#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

/* Each block starts with the link to the one before, padded so what follows is aligned. */
typedef union block { union block *next; max_align_t align; } block;

static void *heap_alloc(arena_t *a, size_t n) {
  arena_heap *h = (arena_heap *)a;
  block *b = malloc(sizeof(block) + (n ? n : 1));
  if (!b) { fputs("mend: out of memory\n", stderr); abort(); }
  b->next = h->blocks;
  h->blocks = b;
  return b + 1;
}

void arena_heap_init(arena_heap *h) {
  h->base.alloc = heap_alloc;
  h->blocks = NULL;
}

void arena_heap_free(arena_heap *h) {
  for (block *b = h->blocks; b;) {
    block *next = b->next;
    free(b);
    b = next;
  }
  h->blocks = NULL;
}
