/* webpush.h: a Web Push message for one subscription, encrypted as RFC 8291 says (aes128gcm
   content coding, RFC 8188, one record), and the VAPID token of RFC 8292 that signs the
   request to the push service. P-256, ECDH, AES-128-GCM and ES256 by OpenSSL; HMAC-SHA-256
   (HKDF) and base64url by libsodium. No I/O. */
#ifndef MEND_CORE_WEBPUSH_H
#define MEND_CORE_WEBPUSH_H
#include <stddef.h>
#include <stdint.h>

#define WP_PUBLIC 65  /* an uncompressed P-256 point: 0x04, x, y */
#define WP_PRIVATE 32
#define WP_AUTH 16    /* the subscription's auth secret */
/* salt, record size, key id length, the server's key, the delimiter and the tag */
#define WP_OVERHEAD (16 + 4 + 1 + WP_PUBLIC + 1 + 16)
#define WP_PLAIN_MAX 3000 /* well inside one 4096-byte record */
#define WP_JWT_MAX 512

/* A new P-256 key pair (VAPID): 0, or -1. */
int wp_keypair(unsigned char priv[WP_PRIVATE], unsigned char pub[WP_PUBLIC]);
/* plain (at most WP_PLAIN_MAX bytes) for the subscription's key ua_pub and secret auth, into
   out (n + WP_OVERHEAD bytes): the body to send. Its length, or -1 (a key that is no point). */
long wp_encrypt(const unsigned char ua_pub[WP_PUBLIC], const unsigned char auth[WP_AUTH], const void *plain, size_t n,
                unsigned char *out);
/* The same with the server's ephemeral key and salt given (for tests against RFC 8291's
   example). */
long wp_encrypt_with(const unsigned char ua_pub[WP_PUBLIC], const unsigned char auth[WP_AUTH], const void *plain, size_t n,
                     const unsigned char as_priv[WP_PRIVATE], const unsigned char as_pub[WP_PUBLIC],
                     const unsigned char salt[16], unsigned char *out);
/* The VAPID JWT (ES256) for the push service at aud ("https://host[:port]"), valid until exp,
   naming the operator by sub ("mailto:..." or an https address): 0, or -1. */
int wp_vapid_jwt(const unsigned char priv[WP_PRIVATE], const unsigned char pub[WP_PUBLIC], const char *aud, int64_t exp,
                 const char *sub, char *out, size_t outlen);
/* base64url without padding, as push subscriptions and VAPID write keys: the bytes decoded
   (-1 when s is not that), and the text of n bytes into out (4n/3 + 2 bytes). */
long wp_b64_decode(const char *s, unsigned char *out, size_t max);
void wp_b64_encode(const unsigned char *p, size_t n, char *out, size_t outlen);

#endif
