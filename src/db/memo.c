/* memo.c: a connection's reads of one couple, kept while the couple's data version stands.
   Every write that changes a couple's rows gives it a new version in the same transaction,
   and a read request learns the version with its session; so a read of that couple's rows
   (a query whose first value is the couple) asked again under the same version has the same
   answer, and is answered here without the database: a page of six queries on PostgreSQL
   costs one round trip (its session).
   What an entry holds is exactly one version: it is stored under the version the read's own
   snapshot shows (SQLite reads its session in the snapshot; PostgreSQL asks the snapshot, once,
   when it first stores), and a request never mixes answers of two versions: one that took
   kept answers and then finds its snapshot newer is refused with DB_BUSY and runs again.
   Entries are wiped when dropped (they may hold what a partner wrote). */
#include "db.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MEMO_BUCKETS 512
#define MEMO_ENTRY_MAX (128 * 1024) /* a larger answer (a long history) is read each time */
#define MEMO_BUDGET (256 * 1024)    /* per connection; the oldest entries go first */

enum { CELL_NULL, CELL_INT, CELL_BYTES };
typedef struct { int type; int64_t i; size_t off, len; } memo_cell;

typedef struct memo_entry {
  struct memo_entry *next, *older, *newer; /* bucket chain; age list */
  const char *sql;
  uint64_t hash;
  int64_t couple, version;
  int mode, nrows, ncols;
  size_t keylen, size;
  unsigned char *key;
  memo_cell *cells;
  char *bytes;
} memo_entry;

/* a replayed row, read by the features' own readers through db_col_* */
typedef struct {
  db_stmt_t base;
  const memo_entry *e;
  int row;
  char num[24];
} memo_stmt;

struct db_memo {
  db_t *real;
  db_t fake; /* its ops read memo_stmt; its keep is db_row_keep's arena while replaying */
  int64_t couple, version, snap; /* snap: the version the request's snapshot shows, -1 unknown */
  int snap_open, hits, probing;
  memo_entry *bucket[MEMO_BUCKETS];
  memo_entry *oldest, *newest;
  size_t used;
  /* what the query being read so far returned */
  memo_cell *cells;
  size_t ncells, capcells;
  char *bytes;
  size_t nbytes, capbytes;
  int rows, cols, spoiled;
};

/* ---------- replay ---------- */

#define MS(s) ((memo_stmt *)(s))
static const memo_cell *cell(db_stmt_t *s, int c) {
  const memo_entry *e = MS(s)->e;
  return c >= 0 && c < e->ncols ? &e->cells[(size_t)MS(s)->row * (size_t)e->ncols + (size_t)c] : NULL;
}
static int mc_is_null(db_stmt_t *s, int c) { const memo_cell *x = cell(s, c); return !x || x->type == CELL_NULL; }
static int64_t mc_int(db_stmt_t *s, int c) {
  const memo_cell *x = cell(s, c);
  if (!x || x->type == CELL_NULL) return 0;
  return x->type == CELL_INT ? x->i : strtoll(MS(s)->e->bytes + x->off, NULL, 10);
}
static const char *mc_text(db_stmt_t *s, int c) {
  const memo_cell *x = cell(s, c);
  if (!x || x->type == CELL_NULL) return NULL;
  if (x->type == CELL_BYTES) return MS(s)->e->bytes + x->off;
  snprintf(MS(s)->num, sizeof MS(s)->num, "%lld", (long long)x->i);
  return MS(s)->num;
}
static const void *mc_blob(db_stmt_t *s, int c) { return mc_text(s, c); }
static size_t mc_bytes(db_stmt_t *s, int c) {
  const memo_cell *x = cell(s, c);
  if (!x || x->type == CELL_NULL) return 0;
  return x->type == CELL_BYTES ? x->len : strlen(mc_text(s, c));
}
static const struct db_ops memo_ops = {.col_is_null = mc_is_null, .col_int = mc_int, .col_text = mc_text,
                                       .col_blob = mc_blob, .col_bytes = mc_bytes};

/* ---------- entries ---------- */

static void entry_free(struct db_memo *m, memo_entry *e) {
  memo_entry **p = &m->bucket[e->hash % MEMO_BUCKETS];
  while (*p && *p != e) p = &(*p)->next;
  if (*p) *p = e->next;
  if (e->older) e->older->newer = e->newer; else m->oldest = e->newer;
  if (e->newer) e->newer->older = e->older; else m->newest = e->older;
  m->used -= e->size;
  explicit_bzero(e, e->size);
  free(e);
}

