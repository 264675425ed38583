/* secret.c: everything random or hashed about accounts, on libsodium. */
#include "secret.h"
#include <sodium.h>
#include <string.h>

#define PW_OPSLIMIT 2
#define PW_MEMLIMIT (19u * 1024 * 1024)

int secret_init(void) { return sodium_init() < 0 ? -1 : 0; }

int64_t secret_id(void) {
  uint64_t v;
  do {
    randombytes_buf(&v, sizeof v);
    v &= (1ull << 53) - 1;
  } while (v < 1000);
  return (int64_t)v;
}

void secret_token(char *out) {
  unsigned char raw[TOKEN_BYTES];
  randombytes_buf(raw, sizeof raw);
  sodium_bin2base64(out, TOKEN_CHARS + 1, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(raw, sizeof raw);
}

void secret_hash(const char *token, size_t n, unsigned char out[HASH_BYTES]) {
  crypto_generichash(out, HASH_BYTES, (const unsigned char *)token, n, NULL, 0);
}

/* Keyed by the token itself under its own label, never by secret_hash(token): that is what
   the sessions table stores, and a reader of the database could compute every CSRF token. */
void secret_derive(const char *token, size_t n, const char *purpose, char out[TOKEN_CHARS + 1]) {
  unsigned char key[crypto_generichash_KEYBYTES], mac[TOKEN_BYTES];
  crypto_generichash_state st;
  crypto_generichash_init(&st, (const unsigned char *)"mend derive key1", 16, sizeof key);
  crypto_generichash_update(&st, (const unsigned char *)token, n);
  crypto_generichash_final(&st, key, sizeof key);
  crypto_generichash(mac, sizeof mac, (const unsigned char *)purpose, strlen(purpose), key, sizeof key);
  sodium_bin2base64(out, TOKEN_CHARS + 1, mac, sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(key, sizeof key);
}

int secret_password_hash(const char *pw, size_t n, char out[PWHASH_CHARS]) {
  return crypto_pwhash_str_alg(out, pw, n, PW_OPSLIMIT, PW_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13);
}

int secret_password_verify(const char *stored, const char *pw, size_t n) {
  return crypto_pwhash_str_verify(stored, pw, n) == 0;
}

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void secret_invite_code(char out[INVITE_DISPLAY + 1]) {
  unsigned char raw[10];
  randombytes_buf(raw, sizeof raw);
  char plain[INVITE_CHARS];
  /* 80 bits into 16 five-bit symbols */
  for (int i = 0; i < INVITE_CHARS; i++) {
    int bit = i * 5, v = 0;
    for (int b = 0; b < 5; b++, bit++) v = v << 1 | ((raw[bit / 8] >> (7 - bit % 8)) & 1);
    plain[i] = crockford[v];
  }
  int o = 0;
  for (int i = 0; i < INVITE_CHARS; i++) {
    if (i && i % 4 == 0) out[o++] = '-';
    out[o++] = plain[i];
  }
  out[o] = 0;
}

int secret_invite_normalize(const char *in, size_t n, char out[INVITE_CHARS + 1]) {
  int o = 0;
  for (size_t i = 0; i < n; i++) {
    char c = in[i];
    if (c == '-' || c == ' ') continue;
    if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    if (!strchr(crockford, c) || c == 0) return 0;
    if (o >= INVITE_CHARS) return 0;
    out[o++] = c;
  }
  out[o] = 0;
  return o == INVITE_CHARS;
}

int secret_equal(const char *a, const char *b, size_t n) { return sodium_memcmp(a, b, n) == 0; }
