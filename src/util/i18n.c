/* i18n.c: gettext catalogues read in place from the binary (the .mo format: a table of
   English strings, one of translations, and a hash table over the English), one per language,
   and the language each thread answers in. */
#include "i18n.h"
#include "embed.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct i18n_lang {
  const char *code, *name;
  int (*plural)(long n);         /* which form of a plural msgstr serves n */
  const unsigned char *mo;       /* the catalogue, or NULL (English) */
  uint32_t n, orig, trans, hsize, hoff;
  int swap;
  unsigned char *ok;             /* per string: its translation may be used */
};

/* Plural rules from CLDR (the same as the catalogues' Plural-Forms headers say). */
static int plural_one(long n) { return n != 1; }
static int plural_fr(long n) { return n > 1; }

static i18n_lang langs[I18N_COUNT] = {
  {"en", "English", plural_one, NULL, 0, 0, 0, 0, 0, 0, NULL},
  {"de", "Deutsch", plural_one, NULL, 0, 0, 0, 0, 0, 0, NULL},
  {"fr", "Fran\u00e7ais", plural_fr, NULL, 0, 0, 0, 0, 0, 0, NULL},
  {"es", "Espa\u00f1ol", plural_one, NULL, 0, 0, 0, 0, 0, 0, NULL},
};

static _Thread_local const i18n_lang *current;

static uint32_t word(const i18n_lang *l, uint32_t off) {
  uint32_t v;
  memcpy(&v, l->mo + off, 4);
  return l->swap ? __builtin_bswap32(v) : v;
}
static const char *str_at(const i18n_lang *l, uint32_t table, uint32_t i, uint32_t *len) {
  if (len) *len = word(l, table + i * 8);
  return (const char *)l->mo + word(l, table + i * 8 + 4);
}

/* The %-conversions of a format (sb.h's letters), as a string: "s.r" for "%s %.*s %r". */
static void conversions(const char *s, size_t n, char *out, size_t cap) {
  size_t k = 0;
  for (size_t i = 0; i + 1 < n && k + 1 < cap; i++) {
    if (s[i] != '%') continue;
    char c = s[++i];
    if (c == '%') continue;
    if (c == '.' && i + 2 < n && s[i + 1] == '*' && s[i + 2] == 's') { c = '.'; i += 2; }
    out[k++] = c;
  }
  out[k] = 0;
}

/* Every form of a translation has the conversions of its English (the singular's and the
   plural's are alike in our sources). */
static int same_conversions(const char *o, uint32_t olen, const char *t, uint32_t tlen) {
  char a[64], b[64];
  conversions(o, strlen(o), a, sizeof a);
  for (const char *p = t, *end = t + tlen; p <= end; p += strlen(p) + 1) {
    conversions(p, strlen(p), b, sizeof b);
    if (strcmp(a, b)) return 0;
  }
  (void)olen;
  return 1;
}

static void load(i18n_lang *l, const struct embed_file *f, int *dropped) {
  if (f->len < 28) return;
  uint32_t magic;
  memcpy(&magic, f->data, 4);
  if (magic != 0x950412de && magic != 0xde120495) return;
  l->mo = f->data;
  l->swap = magic != 0x950412de;
  l->n = word(l, 8);
  l->orig = word(l, 12);
  l->trans = word(l, 16);
  l->hsize = word(l, 20);
  l->hoff = word(l, 24);
  if ((uint64_t)l->orig + 8ull * l->n > f->len || (uint64_t)l->trans + 8ull * l->n > f->len ||
      (uint64_t)l->hoff + 4ull * l->hsize > f->len) { l->mo = NULL; return; }
  l->ok = calloc(l->n ? l->n : 1, 1);
  if (!l->ok) abort();
  for (uint32_t i = 0; i < l->n; i++) {
    uint32_t olen, tlen;
    const char *o = str_at(l, l->orig, i, &olen), *t = str_at(l, l->trans, i, &tlen);
    l->ok[i] = *o && tlen && same_conversions(o, olen, t, tlen);
    if (*o && tlen && !l->ok[i]) {
      fprintf(stderr, "mend: the %s catalogue's translation of \"%.60s\" is left out: its %%-conversions differ\n", l->code, o);
      if (dropped) (*dropped)++;
    }
  }
}

void i18n_init(int *dropped) {
  for (int i = 1; i < I18N_COUNT; i++) {
    if (langs[i].mo) continue;
    const struct embed_file *f = embed_find(embed_catalogues, langs[i].code, strlen(langs[i].code));
    if (f) load(&langs[i], f, dropped);
  }
}