static memo_entry *find(struct db_memo *m, const db_memo_key_t *k) {
  for (memo_entry *e = m->bucket[k->hash % MEMO_BUCKETS]; e; e = e->next)
    if (e->hash == k->hash && e->sql == k->sql && e->mode == k->mode && e->couple == m->couple && e->keylen == k->len &&
        !memcmp(e->key, k->buf, k->len))
      return e;
  return NULL;
}

void db_memo_free(db_t *db) {
  struct db_memo *m = db->memo;
  if (!m) return;
  while (m->oldest) entry_free(m, m->oldest);
  if (m->bytes) explicit_bzero(m->bytes, m->capbytes);
  free(m->bytes);
  free(m->cells);
  free(m);
  db->memo = NULL;
}

void db_memo_scope(db_t *db, int64_t couple, int64_t version) {
  if (!db->memo) {
    if (couple <= 0 || !(db->memo = calloc(1, sizeof *db->memo))) return;
    db->memo->real = db;
    db->memo->fake.ops = &memo_ops;
  }
  struct db_memo *m = db->memo;
  m->couple = couple > 0 ? couple : 0;
  m->version = version;
  /* SQLite read the session inside the request's snapshot: its version is the snapshot's */
  m->snap = couple > 0 && db->engine == DB_SQLITE && db->in_read ? version : -1;
  m->snap_open = m->snap >= 0;
  m->hits = m->probing = 0;
}

/* The version the request's snapshot shows, asked once (PostgreSQL): -1 if it cannot be read. */
static int64_t snapshot_version(db_t *db) {
  struct db_memo *m = db->memo;
  if (m->snap >= 0) return m->snap;
  m->probing = 1;
  db_stmt_t *st = db_prepare(db, "SELECT data_version FROM couples WHERE id = $1");
  if (st) {
    db_bind_int(st, 1, m->couple);
    m->snap = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
    db_reset(st);
  }
  m->probing = 0;
  return m->snap;
}

int64_t db_memo_snapshot_couple(db_t *db) {
  struct db_memo *m = db->memo;
  return m && m->couple && m->snap < 0 && !m->probing ? m->couple : 0;
}

void db_memo_snapshot_is(db_t *db, int64_t version) {
  if (db->memo && db->memo->couple) db->memo->snap = version;
}

int db_memo_opened(db_t *db) {
  struct db_memo *m = db->memo;
  if (!m || !m->couple || m->snap_open) return DB_OK;
  m->snap_open = 1;
  if (!m->hits) return DB_OK;
  /* answers were taken from the memo under the session's version: this snapshot must show
     the same one, or the request would see two versions at once */
  if (snapshot_version(db) != m->version) {
    db->failure = DB_BUSY;
    return DB_BUSY;
  }
  return DB_OK;
}

int db_memo_keyed(db_t *db, const char *sql, int mode, const char *types, va_list ap, db_memo_key_t *k) {
  struct db_memo *m = db->memo;
  if (!m || !m->couple || db->depth > 0 || (!db->in_read && !db->read_pending) || types[0] != 'i') return 0;
  k->sql = sql;
  k->mode = mode;
  k->len = 0;
  uint64_t h = 1469598103934665603ull ^ (uintptr_t)sql ^ (uint64_t)mode << 56;
  for (int i = 0; types[i]; i++) {
    const void *p = NULL;
    size_t n = 0;
    int64_t v;
    unsigned char tag = (unsigned char)types[i];
    switch (types[i]) {
      case 'i': case 'z':
        v = va_arg(ap, int64_t);
        if (i == 0 && v != m->couple) return 0; /* another couple's rows (none are asked for) */
        p = &v; n = sizeof v;
        break;
      case 's': p = va_arg(ap, const char *); n = p ? strlen(p) : 0; break;
      case 'b': p = va_arg(ap, const void *); n = va_arg(ap, size_t); break;
      default: return 0;
    }
    if (!p) tag |= 0x80;
    if (k->len + 1 + sizeof n + n > sizeof k->buf) return 0;
    k->buf[k->len++] = tag;
    memcpy(k->buf + k->len, &n, sizeof n);
    k->len += sizeof n;
    if (n) memcpy(k->buf + k->len, p, n);
    k->len += n;
  }
  for (size_t i = 0; i < k->len; i++) h = (h ^ k->buf[i]) * 1099511628211ull;
  k->hash = h;
  return 1;
}

