/* word_diff.c: see word_diff.h. */
#include "word_diff.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct { const char *at; size_t n; } word;

static int is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

/* A text's words, each with the spaces after it (leading spaces are a word of their own). */
static size_t split(const char *s, word *out, size_t cap) {
  size_t n = 0;
  while (*s) {
    const char *b = s;
    while (*s && !is_space(*s)) s++;
    while (*s && is_space(*s)) s++;
    if (n < cap) out[n] = (word){b, (size_t)(s - b)};
    n++;
  }
  return n;
}

static size_t count(const char *s) { return split(s, NULL, 0); }

/* Words compare without their trailing spaces, so a changed line break is not a change. */
static int same(const word *x, const word *y) {
  size_t a = x->n, b = y->n;
  while (a && is_space(x->at[a - 1])) a--;
  while (b && is_space(y->at[b - 1])) b--;
  return a == b && !memcmp(x->at, y->at, a);
}

/* Runs of one op are handed on whole. */
typedef struct { wd_each cb; void *ctx; enum wd_op op; const char *at; size_t n; } run;
static void put(run *r, enum wd_op op, const word *w) {
  if (r->n && r->op == op && r->at + r->n == w->at) { r->n += w->n; return; }
  if (r->n) r->cb(r->ctx, r->op, r->at, r->n);
  *r = (run){r->cb, r->ctx, op, w->at, w->n};
}

int word_diff(const char *a, const char *b, wd_each cb, void *ctx) {
  size_t na = count(a), nb = count(b);
  if (na > WD_MAX_WORDS || nb > WD_MAX_WORDS) {
    if (*a) cb(ctx, WD_REMOVED, a, strlen(a));
    if (*b) cb(ctx, WD_ADDED, b, strlen(b));
    return 0;
  }
  word *wa = malloc((na + 1) * sizeof *wa), *wb = malloc((nb + 1) * sizeof *wb);
  /* lcs[i][j]: the longest common run of words from a's i-th and b's j-th on */
  uint16_t *lcs = calloc((na + 1) * (nb + 1), sizeof *lcs);
  if (!wa || !wb || !lcs) { free(wa); free(wb); free(lcs); return -1; }
  split(a, wa, na);
  split(b, wb, nb);
#define L(i, j) lcs[(size_t)(i) * (nb + 1) + (j)]
  for (size_t i = na; i-- > 0;)
    for (size_t j = nb; j-- > 0;)
      L(i, j) = same(&wa[i], &wb[j]) ? (uint16_t)(L(i + 1, j + 1) + 1) : L(i + 1, j) >= L(i, j + 1) ? L(i + 1, j) : L(i, j + 1);
  run r = {cb, ctx, WD_SAME, NULL, 0};
  size_t i = 0, j = 0;
  while (i < na || j < nb) {
    if (i < na && j < nb && same(&wa[i], &wb[j])) { put(&r, WD_SAME, &wb[j]); i++; j++; }
    else if (i < na && (j == nb || L(i + 1, j) >= L(i, j + 1))) put(&r, WD_REMOVED, &wa[i++]); /* what went, first */
    else put(&r, WD_ADDED, &wb[j++]);
  }
#undef L
  if (r.n) cb(ctx, r.op, r.at, r.n);
  free(wa);
  free(wb);
  free(lcs);
  return 0;
}
