/* coach.c: reads the coach's rules and applies them to a text. A text is split into words
   (with contractions expanded, so "I'm" matches "i am"); each rule is a short word pattern
   indexed by its first word, so the work per word is one hash lookup and a few rules. */
#include "coach.h"
#include "util/embed.h"
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *names[COACH_IDS] = {
  "regret", "responsibility", "specific_harm", "empathy", "change", "repair", "forgiveness_request",
  "excuse", "blame_shift", "minimizing", "conditional", "defensive", "absolute", "contempt",
};

enum { T_WORD, T_PREFIX, T_ANY, T_GAP };
#define MAX_ALT 32
#define MAX_TOK 12
#define GAP_MAX 3

typedef struct {
  int kind, nalt;
  const char *alt[MAX_ALT];
  unsigned char altlen[MAX_ALT];
} ctok;

typedef struct {
  int id, veto, ntok;
  ctok tok[MAX_TOK];
} rule;

#define NBUCKET 1024
static struct {
  char *text;              /* the rules text, words point into it */
  rule *rules;
  int nrules;
  char *why[COACH_IDS];
  int *bucket[NBUCKET];    /* rule indexes by first word */
  int nbucket[NBUCKET];
  int *general;            /* rules whose first token is not a plain word */
  int ngeneral;
  int loaded;
} R;

const char *coach_name(int id) { return id >= 0 && id < COACH_IDS ? names[id] : "?"; }

static const char *labels[COACH_IDS] = {
  "saying sorry", "owning it", "naming the harm", "seeing their feelings", "what will change", "making it right",
  "asking forgiveness", "an excuse", "shifting the blame", "making it smaller", "a sorry with an if", "defending yourself",
  "always or never", "contempt",
};
const char *coach_label(int id) { return id >= 0 && id < COACH_IDS ? labels[id] : ""; }
const char *coach_why(int id) { return id >= 0 && id < COACH_IDS && R.why[id] ? R.why[id] : ""; }

