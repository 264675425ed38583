/* prompts.c: see prompts.h. */
#include "prompts.h"
#include "plan.h"
#include "util/embed.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PROMPTS 1024
const char *const prompt_kinds[] = {"question", "truth", "checkin", "meeting", "appreciation", "agreement", NULL};

static prompt_t all[MAX_PROMPTS];
static int n_all, loaded = -1;
static char *text;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static uint32_t fnv(const char *s, uint64_t seed) {
  uint64_t h = 1469598103934665603ull ^ seed;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return (uint32_t)(h ^ h >> 32) | 1u; /* never 0: 0 means "no prompt" */
}

static int known(const char *w, const char *const *list) {
  for (int i = 0; list[i]; i++)
    if (!strcmp(w, list[i])) return 1;
  return 0;
}

static void load(void) {
  static const char *const phases[] = {"acknowledge", "safety", "consistency", "reconnect", "grow", "any", NULL};
  static const char *const paths[] = {"hurt", "broke", "any", NULL};
  const struct embed_file *f = embed_find(embed_content, "prompts.txt", 11);
  if (!f || !(text = malloc(f->len + 1))) return;
  memcpy(text, f->data, f->len + 1);
  for (char *line = text, *next; line && *line; line = next) {
    next = strchr(line, '\n');
    if (next) *next++ = 0;
    if (!*line || *line == '#') continue;
    char *colon = strstr(line, ": "), *a = strchr(line, ' '), *b = a ? strchr(a + 1, ' ') : NULL;
    if (!colon || !a || !b || b > colon || n_all == MAX_PROMPTS) return;
    *a = *b = *colon = 0;
    prompt_t *p = &all[n_all];
    *p = (prompt_t){fnv(colon + 2, 0), line, a + 1, b + 1, colon + 2};
    if (!known(p->kind, prompt_kinds) || !known(p->phase, phases) || !known(p->path, paths) || strlen(p->text) < 10) return;
    for (int k = 0; k < n_all; k++)
      if (all[k].id == p->id) return;
    n_all++;
  }
  loaded = n_all > 0 ? 0 : -1;
}

int prompts_init(void) {
  pthread_once(&once, load);
  return loaded;
}

int prompts_count(void) { return prompts_init() == 0 ? n_all : 0; }

const prompt_t *prompt_by_id(uint32_t id) {
  if (prompts_init() != 0) return NULL;
  for (int i = 0; i < n_all; i++)
    if (all[i].id == id) return &all[i];
  return NULL;
}

static int fits(const prompt_t *p, const char *kind, const char *phase, int path) {
  if (strcmp(p->kind, kind)) return 0;
  if (strcmp(p->phase, "any") && (!phase || strcmp(p->phase, phase))) return 0;
  if (!strcmp(p->path, "hurt")) return path != PATH_BROKE;
  if (!strcmp(p->path, "broke")) return path != PATH_HURT;
  return 1;
}

/* The viewer's order: by a hash of their id and the prompt's, so each partner has their own. */
typedef struct { uint32_t key; const prompt_t *p; } ranked;
static int by_key(const void *x, const void *y) {
  const ranked *a = x, *b = y;
  return (a->key > b->key) - (a->key < b->key);
}

const prompt_t *prompt_next(const char *kind, const char *phase, int path, int64_t viewer, int64_t day, uint32_t after, int *nfit) {
  *nfit = 0;
  if (prompts_init() != 0) return NULL;
  ranked r[MAX_PROMPTS];
  int n = 0;
  char key[24];
  for (int i = 0; i < n_all; i++)
    if (fits(&all[i], kind, phase, path)) {
      int k = 0;
      for (uint32_t v = all[i].id; k < 10; v /= 10) key[k++] = (char)('0' + v % 10);
      key[k] = 0;
      r[n++] = (ranked){fnv(key, (uint64_t)viewer), &all[i]};
    }
  *nfit = n;
  if (!n) return NULL;
  qsort(r, (size_t)n, sizeof *r, by_key);
  if (after)
    for (int i = 0; i < n; i++)
      if (r[i].p->id == after) return r[(i + 1) % n].p;
  /* the day's own (also for an `after` that no longer fits): the next each day */
  int64_t at = day % n;
  return r[at < 0 ? at + n : at].p;
}
