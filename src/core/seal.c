/* seal.c: data keys, their wrapping, and sealed texts. See seal.h. */
#include "seal.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* The same cost as the password hash: 19 MiB, 2 passes. */
#define KEK_OPS 2
#define KEK_MEM (19u << 20)

static int kek(const char *pw, size_t n, const unsigned char salt[SEAL_SALT], unsigned char out[SEAL_KEY]) {
  return crypto_pwhash(out, SEAL_KEY, pw, n, salt, KEK_OPS, KEK_MEM, crypto_pwhash_ALG_ARGON2ID13);
}

static void wrap(const unsigned char key[SEAL_KEY], const unsigned char dk[SEAL_KEY], unsigned char out[SEAL_WRAPPED]) {
  randombytes_buf(out, SEAL_NONCE);
  crypto_aead_xchacha20poly1305_ietf_encrypt(out + SEAL_NONCE, NULL, dk, SEAL_KEY, (const unsigned char *)"mend/dk", 7,
                                             NULL, out, key);
}

static int unwrap(const unsigned char key[SEAL_KEY], const unsigned char in[SEAL_WRAPPED], unsigned char dk[SEAL_KEY]) {
  return crypto_aead_xchacha20poly1305_ietf_decrypt(dk, NULL, NULL, in + SEAL_NONCE, SEAL_KEY + SEAL_TAG,
                                                    (const unsigned char *)"mend/dk", 7, in, key) == 0 ? 0 : -1;
}

int seal_keybox_rewrap(const unsigned char dk[SEAL_KEY], const char *pw, size_t n, unsigned char box[SEAL_KEYBOX]) {
  unsigned char k[SEAL_KEY];
  randombytes_buf(box, SEAL_SALT);
  if (kek(pw, n, box, k) != 0) return -1;
  wrap(k, dk, box + SEAL_SALT);
  sodium_memzero(k, sizeof k);
  return 0;
}

int seal_keybox_new(const char *pw, size_t n, unsigned char dk[SEAL_KEY], unsigned char box[SEAL_KEYBOX]) {
  crypto_aead_xchacha20poly1305_ietf_keygen(dk);
  return seal_keybox_rewrap(dk, pw, n, box);
}

int seal_keybox_open(const unsigned char box[SEAL_KEYBOX], const char *pw, size_t n, unsigned char dk[SEAL_KEY]) {
  unsigned char k[SEAL_KEY];
  if (kek(pw, n, box, k) != 0) return -1;
  int rc = unwrap(k, box + SEAL_SALT, dk);
  sodium_memzero(k, sizeof k);
  return rc;
}

int seal_kek_derive(const char *pw, size_t n, seal_kek_t *k) {
  randombytes_buf(k->salt, SEAL_SALT);
  return kek(pw, n, k->salt, k->kek);
}

void seal_keybox_under(const seal_kek_t *k, unsigned char dk[SEAL_KEY], unsigned char box[SEAL_KEYBOX]) {
  crypto_aead_xchacha20poly1305_ietf_keygen(dk);
  memcpy(box, k->salt, SEAL_SALT);
  wrap(k->kek, dk, box + SEAL_SALT);
}

/* A keyed BLAKE2b of a fixed label under the token: independent of the stored token hash
   (an unkeyed BLAKE2b of the token), so the database cannot derive it. */
static void session_key(const char *token, size_t n, unsigned char out[SEAL_KEY]) {
  crypto_generichash(out, SEAL_KEY, (const unsigned char *)"mend/session-seal", 17, (const unsigned char *)token,
                     n > crypto_generichash_KEYBYTES_MAX ? crypto_generichash_KEYBYTES_MAX : n);
}

void seal_session_wrap(const char *token, size_t n, const unsigned char dk[SEAL_KEY], unsigned char out[SEAL_WRAPPED]) {
  unsigned char k[SEAL_KEY];
  session_key(token, n, k);
  wrap(k, dk, out);
  sodium_memzero(k, sizeof k);
}

int seal_session_open(const char *token, size_t n, const unsigned char in[SEAL_WRAPPED], unsigned char dk[SEAL_KEY]) {
  unsigned char k[SEAL_KEY];
  session_key(token, n, k);
  int rc = unwrap(k, in, dk);
  sodium_memzero(k, sizeof k);
  return rc;
}

static size_t ad(char buf[96], const char *kind, int64_t couple, int64_t id) {
  int w = snprintf(buf, 96, "mend/%s/%lld/%lld", kind, (long long)couple, (long long)id);
  return w < 0 ? 0 : (size_t)w >= 96 ? 95 : (size_t)w;
}

void seal_text(const unsigned char dk[SEAL_KEY], const char *kind, int64_t couple, int64_t id, const char *text, size_t n,
               unsigned char *out) {
  char a[96];
  size_t an = ad(a, kind, couple, id);
  randombytes_buf(out, SEAL_NONCE);
  crypto_aead_xchacha20poly1305_ietf_encrypt(out + SEAL_NONCE, NULL, (const unsigned char *)text, n,
                                             (const unsigned char *)a, an, NULL, out, dk);
}

int seal_open(const unsigned char dk[SEAL_KEY], const char *kind, int64_t couple, int64_t id, const unsigned char *in,
              size_t n, char *out) {
  if (n < SEAL_OVERHEAD) return -1;
  char a[96];
  size_t an = ad(a, kind, couple, id);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)out, NULL, NULL, in + SEAL_NONCE, n - SEAL_NONCE,
                                                 (const unsigned char *)a, an, in, dk) != 0)
    return -1;
  out[n - SEAL_OVERHEAD] = 0;
  return 0;
}