static uint32_t hash_word(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

static uint32_t pair_hash(uint32_t a, uint32_t b) { return (a * 31u) ^ (b * 0x9E3779B1u) ^ 0x5bd1e995u; }

static int id_of(const char *s, size_t n) {
  for (int i = 0; i < COACH_IDS; i++)
    if (strlen(names[i]) == n && !memcmp(names[i], s, n)) return i;
  return -1;
}

static void add_bucket(int b, int r) {
  int *p = realloc(R.bucket[b], sizeof(int) * (size_t)(R.nbucket[b] + 1));
  if (!p) return;
  R.bucket[b] = p;
  p[R.nbucket[b]++] = r;
}

static void unload(void) {
  free(R.text);
  free(R.rules);
  for (int i = 0; i < NBUCKET; i++) free(R.bucket[i]);
  free(R.general);
  memset(&R, 0, sizeof R);
}

int coach_load(const char *rules, size_t len, char *err, size_t errlen) {
  unload();
  R.text = malloc(len + 1);
  if (!R.text) { snprintf(err, errlen, "out of memory"); return -1; }
  memcpy(R.text, rules, len);
  R.text[len] = 0;
  int cap = 0, lineno = 0;
  char *line = R.text;
  while (line && *line) {
    char *nl = strchr(line, '\n');
    if (nl) *nl = 0;
    lineno++;
    char *p = line;
    while (*p == ' ' || *p == '\t') p++;
    if (*p && *p != '#') {
      char *colon = strchr(p, ':');
      if (!colon) { snprintf(err, errlen, "rules line %d: no ':'", lineno); return -1; }
      *colon = 0;
      char *val = colon + 1;
      while (*val == ' ') val++;
      if (!strncmp(p, "why ", 4)) {
        int id = id_of(p + 4, strlen(p + 4));
        if (id < 0) { snprintf(err, errlen, "rules line %d: unknown id \"%s\"", lineno, p + 4); return -1; }
        R.why[id] = val;
      } else {
        int veto = *p == '-';
        if (veto) p++;
        int id = id_of(p, strlen(p));
        if (id < 0) { snprintf(err, errlen, "rules line %d: unknown id \"%s\"", lineno, p); return -1; }
        if (R.nrules == cap) {
          cap = cap ? cap * 2 : 256;
          rule *nr = realloc(R.rules, sizeof(rule) * (size_t)cap);
          if (!nr) { snprintf(err, errlen, "out of memory"); return -1; }
          R.rules = nr;
        }
        rule *r = &R.rules[R.nrules];
        memset(r, 0, sizeof *r);
        r->id = id;
        r->veto = veto;
        char *w = val;
        while (*w) {
          while (*w == ' ') w++;
          if (!*w) break;
          char *e = w;
          while (*e && *e != ' ') e++;
          if (*e) *e++ = 0;
          if (r->ntok == MAX_TOK) { snprintf(err, errlen, "rules line %d: more than %d words", lineno, MAX_TOK); return -1; }
          ctok *t = &r->tok[r->ntok++];
          if (!strcmp(w, "_")) t->kind = T_ANY;
          else if (!strcmp(w, "~")) t->kind = T_GAP;
          else {
            size_t wl = strlen(w);
            t->kind = w[wl - 1] == '*' ? T_PREFIX : T_WORD;
            if (t->kind == T_PREFIX) w[--wl] = 0;
            char *a = w;
            for (;;) {
              char *bar = strchr(a, '|');
              if (bar) *bar = 0;
              if (t->nalt == MAX_ALT) { snprintf(err, errlen, "rules line %d: too many alternatives", lineno); return -1; }
              for (char *c = a; *c; c++) if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
              t->alt[t->nalt] = a;
              t->altlen[t->nalt++] = (unsigned char)strlen(a);
              if (!bar) break;
              a = bar + 1;
            }
          }
          w = e;
        }
        if (!r->ntok || r->tok[0].kind == T_GAP) { snprintf(err, errlen, "rules line %d: a phrase starts with a word", lineno); return -1; }
        R.nrules++;
      }
    }
    line = nl ? nl + 1 : NULL;
  }
  for (int i = 0; i < R.nrules; i++) {
    ctok *t = &R.rules[i].tok[0], *t2 = R.rules[i].ntok > 1 ? &R.rules[i].tok[1] : NULL;
    if (t->kind == T_WORD && t2 && t2->kind == T_WORD) {
      /* indexed by its first two words: "i am", "i will" ... share a first word */
      for (int a = 0; a < t->nalt; a++)
        for (int b = 0; b < t2->nalt; b++)
          add_bucket((int)(pair_hash(hash_word(t->alt[a], t->altlen[a]), hash_word(t2->alt[b], t2->altlen[b])) % NBUCKET), i);
    } else if (t->kind == T_WORD) {
      for (int a = 0; a < t->nalt; a++) add_bucket((int)(hash_word(t->alt[a], t->altlen[a]) % NBUCKET), i);
    } else {
      int *g = realloc(R.general, sizeof(int) * (size_t)(R.ngeneral + 1));
      if (!g) { snprintf(err, errlen, "out of memory"); return -1; }
      R.general = g;
      g[R.ngeneral++] = i;
    }
  }
  R.loaded = 1;
  return 0;
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int init_rc = -1;
static void init_embedded(void) {
  const struct embed_file *f = embed_find(embed_content, "coach.rules", 11);
  char err[256];
  init_rc = f ? coach_load((const char *)f->data, f->len, err, sizeof err) : -1;
  if (init_rc) fprintf(stderr, "mend: coach rules: %s\n", f ? err : "missing");
}
int coach_init(void) {
  pthread_once(&once, init_embedded);
  return init_rc;
}

int coach_kind_parse(const char *s, size_t n, enum coach_kind *out) {
  if (n == 7 && !memcmp(s, "apology", 7)) { *out = COACH_APOLOGY; return 0; }
  if (n == 7 && !memcmp(s, "message", 7)) { *out = COACH_MESSAGE; return 0; }
  return -1;
}

/* ---- words ---- */

typedef struct { const char *w; unsigned short n; size_t start, end; } word;
typedef struct { word *v; int n, cap; char *norm; } words;

static int push(words *ws, const char *w, size_t n, size_t start, size_t end) {
  if (ws->n == ws->cap) return -1; /* sized up front; cannot happen */
  ws->v[ws->n++] = (word){w, (unsigned short)n, start, end};
  return 0;
}

static int endswith(const char *w, size_t n, const char *suf) {
  size_t k = strlen(suf);
  return n > k && !memcmp(w + n - k, suf, k);
}

/* Adds a word, expanding English contractions into two words over the same span. */
static void add_word(words *ws, const char *w, size_t n, size_t start, size_t end) {
  static const struct { const char *from, *a, *b; } special[] = {
    {"won't", "will", "not"}, {"can't", "can", "not"}, {"shan't", "shall", "not"}, {"ain't", "is", "not"},
    {"let's", "let", "us"}, {"it's", "it", "is"}, {"that's", "that", "is"}, {"what's", "what", "is"},
    {"he's", "he", "is"}, {"she's", "she", "is"}, {"there's", "there", "is"}, {"who's", "who", "is"},
  };
  for (size_t i = 0; i < sizeof special / sizeof special[0]; i++) {
    if (strlen(special[i].from) == n && !memcmp(special[i].from, w, n)) {
      push(ws, special[i].a, strlen(special[i].a), start, end);
      push(ws, special[i].b, strlen(special[i].b), start, end);
      return;
    }
  }
  static const struct { const char *suf, *word; } tails[] = {
    {"n't", "not"}, {"'m", "am"}, {"'re", "are"}, {"'ve", "have"}, {"'ll", "will"}, {"'d", "would"},
  };
  for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
    if (endswith(w, n, tails[i].suf)) {
      push(ws, w, n - strlen(tails[i].suf), start, end);
      push(ws, tails[i].word, strlen(tails[i].word), start, end);
      return;
    }
  }
  push(ws, w, n, start, end);
}

static int is_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '\'' || c >= 0x80;
}

