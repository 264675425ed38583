/* coach.c: reads the coach's rules and applies them to a text. A text is split into words,
   folded to lower case without accents (so "Désolé" and "desole" read alike) and with English
   contractions and French elisions expanded ("I'm" reads "i am", "j'ai" "je ai"); each rule is
   a short word pattern indexed by its first words, so the work per word is one hash lookup and
   a few rules. Each language has its own rules (content/coach.LANG.rules); the reasons shown
   with a finding are the English file's, translated through the catalogues. */
#include "coach.h"
#include "util/embed.h"
#include "util/i18n.h"
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

/* A token's alternatives live in its ruleset's pool (alts, altlens), which is what keeps four
   languages' rules small: alt and altlen point into it once the rules are read. */
typedef struct {
  int kind, nalt, first;
  const char *const *alt;
  const unsigned char *altlen;
} ctok;

typedef struct {
  int id, veto, ntok;
  ctok tok[MAX_TOK];
} rule;

#define NBUCKET 1024
typedef struct {
  char *text;              /* the rules text, words point into it */
  rule *rules;
  int nrules;
  char *why[COACH_IDS];
  int *bucket[NBUCKET];    /* rule indexes by first word */
  int nbucket[NBUCKET];
  int *general;            /* rules whose first token is not a plain word */
  int ngeneral;
  const char **alts;       /* every token's alternatives, a token's side by side */
  unsigned char *altlens;
  int nalts, capalts;
  int loaded;
} ruleset;

static ruleset sets[COACH_LANGS];
static const char *codes[COACH_LANGS] = {I18N_CODES};

const char *coach_name(int id) { return id >= 0 && id < COACH_IDS ? names[id] : "?"; }

static const char *labels[COACH_IDS] = {
  N_("saying sorry"), N_("owning it"), N_("naming the harm"), N_("seeing their feelings"), N_("what will change"),
  N_("making it right"), N_("asking forgiveness"), N_("an excuse"), N_("shifting the blame"), N_("making it smaller"),
  N_("a sorry with an if"), N_("defending yourself"), N_("always or never"), N_("contempt"),
};
const char *coach_label(int id) { return id >= 0 && id < COACH_IDS ? _(labels[id]) : ""; }
const char *coach_why(int id) { return id >= 0 && id < COACH_IDS && sets[0].why[id] ? _(sets[0].why[id]) : ""; }

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

static void add_bucket(ruleset *R, int b, int r) {
  int *p = realloc(R->bucket[b], sizeof(int) * (size_t)(R->nbucket[b] + 1));
  if (!p) return;
  R->bucket[b] = p;
  p[R->nbucket[b]++] = r;
}

static void unload(ruleset *R) {
  free(R->text);
  free(R->rules);
  for (int i = 0; i < NBUCKET; i++) free(R->bucket[i]);
  free(R->general);
  free(R->alts);
  free(R->altlens);
  memset(R, 0, sizeof *R);
}

/* What the bytes at t[i] read as, for matching: part of a word, folded to ASCII lower case
   without accents ("É" is "e", "ß" "ss", "œ" "oe"; other letters stay as they are), written to
   out (returns 1 or 2 bytes); a separator (0), such as «, ¿, a dash or a quote; or the end of
   a sentence (-1). *used is how many bytes of t were read. */
