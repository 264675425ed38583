/* parse.h: decoders for what arrives from outside: URL-encoded forms and query strings,
   and Cookie headers. Pure and bounded; these are fuzz targets. */
#ifndef MEND_PARSE_H
#define MEND_PARSE_H
#include <stddef.h>

/* Percent-decodes s[0..n) into out (capacity cap); '+' becomes a space when plus is set.
   Returns the decoded length, or -1 when malformed or too long. out is NUL-terminated. */
long url_decode(const char *s, size_t n, char *out, size_t cap, int plus);

/* Finds field name in an application/x-www-form-urlencoded body (or a query string) and
   decodes its first value into out. Returns the decoded length, -1 when absent or bad. */
long form_get(const char *body, size_t n, const char *name, char *out, size_t cap);

/* Finds cookie name in a Cookie header value; sets *val and *vlen to its raw value.
   Returns 1 when found. */
int cookie_get(const char *hdr, size_t n, const char *name, const char **val, size_t *vlen);

#endif