const i18n_lang *i18n_english(void) { return &langs[0]; }
int i18n_index(const i18n_lang *l) { return l ? (int)(l - langs) : 0; }
const char *i18n_code(const i18n_lang *l) { return l ? l->code : "en"; }
const char *i18n_name(const i18n_lang *l) { return l ? l->name : "English"; }

const i18n_lang *i18n_find(const char *code, size_t n) {
  if (!code) return NULL;
  /* the primary subtag: "de-AT" and "de_CH" are read as German */
  size_t k = 0;
  while (k < n && code[k] != '-' && code[k] != '_') k++;
  for (int i = 0; i < I18N_COUNT; i++)
    if (strlen(langs[i].code) == k && !strncasecmp(langs[i].code, code, k)) return &langs[i];
  return NULL;
}

const i18n_lang *i18n_accept(const char *h, size_t n) {
  const i18n_lang *best = NULL;
  int bestq = 0;
  size_t i = 0;
  while (i < n) {
    while (i < n && (h[i] == ' ' || h[i] == ',')) i++;
    size_t tag = i;
    while (i < n && h[i] != ';' && h[i] != ',' && h[i] != ' ') i++;
    size_t tagn = i - tag;
    int q = 1000;
    while (i < n && h[i] != ',') {
      /* ";q=0.8": thousandths */
      if (h[i] == 'q' && i + 1 < n && h[i + 1] == '=') {
        i += 2;
        q = 0;
        int digits = 0, scale = 1000, point = 0;
        for (; i < n && ((h[i] >= '0' && h[i] <= '9') || h[i] == '.'); i++) {
          if (h[i] == '.') { point = 1; continue; }
          if (!point) q = (h[i] - '0') * 1000;
          else if (digits < 3) { scale /= 10; q += (h[i] - '0') * scale; digits++; }
        }
        if (q > 1000) q = 1000;
        continue;
      }
      i++;
    }
    const i18n_lang *l = tagn ? i18n_find(h + tag, tagn) : NULL;
    if (l && q > bestq) { best = l; bestq = q; }
  }
  return best;
}

void i18n_use(const i18n_lang *l) { current = l && l->mo ? l : NULL; }
const i18n_lang *i18n_current(void) { return current ? current : &langs[0]; }

static uint32_t hashpjw(const char *s) {
  uint32_t h = 0, g;
  while (*s) {
    h = (h << 4) + (unsigned char)*s++;
    if ((g = h & 0xf0000000u)) { h ^= g >> 24; h ^= g; }
  }
  return h;
}

/* The translation's index, or -1: the .mo's hash table (open addressing, double hashing, as
   GNU gettext writes it); without one, a binary search of the sorted English. */
static long find(const i18n_lang *l, const char *msgid) {
  if (!l || !l->mo || !*msgid) return -1;
  if (l->hsize > 2) {
    uint32_t h = hashpjw(msgid), idx = h % l->hsize, incr = 1 + h % (l->hsize - 2);
    for (;;) {
      uint32_t e = word(l, l->hoff + idx * 4);
      if (!e) return -1;
      e--;
      if (e < l->n && !strcmp(msgid, str_at(l, l->orig, e, NULL))) return l->ok[e] ? (long)e : -1;
      idx = idx >= l->hsize - incr ? idx - (l->hsize - incr) : idx + incr;
    }
  }
  uint32_t lo = 0, hi = l->n;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    int c = strcmp(msgid, str_at(l, l->orig, mid, NULL));
    if (!c) return l->ok[mid] ? (long)mid : -1;
    if (c < 0) hi = mid;
    else lo = mid + 1;
  }
  return -1;
}

const char *i18n_lgettext(const i18n_lang *l, const char *msgid) {
  long i = find(l, msgid);
  return i < 0 ? msgid : str_at(l, l->trans, (uint32_t)i, NULL);
}

const char *i18n_gettext(const char *msgid) {
  return current ? i18n_lgettext(current, msgid) : msgid;
}

const char *i18n_ngettext(const char *singular, const char *plural, long n) {
  const i18n_lang *l = current;
  long i = find(l, singular);
  if (i < 0) return n == 1 ? singular : plural;
  uint32_t len;
  const char *t = str_at(l, l->trans, (uint32_t)i, &len), *end = t + len;
  for (int form = l->plural(n); form > 0 && t < end; form--) t += strlen(t) + 1;
  return t < end ? t : (n == 1 ? singular : plural);
}
