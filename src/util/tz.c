/* tz.c: reads TZif files (RFC 8536, version 2 and later: the 64-bit block) into a cache shared
   by every thread. Only zones that exist in the zoneinfo data and parse are ever cached, so a
   made-up name costs nothing and can never crowd out a real one; the cache grows with the
   real zones in use (a few hundred at most) and a zone, once read, stays. Past the last
   transition the last offset holds; Debian's zoneinfo files list transitions to 2037. */
#include "tz.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZONEINFO "/usr/share/zoneinfo/"

typedef struct {
  char name[64];
  int ok;
  int n;            /* transitions */
  int64_t *at;      /* transition times */
  int32_t *offset;  /* offset in force from at[i] */
  unsigned char *dst; /* whether it is daylight-saving time */
  int32_t before;   /* offset before the first transition */
} zone;

static zone **zones; /* each zone is never moved or freed: callers keep pointers */
static int nzones, cap_zones;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static int name_ok(const char *s) {
  size_t n = strlen(s);
  if (!n || n >= 64 || s[0] == '/' || strstr(s, "..")) return 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '_' || c == '-' || c == '+'))
      return 0;
  }
  return 1;
}

static int64_t be(const unsigned char *p, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; i++) v = v << 8 | p[i];
  if (bytes == 4) return (int32_t)(uint32_t)v;
  return (int64_t)v;
}

/* Parses the 64-bit part of a TZif file into z. */
static int parse(zone *z, const unsigned char *d, size_t len) {
  if (len < 44 || memcmp(d, "TZif", 4) || d[4] < '2') return -1;
  /* skip the version 1 block */
  size_t isut = (size_t)be(d + 20, 4), isstd = (size_t)be(d + 24, 4), leap = (size_t)be(d + 28, 4);
  size_t timecnt = (size_t)be(d + 32, 4), typecnt = (size_t)be(d + 36, 4), charcnt = (size_t)be(d + 40, 4);
  size_t off = 44 + timecnt * 5 + typecnt * 6 + charcnt + leap * 8 + isstd + isut;
  if (off + 44 > len || memcmp(d + off, "TZif", 4)) return -1;
  const unsigned char *h = d + off;
  isut = (size_t)be(h + 20, 4); isstd = (size_t)be(h + 24, 4); leap = (size_t)be(h + 28, 4);
  timecnt = (size_t)be(h + 32, 4); typecnt = (size_t)be(h + 36, 4); charcnt = (size_t)be(h + 40, 4);
  const unsigned char *times = h + 44, *idx = times + timecnt * 8, *types = idx + timecnt;
  if (typecnt == 0 || (size_t)(types + typecnt * 6 - d) > len) return -1;
  z->at = malloc(sizeof(int64_t) * (timecnt ? timecnt : 1));
  z->offset = malloc(sizeof(int32_t) * (timecnt ? timecnt : 1));
  z->dst = malloc(timecnt ? timecnt : 1);
  if (!z->at || !z->offset || !z->dst) return -1;
  for (size_t i = 0; i < timecnt; i++) {
    size_t t = idx[i];
    if (t >= typecnt) return -1;
    z->at[i] = be(times + i * 8, 8);
    z->offset[i] = (int32_t)be(types + t * 6, 4);
    z->dst[i] = types[t * 6 + 4] != 0;
  }
  z->n = (int)timecnt;
  /* before the first transition: the first standard-time type, as RFC 8536 suggests */
  z->before = (int32_t)be(types, 4);
  for (size_t t = 0; t < typecnt; t++)
    if (!types[t * 6 + 4]) { z->before = (int32_t)be(types + t * 6, 4); break; }
  (void)charcnt;
  return 0;
}

static void zone_free(zone *z) {
  free(z->at);
  free(z->offset);
  free(z->dst);
  free(z);
}

/* The cached zone of that name, read from the zoneinfo data on first use; NULL when there is
   no such zone (and then nothing is cached). */
static const zone *find(const char *name) {
  if (!name_ok(name)) return NULL;
  pthread_mutex_lock(&mu);
  zone *z = NULL;
  for (int i = 0; i < nzones; i++)
    if (!strcmp(zones[i]->name, name)) { z = zones[i]; break; }
  if (!z) {
    char path[128];
    snprintf(path, sizeof path, ZONEINFO "%s", name);
    FILE *f = fopen(path, "rb");
    zone *nz = f ? calloc(1, sizeof *nz) : NULL;
    if (nz) {
      static unsigned char buf[1 << 16];
      size_t len = fread(buf, 1, sizeof buf, f);
      snprintf(nz->name, sizeof nz->name, "%s", name);
      nz->ok = parse(nz, buf, len) == 0;
      if (nz->ok && nzones == cap_zones) {
        int cap = cap_zones ? cap_zones * 2 : 64;
        zone **t = realloc(zones, sizeof *t * (size_t)cap);
        if (t) { zones = t; cap_zones = cap; }
      }
      if (nz->ok && nzones < cap_zones) { zones[nzones++] = nz; z = nz; }
      else zone_free(nz);
    }
    if (f) fclose(f);
  }
  pthread_mutex_unlock(&mu);
  return z;
}

int tz_valid(const char *name) { return !strcmp(name, "UTC") || find(name) != NULL; }

int tz_offset(const char *name, int64_t utc) {
  if (!strcmp(name, "UTC")) return 0;
  const zone *z = find(name);
  if (!z) return 0;
  if (!z->n || utc < z->at[0]) return z->before;
  int lo = 0, hi = z->n - 1;
  while (lo < hi) {
    int mid = (lo + hi + 1) / 2;
    if (z->at[mid] <= utc) lo = mid; else hi = mid - 1;
  }
  return z->offset[lo];
}

int tz_transitions(const char *name, int64_t from, int64_t to, void (*cb)(void *, const tz_change *), void *ctx) {
  if (!strcmp(name, "UTC")) return 0;
  const zone *z = find(name);
  if (!z) return -1;
  int n = 0;
  for (int i = 0; i < z->n; i++) {
    if (z->at[i] < from || z->at[i] > to) continue;
    tz_change c = {z->at[i], i ? z->offset[i - 1] : z->before, z->offset[i], z->dst[i]};
    if (c.from == c.to) continue; /* a change of name or of the dst flag alone */
    cb(ctx, &c);
    n++;
  }
  return n;
}
