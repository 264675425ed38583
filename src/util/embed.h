/* embed.h: files compiled into the binary at build time (scripts/embed.py): SQL migrations,
   static assets and content. Each group is an array ending with a NULL name. */
#ifndef MEND_EMBED_H
#define MEND_EMBED_H
#include <stddef.h>

struct embed_file {
  const char *name;
  const unsigned char *data; /* NUL-terminated for convenience; len excludes it */
  size_t len;
  const char *hash;          /* short content hash, for cache-busting URLs */
  const unsigned char *gz;   /* static assets: the same gzip-compressed, or NULL */
  size_t gz_len;
  const unsigned char *br;   /* and brotli-compressed, or NULL */
  size_t br_len;
};

extern const struct embed_file embed_migrations[];
extern const struct embed_file embed_static[];
extern const struct embed_file embed_content[];
/* gettext catalogues (.mo), each named by its language ("de") */
extern const struct embed_file embed_catalogues[];

const struct embed_file *embed_find(const struct embed_file *group, const char *name, size_t n);

#endif