static int fold_at(const unsigned char *t, size_t n, size_t i, size_t *used, char out[2]) {
  unsigned char c = t[i];
  *used = 1;
  if (c == '.' || c == '!' || c == '?') return -1;
  if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '\'') { out[0] = (char)c; return 1; }
  if (c >= 'A' && c <= 'Z') { out[0] = (char)(c - 'A' + 'a'); return 1; }
  if (c < 0x80) return 0;
  unsigned char d = i + 1 < n ? t[i + 1] : 0;
  if (c == 0xC2) { *used = 2; return 0; } /* no-break space, ¡ ¿ « » and the other signs of Latin-1 */
  if (c == 0xC3 && d >= 0x80 && d <= 0xBF) {
    /* Latin-1's letters, upper (0x80-0x9E) and lower (0xA0-0xBF) case alike */
    static const char base[] = "aaaaaaaceeeeiiiidnooooo*ouuuuyts";
    *used = 2;
    unsigned k = (d & 0x1F);
    if (d == 0x97 || d == 0xB7) return 0; /* × ÷ */
    if (d == 0x9F) { out[0] = 's', out[1] = 's'; return 2; }
    if (k == 6) { out[0] = 'a', out[1] = 'e'; return 2; }
    if (d == 0xBF) { out[0] = 'y'; return 1; }
    out[0] = base[k];
    return 1;
  }
  if (c == 0xC5 && (d == 0x92 || d == 0x93)) { *used = 2; out[0] = 'o', out[1] = 'e'; return 2; }
  if (c == 0xE2 && d == 0x80 && i + 2 < n) {
    /* general punctuation: the typographic apostrophe (U+2019) reads as ', an ellipsis ends a
       sentence, the rest (dashes, quotes) separates */
    unsigned char e = t[i + 2];
    *used = 3;
    if (e == 0x99) { out[0] = '\''; return 1; }
    return e == 0xA6 ? -1 : 0;
  }
  /* any other character is part of a word, byte for byte */
  out[0] = (char)c;
  return 1;
}

/* Folds a rule's word in place, as the text's words are. */
static void fold_word(char *w) {
  size_t n = strlen(w), i = 0, o = 0;
  while (i < n) {
    size_t used;
    char out[2];
    int k = fold_at((const unsigned char *)w, n, i, &used, out);
    for (int j = 0; j < k; j++) w[o++] = out[j];
    i += used;
  }
  w[o] = 0;
}

