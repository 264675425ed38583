/* webpush.c: see webpush.h. */
#include "webpush.h"
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* A P-256 key from its raw parts (priv may be NULL for a public key alone). */
static EVP_PKEY *key_of(const unsigned char *priv, const unsigned char pub[WP_PUBLIC]) {
  EVP_PKEY *k = NULL;
  OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
  BIGNUM *d = priv ? BN_bin2bn(priv, WP_PRIVATE, NULL) : NULL;
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
  OSSL_PARAM *params = NULL;
  if (b && ctx && (!priv || d) && OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) &&
      OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, pub, WP_PUBLIC) &&
      (!d || OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_PRIV_KEY, d)) && (params = OSSL_PARAM_BLD_to_param(b)) &&
      EVP_PKEY_fromdata_init(ctx) == 1)
    EVP_PKEY_fromdata(ctx, &k, d ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params);
  OSSL_PARAM_free(params);
  EVP_PKEY_CTX_free(ctx);
  BN_clear_free(d);
  OSSL_PARAM_BLD_free(b);
  return k;
}

static int raw_of(EVP_PKEY *k, unsigned char priv[WP_PRIVATE], unsigned char pub[WP_PUBLIC]) {
  BIGNUM *d = NULL;
  size_t n = 0;
  int ok = EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, pub, WP_PUBLIC, &n) == 1 && n == WP_PUBLIC &&
           EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_PRIV_KEY, &d) == 1 && BN_bn2binpad(d, priv, WP_PRIVATE) == WP_PRIVATE;
  BN_clear_free(d);
  return ok ? 0 : -1;
}

int wp_keypair(unsigned char priv[WP_PRIVATE], unsigned char pub[WP_PUBLIC]) {
  EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
  int rc = k ? raw_of(k, priv, pub) : -1;
  EVP_PKEY_free(k);
  return rc;
}

/* HKDF with SHA-256 (RFC 5869) for outputs of at most 32 bytes: one HMAC each way. */
static void hkdf_extract(const unsigned char *salt, size_t sn, const unsigned char *ikm, size_t n, unsigned char prk[32]) {
  crypto_auth_hmacsha256_state s;
  crypto_auth_hmacsha256_init(&s, salt, sn);
  crypto_auth_hmacsha256_update(&s, ikm, n);
  crypto_auth_hmacsha256_final(&s, prk);
}
static void hkdf_expand(const unsigned char prk[32], const void *info, size_t n, unsigned char *out, size_t len) {
  unsigned char t[32], one = 1;
  crypto_auth_hmacsha256_state s;
  crypto_auth_hmacsha256_init(&s, prk, 32);
  crypto_auth_hmacsha256_update(&s, info, n);
  crypto_auth_hmacsha256_update(&s, &one, 1);
  crypto_auth_hmacsha256_final(&s, t);
  memcpy(out, t, len);
  sodium_memzero(t, sizeof t);
}

long wp_encrypt_with(const unsigned char ua_pub[WP_PUBLIC], const unsigned char auth[WP_AUTH], const void *plain, size_t n,
                     const unsigned char as_priv[WP_PRIVATE], const unsigned char as_pub[WP_PUBLIC],
                     const unsigned char salt[16], unsigned char *out) {
  if (n > WP_PLAIN_MAX || ua_pub[0] != 4) return -1;
  EVP_PKEY *mine = key_of(as_priv, as_pub), *theirs = key_of(NULL, ua_pub);
  EVP_PKEY_CTX *dh = mine ? EVP_PKEY_CTX_new(mine, NULL) : NULL;
  unsigned char secret[32], prk_key[32], ikm[32], prk[32], cek[16], nonce[12];
  size_t sn = sizeof secret;
  long len = -1;
  if (!theirs || !dh || EVP_PKEY_derive_init(dh) != 1 || EVP_PKEY_derive_set_peer(dh, theirs) != 1 ||
      EVP_PKEY_derive(dh, secret, &sn) != 1 || sn != sizeof secret)
    goto done;
  /* the keys of RFC 8291 section 3.4, then of RFC 8188 */
  hkdf_extract(auth, WP_AUTH, secret, sizeof secret, prk_key);
  unsigned char info[14 + 2 * WP_PUBLIC];
  memcpy(info, "WebPush: info", 14); /* with its NUL */
  memcpy(info + 14, ua_pub, WP_PUBLIC);
  memcpy(info + 14 + WP_PUBLIC, as_pub, WP_PUBLIC);
  hkdf_expand(prk_key, info, sizeof info, ikm, sizeof ikm);
  hkdf_extract(salt, 16, ikm, sizeof ikm, prk);
  hkdf_expand(prk, "Content-Encoding: aes128gcm", 28, cek, sizeof cek);
  hkdf_expand(prk, "Content-Encoding: nonce", 24, nonce, sizeof nonce);
  /* the header: salt, record size 4096, the key id (the server's public key) */
  unsigned char *p = out;
  memcpy(p, salt, 16);
  p += 16;
  *p++ = 0; *p++ = 0; *p++ = 0x10; *p++ = 0;
  *p++ = WP_PUBLIC;
  memcpy(p, as_pub, WP_PUBLIC);
  p += WP_PUBLIC;
  /* one record: the words, then 2 (the last record), sealed with its tag */
  EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
  int a = 0, b = 0;
  static const unsigned char last = 2;
  if (c && EVP_EncryptInit_ex(c, EVP_aes_128_gcm(), NULL, cek, nonce) == 1 &&
      EVP_EncryptUpdate(c, p, &a, plain, (int)n) == 1 && EVP_EncryptUpdate(c, p + a, &b, &last, 1) == 1) {
    int f = 0;
    p += a + b;
    if (EVP_EncryptFinal_ex(c, p, &f) == 1 && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, p + f) == 1)
      len = (long)(p + f + 16 - out);
  }
  EVP_CIPHER_CTX_free(c);