int db_memo_replay(db_t *db, const db_memo_key_t *k, db_reader rd, void *row, db_each cb, void *ctx, arena_t *keep, int *rc) {
  struct db_memo *m = db->memo;
  if (m->snap_open && snapshot_version(db) < 0) return 0;
  memo_entry *e = find(m, k);
  if (!e) return 0;
  if (e->version != (m->snap >= 0 ? m->snap : m->version)) {
    entry_free(m, e); /* an older version's: never asked again */
    return 0;
  }
  m->hits++;
  memo_stmt st = {{&m->fake}, e, 0, {0}};
  m->fake.keep = keep;
  for (; st.row < e->nrows; st.row++) {
    rd(&st.base, row);
    if (cb) cb(ctx, row);
  }
  m->fake.keep = NULL;
  *rc = k->mode ? e->nrows ? DB_ROW : DB_DONE : DB_OK;
  return 1;
}

/* ---------- recording ---------- */

void db_memo_record_begin(db_t *db) {
  struct db_memo *m = db->memo;
  m->ncells = m->nbytes = 0;
  m->rows = m->cols = m->spoiled = 0;
}

static int grow(void **p, size_t *cap, size_t need, size_t unit) {
  if (need <= *cap) return 1;
  size_t n = *cap ? *cap : 64;
  while (n < need) n *= 2;
  void *q = realloc(*p, n * unit);
  if (!q) return 0;
  *p = q;
  *cap = n;
  return 1;
}

void db_memo_record_row(db_stmt_t *st) {
  struct db_memo *m = st->db->memo;
  if (m->spoiled) return;
  int cols = st->db->ops->ncols(st);
  if (m->rows == 0) m->cols = cols;
  if (cols != m->cols || !grow((void **)&m->cells, &m->capcells, m->ncells + (size_t)cols, sizeof *m->cells)) {
    m->spoiled = 1;
    return;
  }
  for (int c = 0; c < cols; c++) {
    memo_cell *x = &m->cells[m->ncells++];
    *x = (memo_cell){st->db->ops->col_type(st, c), 0, 0, 0};
    if (x->type == CELL_INT) x->i = db_col_int(st, c);
    else if (x->type == CELL_BYTES) {
      const char *p = db_col_blob(st, c);
      size_t n = db_col_bytes(st, c);
      if (m->nbytes + n + 1 > MEMO_ENTRY_MAX || !grow((void **)&m->bytes, &m->capbytes, m->nbytes + n + 1, 1)) {
        m->spoiled = 1;
        return;
      }
      if (n) memcpy(m->bytes + m->nbytes, p, n);
      m->bytes[m->nbytes + n] = 0; /* texts are read as C strings */
      x->off = m->nbytes;
      x->len = n;
      m->nbytes += n + 1;
    }
  }
  m->rows++;
  if (m->ncells * sizeof *m->cells + m->nbytes > MEMO_ENTRY_MAX) m->spoiled = 1;
}

void db_memo_record_end(db_t *db, const db_memo_key_t *k) {
  struct db_memo *m = db->memo;
  if (m->spoiled) return;
  int64_t v = snapshot_version(db);
  if (v < 0) return;
  if (!m->hits) m->version = v; /* later answers of this request are the snapshot's version */
  else if (v != m->version) return;
  memo_entry *old = find(m, k);
  if (old) entry_free(m, old);
  /* one block: the entry, its cells (aligned as the entry is), its key, its texts */
  size_t cells = m->ncells * sizeof *m->cells;
  size_t size = sizeof(memo_entry) + cells + k->len + m->nbytes;
  while (m->oldest && m->used + size > MEMO_BUDGET) entry_free(m, m->oldest);
  memo_entry *e = malloc(size);
  if (!e) return;
  *e = (memo_entry){NULL, m->newest, NULL, k->sql, k->hash, m->couple, v, k->mode, m->rows, m->cols, k->len, size,
                    NULL, NULL, NULL};
  e->cells = (memo_cell *)(e + 1);
  if (cells) memcpy(e->cells, m->cells, cells);
  e->key = (unsigned char *)e->cells + cells;
  memcpy(e->key, k->buf, k->len);
  e->bytes = (char *)e->key + k->len;
  if (m->nbytes) memcpy(e->bytes, m->bytes, m->nbytes);
  e->next = m->bucket[k->hash % MEMO_BUCKETS];
  m->bucket[k->hash % MEMO_BUCKETS] = e;
  if (m->newest) m->newest->newer = e; else m->oldest = e;
  m->newest = e;
  m->used += size;
}