int coach_load(int lang, const char *rules, size_t len, char *err, size_t errlen) {
  if (lang < 0 || lang >= COACH_LANGS) { snprintf(err, errlen, "no such language"); return -1; }
  ruleset *R = &sets[lang];
  unload(R);
  R->text = malloc(len + 1);
  if (!R->text) { snprintf(err, errlen, "out of memory"); return -1; }
  memcpy(R->text, rules, len);
  R->text[len] = 0;
  int cap = 0, lineno = 0;
  char *line = R->text;
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
        if (lang) { snprintf(err, errlen, "rules line %d: the reasons are in coach.rules (translated in po/)", lineno); return -1; }
        R->why[id] = val;
      } else {
        int veto = *p == '-';
        if (veto) p++;
        int id = id_of(p, strlen(p));
        if (id < 0) { snprintf(err, errlen, "rules line %d: unknown id \"%s\"", lineno, p); return -1; }
        if (R->nrules == cap) {
          cap = cap ? cap * 2 : 256;
          rule *nr = realloc(R->rules, sizeof(rule) * (size_t)cap);
          if (!nr) { snprintf(err, errlen, "out of memory"); return -1; }
          R->rules = nr;
        }
        rule *r = &R->rules[R->nrules];
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
              fold_word(a);
              if (R->nalts == R->capalts) {
                int c = R->capalts ? R->capalts * 2 : 1024;
                const char **na = realloc(R->alts, sizeof *na * (size_t)c);
                if (na) R->alts = na;
                unsigned char *nl2 = na ? realloc(R->altlens, (size_t)c) : NULL;
                if (!nl2) { snprintf(err, errlen, "out of memory"); return -1; }
                R->altlens = nl2;
                R->capalts = c;
              }
              if (!t->nalt) t->first = R->nalts;
              R->alts[R->nalts] = a;
              R->altlens[R->nalts++] = (unsigned char)strlen(a);
              t->nalt++;
              if (!bar) break;
              a = bar + 1;
            }
          }
          w = e;
        }
        if (!r->ntok || r->tok[0].kind == T_GAP) { snprintf(err, errlen, "rules line %d: a phrase starts with a word", lineno); return -1; }
        R->nrules++;
      }
    }
    line = nl ? nl + 1 : NULL;
  }
  /* the pool is whole now: each token points at its alternatives */
  for (int i = 0; i < R->nrules; i++)
    for (int k = 0; k < R->rules[i].ntok; k++) {
      ctok *t = &R->rules[i].tok[k];
      t->alt = R->alts + t->first;
      t->altlen = R->altlens + t->first;
    }
  for (int i = 0; i < R->nrules; i++) {
    ctok *t = &R->rules[i].tok[0], *t2 = R->rules[i].ntok > 1 ? &R->rules[i].tok[1] : NULL;
    if (t->kind == T_WORD && t2 && t2->kind == T_WORD) {
      /* indexed by its first two words: "i am", "i will" ... share a first word */
      for (int a = 0; a < t->nalt; a++)
        for (int b = 0; b < t2->nalt; b++)
          add_bucket(R, (int)(pair_hash(hash_word(t->alt[a], t->altlen[a]), hash_word(t2->alt[b], t2->altlen[b])) % NBUCKET), i);
    } else if (t->kind == T_WORD) {
      for (int a = 0; a < t->nalt; a++) add_bucket(R, (int)(hash_word(t->alt[a], t->altlen[a]) % NBUCKET), i);
    } else {
      int *g = realloc(R->general, sizeof(int) * (size_t)(R->ngeneral + 1));
      if (!g) { snprintf(err, errlen, "out of memory"); return -1; }
      R->general = g;
      g[R->ngeneral++] = i;
    }
  }
  R->loaded = 1;
  return 0;
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int init_rc = -1;
/* English's rules must be there; another language's file is read when it is embedded. */
static void init_embedded(void) {
  init_rc = 0;
  for (int l = 0; l < COACH_LANGS; l++) {
    char name[32], err[256];
    snprintf(name, sizeof name, l ? "coach.%s.rules" : "coach.rules", codes[l]);
    const struct embed_file *f = embed_find(embed_content, name, strlen(name));
    if (!f && !l) { fprintf(stderr, "mend: coach rules: %s missing\n", name); init_rc = -1; }
    if (f && coach_load(l, (const char *)f->data, f->len, err, sizeof err) != 0) {
      fprintf(stderr, "mend: coach rules (%s): %s\n", name, err);
      init_rc = -1;
    }
  }
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
static void add_english(words *ws, const char *w, size_t n, size_t start, size_t end) {
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

/* French elides before a vowel: "j'ai" reads "je ai", "qu'il" "que il", "n'ai" "ne ai"; a
   word such as "aujourd'hui" stays whole. */
static void add_french(words *ws, const char *w, size_t n, size_t start, size_t end) {
  static const struct { const char *from, *to; } elided[] = {
    {"j", "je"}, {"m", "me"}, {"t", "te"}, {"s", "se"}, {"l", "le"}, {"n", "ne"}, {"c", "ce"}, {"d", "de"},
    {"qu", "que"}, {"jusqu", "jusque"}, {"lorsqu", "lorsque"}, {"puisqu", "puisque"}, {"quoiqu", "quoique"},
  };
  const char *q = memchr(w, '\'', n);
  if (q) {
    size_t k = (size_t)(q - w);
    for (size_t i = 0; i < sizeof elided / sizeof elided[0]; i++) {
      if (strlen(elided[i].from) == k && !memcmp(elided[i].from, w, k)) {
        push(ws, elided[i].to, strlen(elided[i].to), start, end);
        if (n > k + 1) add_french(ws, q + 1, n - k - 1, start, end);
        return;
      }
    }
  }
  push(ws, w, n, start, end);
}

enum { PLAIN, ENGLISH, FRENCH };
static void add_word(words *ws, int how, const char *w, size_t n, size_t start, size_t end) {
  if (how == ENGLISH) add_english(ws, w, n, start, end);
  else if (how == FRENCH) add_french(ws, w, n, start, end);
  else push(ws, w, n, start, end);
}

static int is_end(const words *ws) { return ws->n && ws->v[ws->n - 1].n == 1 && ws->v[ws->n - 1].w[0] == '.'; }

/* Splits text into folded words (see fold_at) and sentence ends. */
static int split(const char *text, size_t n, int lang, words *ws) {
  ws->cap = (int)n + 8; /* at most one word per byte, doubled by expansion below n */
  ws->v = malloc(sizeof(word) * (size_t)ws->cap * 2);
  ws->cap *= 2;
  ws->norm = malloc(n + 1);
  ws->n = 0;
  if (!ws->v || !ws->norm) return -1;
  const unsigned char *t = (const unsigned char *)text;
  int how = lang == 0 ? ENGLISH : !strcmp(codes[lang], "fr") ? FRENCH : PLAIN;
  size_t i = 0, o = 0;
  while (i < n) {
    size_t used;
    char out[2];
    int k = fold_at(t, n, i, &used, out);
    if (k == -1) {
      /* sentence ends are words of their own ("."), once per run of marks */
      if (ws->n && !is_end(ws)) push(ws, ".", 1, i, i + used);
      i += used;
      continue;
    }
    if (k == 0) { i += used; continue; }
    size_t start = i, w0 = o;
    while (i < n && (k = fold_at(t, n, i, &used, out)) > 0) {
      for (int j = 0; j < k; j++) ws->norm[o++] = out[j];
      i += used;
    }
    /* quotes around a word are not part of it */
    size_t ws0 = w0, we = o;
    while (ws0 < we && ws->norm[ws0] == '\'') ws0++;
    while (we > ws0 && ws->norm[we - 1] == '\'') we--;
    if (we > ws0 && we - ws0 < 65535) add_word(ws, how, ws->norm + ws0, we - ws0, start, i);
  }
  /* the end of the text ends a sentence too */
  if (!is_end(ws) && ws->n) push(ws, ".", 1, n, n);
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

int coach_analyze(const char *text, size_t n, enum coach_kind kind, int lang, coach_result *r) {
  memset(r, 0, sizeof *r);
  r->kind = kind;
  if (coach_init() != 0) return -1;
  if (lang < 0 || lang >= COACH_LANGS || !sets[lang].loaded) lang = 0;
  const ruleset *R = &sets[lang];
  words ws = {0};
  if (split(text, n, lang, &ws) != 0) { free(ws.v); free(ws.norm); return -1; }
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
      const int *list = pass == 2 ? R->general : R->bucket[pass ? b2 : b1];
      int cnt = pass == 2 ? R->ngeneral : R->nbucket[pass ? b2 : b1];
      for (int k = 0; k < cnt; k++) {
        const rule *ru = &R->rules[list[k]];
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
    if (have == COACH_COMPONENTS) sb_text(o, "This apology has every part of a full apology");
    else {
      sb_html(o, "This apology has %d of the 7 parts of a full apology (missing: ", have);
      int first = 1;
      for (int i = 0; i < COACH_COMPONENTS; i++)
        if (!r->components[i]) { sb_markup(o, "%r%r", first ? "" : ", ", _(labels[i])); first = 0; }
      sb_puts(o, ")");
    }
    if (!r->nfindings) sb_text(o, ", and nothing in it works against it.");
    else {
      sb_plural(o, r->nfindings, ". %d thing in it may work against it: ", ". %d things in it may work against it: ", r->nfindings);
    }
  } else {
    if (!r->nfindings) sb_text(o, "Nothing here tends to make a hard talk harder.");
    else sb_plural(o, r->nfindings, "%d thing here may land hard: ", "%d things here may land hard: ", r->nfindings);
  }
  if (r->nfindings) {
    int first = 1;
    for (int i = COACH_COMPONENTS; i < COACH_IDS; i++)
      if (seen[i]) { sb_markup(o, "%r%r", first ? "" : ", ", _(labels[i])); first = 0; }
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
