/* embed_find.c: lookup in an embedded file group. */
#include "embed.h"
#include <string.h>

const struct embed_file *embed_find(const struct embed_file *group, const char *name, size_t n) {
  for (const struct embed_file *f = group; f->name; f++)
    if (strlen(f->name) == n && !memcmp(f->name, name, n)) return f;
  return NULL;
}