/* Splits text into lower-cased words; the typographic apostrophe (U+2019) reads as '. */
static int split(const char *text, size_t n, words *ws) {
  ws->cap = (int)n + 8; /* at most one word per byte, doubled by expansion below n */
  ws->v = malloc(sizeof(word) * (size_t)ws->cap * 2);
  ws->cap *= 2;
  ws->norm = malloc(n + 1);
  ws->n = 0;
  if (!ws->v || !ws->norm) return -1;
  size_t i = 0;
  while (i < n) {
    unsigned char c0 = (unsigned char)text[i];
    if (c0 == '.' || c0 == '!' || c0 == '?') {
      /* sentence ends are words of their own ("."), once per run of marks */
      if (ws->n && !(ws->v[ws->n - 1].n == 1 && ws->v[ws->n - 1].w[0] == '.')) push(ws, ".", 1, i, i + 1);
      i++;
      continue;
    }
    if (!is_word_byte(c0)) { i++; continue; }
    size_t start = i, o = start;
    while (i < n && is_word_byte((unsigned char)text[i])) {
      unsigned char c = (unsigned char)text[i];
      if (c == 0xE2 && i + 2 < n && (unsigned char)text[i + 1] == 0x80 && (unsigned char)text[i + 2] == 0x99) {
        ws->norm[o++] = '\'';
        i += 3;
        continue;
      }
      ws->norm[o++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      i++;
    }
    /* quotes around a word are not part of it */
    size_t ws0 = start, we = o;
    while (ws0 < we && ws->norm[ws0] == '\'') ws0++;
    while (we > ws0 && ws->norm[we - 1] == '\'') we--;
    if (we > ws0 && we - ws0 < 65535) add_word(ws, ws->norm + ws0, we - ws0, start, i);
  }
  /* the end of the text ends a sentence too */
  if (ws->n && !(ws->v[ws->n - 1].n == 1 && ws->v[ws->n - 1].w[0] == '.')) push(ws, ".", 1, n, n);
  return 0;
}

static int tok_match(const ctok *t, const word *w) {
  if (t->kind == T_ANY) return 1;
  for (int a = 0; a < t->nalt; a++) {
    size_t l = t->altlen[a];
    if (t->kind == T_WORD ? (w->n == l && !memcmp(w->w, t->alt[a], l)) : (w->n >= l && !memcmp(w->w, t->alt[a], l)))
      return 1;
  }
  return 0;
}

/* Matches rule tokens from k at word i; returns the index past the last word, or -1. */
static int match_from(const rule *r, int k, const words *ws, int i) {
  if (k == r->ntok) return i;
  const ctok *t = &r->tok[k];
  if (t->kind == T_GAP) {
    for (int skip = 0; skip <= GAP_MAX && i + skip <= ws->n; skip++) {
      int e = match_from(r, k + 1, ws, i + skip);
      if (e >= 0) return e;
    }
    return -1;
  }
  if (i >= ws->n || !tok_match(t, &ws->v[i])) return -1;
  return match_from(r, k + 1, ws, i + 1);
}

typedef struct { int id, veto; int from, to; } hit;

static int cmp_finding(const void *a, const void *b) {
  const coach_finding *x = a, *y = b;
  if (x->start != y->start) return x->start < y->start ? -1 : 1;
  return x->id - y->id;
}

int coach_analyze(const char *text, size_t n, enum coach_kind kind, coach_result *r) {
  memset(r, 0, sizeof *r);
  r->kind = kind;
  if (coach_init() != 0) return -1;
  words ws = {0};
  if (split(text, n, &ws) != 0) { free(ws.v); free(ws.norm); return -1; }
  int cap = 64, nh = 0;
  hit *hits = malloc(sizeof(hit) * (size_t)cap);
  if (!hits) { free(ws.v); free(ws.norm); return -1; }
  uint32_t hnext = ws.n ? hash_word(ws.v[0].w, ws.v[0].n) : 0;
  for (int i = 0; i < ws.n; i++) {
    uint32_t h1 = hnext;
    hnext = i + 1 < ws.n ? hash_word(ws.v[i + 1].w, ws.v[i + 1].n) : 0;
    int b1 = (int)(h1 % NBUCKET), b2 = i + 1 < ws.n ? (int)(pair_hash(h1, hnext) % NBUCKET) : -1;
    for (int pass = 0; pass < 3; pass++) {
      /* one-word rules, two-word rules, rules that start with a pattern; a bucket shared by
         two keys is harmless: match_from checks every word */
      if (pass == 1 && (b2 < 0 || b2 == b1)) continue;
      const int *list = pass == 2 ? R.general : R.bucket[pass ? b2 : b1];
      int cnt = pass == 2 ? R.ngeneral : R.nbucket[pass ? b2 : b1];
      for (int k = 0; k < cnt; k++) {
        const rule *ru = &R.rules[list[k]];
        int e = match_from(ru, 0, &ws, i);
        if (e < 0) continue;
        if (nh == cap) {
          cap *= 2;
          hit *nhits = realloc(hits, sizeof(hit) * (size_t)cap);
          if (!nhits) { free(hits); free(ws.v); free(ws.norm); return -1; }
          hits = nhits;
        }
        hits[nh++] = (hit){ru->id, ru->veto, i, e};
      }
    }
  }
  /* a hit inside a veto of its id ("not sorry") does not count; vetoes are few */
  int nv = 0;
  hit *vetoes = malloc(sizeof(hit) * (size_t)(nh ? nh : 1));
  if (!vetoes) { free(hits); free(ws.v); free(ws.norm); return -1; }
  for (int h = 0; h < nh; h++)
    if (hits[h].veto) vetoes[nv++] = hits[h];
  int nf = 0, last[COACH_IDS];
  for (int i = 0; i < COACH_IDS; i++) last[i] = -1;
  r->findings = malloc(sizeof(coach_finding) * (size_t)(nh ? nh : 1));
  if (!r->findings) { free(vetoes); free(hits); free(ws.v); free(ws.norm); return -1; }
  for (int h = 0; h < nh; h++) {
    if (hits[h].veto) continue;
    int vetoed = 0;
    for (int v = 0; v < nv && !vetoed; v++)
      if (vetoes[v].id == hits[h].id && vetoes[v].from < hits[h].to && hits[h].from < vetoes[v].to) vetoed = 1;
    if (vetoed) continue;
    int id = hits[h].id;
    if (id < COACH_COMPONENTS) { r->components[id] = 1; continue; }
    int lastw = hits[h].to - 1;
    while (lastw > hits[h].from && ws.v[lastw].n == 1 && ws.v[lastw].w[0] == '.') lastw--;
    size_t s = ws.v[hits[h].from].start, e = ws.v[lastw].end;
    /* hits come in order of their first word, so only the newest finding of an id can overlap */
    coach_finding *x = last[id] >= 0 ? &r->findings[last[id]] : NULL;
    if (x && x->start < e && s < x->end) {
      if (e > x->end) x->end = e;
      continue;
    }
    last[id] = nf;
    r->findings[nf++] = (coach_finding){id, s, e};
  }
  r->nfindings = nf;
  qsort(r->findings, (size_t)nf, sizeof *r->findings, cmp_finding);
  free(vetoes);
  free(hits);
  free(ws.v);
  free(ws.norm);
  return 0;
}

void coach_free(coach_result *r) {
  free(r->findings);
  r->findings = NULL;
  r->nfindings = 0;
}

void coach_summary(const coach_result *r, sb_t *o) {
  int have = 0, seen[COACH_IDS] = {0};
  for (int i = 0; i < COACH_COMPONENTS; i++) have += r->components[i];
  for (int f = 0; f < r->nfindings; f++) seen[r->findings[f].id] = 1;
  if (r->kind == COACH_APOLOGY) {
    if (have == COACH_COMPONENTS) sb_puts(o, "This apology has every part of a full apology");
    else {
      sb_html(o, "This apology has %d of the 7 parts of a full apology (missing: ", have);
      int first = 1;
      for (int i = 0; i < COACH_COMPONENTS; i++)
        if (!r->components[i]) { sb_markup(o, "%r%r", first ? "" : ", ", labels[i]); first = 0; }
      sb_puts(o, ")");
    }
    if (!r->nfindings) sb_puts(o, ", and nothing in it works against it.");
    else {
      sb_plural(o, r->nfindings, ". %d thing in it may work against it: ", ". %d things in it may work against it: ", r->nfindings);
    }
  } else {
    if (!r->nfindings) sb_puts(o, "Nothing here tends to make a hard talk harder.");
    else sb_plural(o, r->nfindings, "%d thing here may land hard: ", "%d things here may land hard: ", r->nfindings);
  }
  if (r->nfindings) {
    int first = 1;
    for (int i = COACH_COMPONENTS; i < COACH_IDS; i++)
      if (seen[i]) { sb_markup(o, "%r%r", first ? "" : ", ", labels[i]); first = 0; }
    sb_puts(o, ".");
  }
}

void coach_json(const coach_result *r, const char *text, sb_t *o) {
  sb_json(o, "{\"kind\":%q,\"components\":{", r->kind == COACH_APOLOGY ? "apology" : "message");
  for (int i = 0; i < COACH_COMPONENTS; i++)
    sb_json(o, "%r%q:%r", i ? "," : "", names[i], r->components[i] ? "true" : "false");
  sb_puts(o, "},\"patterns\":[");
  for (int f = 0; f < r->nfindings; f++) {
    const coach_finding *x = &r->findings[f];
    sb_json(o, "%r{\"id\":%q,\"start\":%D,\"end\":%D,\"text\":\"%.*s\",\"why\":%q}", f ? "," : "", names[x->id],
            (int64_t)x->start, (int64_t)x->end, (int)(x->end - x->start), text + x->start, coach_why(x->id));
  }
  sb_puts(o, "],\"summary\":\"");
  sb_t s;
  sb_init(&s, 256);
  coach_summary(r, &s);
  sb_esc_json(o, s.buf, s.len);
  sb_free(&s);
  sb_puts(o, "\"}");
}
