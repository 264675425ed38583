/* seal.h: private entries sealed with a key only their author's password opens (libsodium).
   Each user has a random data key. It is stored wrapped by a key derived from the password
   (argon2id), and while logged in, wrapped again by a key derived from the session token,
   which the server never stores: the database alone opens nothing. Entries are sealed with
   XChaCha20-Poly1305, bound to their table, couple and id so a sealed text cannot be moved. */
#ifndef MEND_SEAL_H
#define MEND_SEAL_H
#include <stddef.h>
#include <stdint.h>

#define SEAL_KEY 32
#define SEAL_SALT 16
#define SEAL_NONCE 24
#define SEAL_TAG 16
#define SEAL_OVERHEAD (SEAL_NONCE + SEAL_TAG)
#define SEAL_WRAPPED (SEAL_NONCE + SEAL_KEY + SEAL_TAG)
#define SEAL_KEYBOX (SEAL_SALT + SEAL_WRAPPED) /* what users.keybox holds */

/* A new data key and its keybox under the password. Slow (argon2id): a worker thread. 0 on success. */
int seal_keybox_new(const char *pw, size_t n, unsigned char dk[SEAL_KEY], unsigned char box[SEAL_KEYBOX]);
/* Opens a keybox with the password. Slow. 0 on success, -1 when the password does not open it. */
int seal_keybox_open(const unsigned char box[SEAL_KEYBOX], const char *pw, size_t n, unsigned char dk[SEAL_KEY]);
/* The same data key in a keybox under a new password. Slow. 0 on success. */
int seal_keybox_rewrap(const unsigned char dk[SEAL_KEY], const char *pw, size_t n, unsigned char box[SEAL_KEYBOX]);
/* Many keyboxes under one password (mend seed): the password's key derived once. */
typedef struct { unsigned char salt[SEAL_SALT], kek[SEAL_KEY]; } seal_kek_t;
int seal_kek_derive(const char *pw, size_t n, seal_kek_t *k);
void seal_keybox_under(const seal_kek_t *k, unsigned char dk[SEAL_KEY], unsigned char box[SEAL_KEYBOX]);
/* The data key wrapped for a session: keyed by the session token. Fast. */
void seal_session_wrap(const char *token, size_t n, const unsigned char dk[SEAL_KEY], unsigned char out[SEAL_WRAPPED]);
int seal_session_open(const char *token, size_t n, const unsigned char in[SEAL_WRAPPED], unsigned char dk[SEAL_KEY]);
/* Seals n bytes into out (n + SEAL_OVERHEAD bytes). kind names the table. */
void seal_text(const unsigned char dk[SEAL_KEY], const char *kind, int64_t couple, int64_t id, const char *text, size_t n,
               unsigned char *out);
/* Opens a sealed text into out (n - SEAL_OVERHEAD bytes and a NUL). 0 on success, -1 when it
   is not sealed with this key for this row. */
int seal_open(const unsigned char dk[SEAL_KEY], const char *kind, int64_t couple, int64_t id, const unsigned char *in,
              size_t n, char *out);

#endif
