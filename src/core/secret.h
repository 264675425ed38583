/* secret.h: tokens, ids, password hashes and invite codes (libsodium). No I/O beyond the
   system's random source. */
#ifndef MEND_SECRET_H
#define MEND_SECRET_H
#include <stddef.h>
#include <stdint.h>

#define TOKEN_BYTES 32
#define TOKEN_CHARS 43          /* base64url of 32 bytes, no padding */
#define HASH_BYTES 32
#define PWHASH_CHARS 128
#define INVITE_CHARS 16         /* Crockford base32 of 10 random bytes */
#define INVITE_DISPLAY 19       /* grouped XXXX-XXXX-XXXX-XXXX */

int secret_init(void);
/* A random positive id below 2^53, so it survives JSON numbers in every client. */
int64_t secret_id(void);
/* A new random token, base64url, NUL-terminated into out[TOKEN_CHARS + 1]. */
void secret_token(char *out);
/* BLAKE2b-256 of a token: what the database stores instead of the token. */
void secret_hash(const char *token, size_t n, unsigned char out[HASH_BYTES]);
/* A keyed hash of a purpose string under the session token: the CSRF token of a session. */
void secret_derive(const char *token, size_t n, const char *purpose, char out[TOKEN_CHARS + 1]);
/* argon2id, 19 MiB and 2 passes. Returns 0 on success. Slow: call from a worker thread. */
int secret_password_hash(const char *pw, size_t n, char out[PWHASH_CHARS]);
/* Constant-time verification. Returns 1 when the password matches. */
int secret_password_verify(const char *stored, const char *pw, size_t n);
/* A fresh invite code, grouped for display ("K7QM-3ZRT-9XWB-C2DF"). */
void secret_invite_code(char out[INVITE_DISPLAY + 1]);
/* Normalises what a user typed (dashes, spaces, case, O/0, I/L/1) into out[INVITE_CHARS+1].
   Returns 0 when it cannot be a code. */
int secret_invite_normalize(const char *in, size_t n, char out[INVITE_CHARS + 1]);
/* Constant-time string comparison of equal-length strings. */
int secret_equal(const char *a, const char *b, size_t n);

#endif