done:
  sodium_memzero(secret, sizeof secret);
  sodium_memzero(prk_key, sizeof prk_key);
  sodium_memzero(ikm, sizeof ikm);
  sodium_memzero(prk, sizeof prk);
  sodium_memzero(cek, sizeof cek);
  EVP_PKEY_CTX_free(dh);
  EVP_PKEY_free(mine);
  EVP_PKEY_free(theirs);
  return len;
}

long wp_encrypt(const unsigned char ua_pub[WP_PUBLIC], const unsigned char auth[WP_AUTH], const void *plain, size_t n,
                unsigned char *out) {
  unsigned char priv[WP_PRIVATE], pub[WP_PUBLIC], salt[16];
  if (wp_keypair(priv, pub) != 0) return -1; /* a new key each message */
  randombytes_buf(salt, sizeof salt);
  long len = wp_encrypt_with(ua_pub, auth, plain, n, priv, pub, salt, out);
  sodium_memzero(priv, sizeof priv);
  return len;
}

void wp_b64_encode(const unsigned char *p, size_t n, char *out, size_t outlen) {
  sodium_bin2base64(out, outlen, p, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

long wp_b64_decode(const char *s, unsigned char *out, size_t max) {
  size_t n = 0;
  /* browsers write it without padding; some clients pad: both are read */
  size_t len = strlen(s);
  while (len && s[len - 1] == '=') len--;
  if (sodium_base642bin(out, max, s, len, NULL, &n, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) return -1;
  return (long)n;
}

int wp_vapid_jwt(const unsigned char priv[WP_PRIVATE], const unsigned char pub[WP_PUBLIC], const char *aud, int64_t exp,
                 const char *sub, char *out, size_t outlen) {
  char claims[400], part[600];
  int cn = snprintf(claims, sizeof claims, "{\"aud\":\"%s\",\"exp\":%lld,\"sub\":\"%s\"}", aud, (long long)exp, sub);
  if (cn < 0 || (size_t)cn >= sizeof claims || strpbrk(aud, "\"\\") || strpbrk(sub, "\"\\")) return -1;
  /* {"typ":"JWT","alg":"ES256"} */
  static const char head[] = "eyJ0eXAiOiJKV1QiLCJhbGciOiJFUzI1NiJ9";
  char body[sizeof claims * 4 / 3 + 4];
  wp_b64_encode((const unsigned char *)claims, (size_t)cn, body, sizeof body);
  int pn = snprintf(part, sizeof part, "%s.%s", head, body);
  if (pn < 0 || (size_t)pn >= sizeof part) return -1;
  EVP_PKEY *k = key_of(priv, pub);
  EVP_MD_CTX *md = EVP_MD_CTX_new();
  unsigned char der[80], raw[64];
  size_t dn = sizeof der;
  int rc = -1;
  if (k && md && EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, k) == 1 &&
      EVP_DigestSign(md, der, &dn, (const unsigned char *)part, (size_t)pn) == 1) {
    /* JWS wants r and s side by side, 32 bytes each, not DER */
    const unsigned char *q = der;
    ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &q, (long)dn);
    const BIGNUM *r, *s;
    if (sig) {
      ECDSA_SIG_get0(sig, &r, &s);
      if (BN_bn2binpad(r, raw, 32) == 32 && BN_bn2binpad(s, raw + 32, 32) == 32) {
        char sb[90];
        wp_b64_encode(raw, sizeof raw, sb, sizeof sb);
        int on = snprintf(out, outlen, "%s.%s", part, sb);
        rc = on > 0 && (size_t)on < outlen ? 0 : -1;
      }
      ECDSA_SIG_free(sig);
    }
  }
  EVP_MD_CTX_free(md);
  EVP_PKEY_free(k);
  return rc;
}
