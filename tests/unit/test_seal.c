/* test_seal.c: the data key's life (made, opened, rewrapped, held by a session) and sealed
   texts that open only with their key, for their row. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <string.h>
#include "core/seal.h"
#include "core/secret.h"

static void keybox_opens_with_its_password_only(void **state) {
  (void)state;
  unsigned char dk[SEAL_KEY], box[SEAL_KEYBOX], got[SEAL_KEY];
  assert_int_equal(seal_keybox_new("correct horse", 13, dk, box), 0);
  assert_int_equal(seal_keybox_open(box, "correct horse", 13, got), 0);
  assert_memory_equal(got, dk, SEAL_KEY);
  assert_int_equal(seal_keybox_open(box, "correct hors", 12, got), -1);
  /* a box does not hold the key in the clear */
  assert_null(memmem(box, sizeof box, dk, SEAL_KEY));
  /* a password change: the same key under the new password, the old one opens nothing */
  unsigned char box2[SEAL_KEYBOX];
  assert_int_equal(seal_keybox_rewrap(dk, "battery staple", 14, box2), 0);
  assert_int_equal(seal_keybox_open(box2, "battery staple", 14, got), 0);
  assert_memory_equal(got, dk, SEAL_KEY);
  assert_int_equal(seal_keybox_open(box2, "correct horse", 13, got), -1);
  /* a tampered box is refused */
  box2[SEAL_KEYBOX - 1] ^= 1;
  assert_int_equal(seal_keybox_open(box2, "battery staple", 14, got), -1);
}

static void many_boxes_under_one_password(void **state) {
  (void)state;
  seal_kek_t k;
  assert_int_equal(seal_kek_derive("seed", 4, &k), 0);
  unsigned char a[SEAL_KEY], b[SEAL_KEY], ba[SEAL_KEYBOX], bb[SEAL_KEYBOX], got[SEAL_KEY];
  seal_keybox_under(&k, a, ba);
  seal_keybox_under(&k, b, bb);
  assert_memory_not_equal(a, b, SEAL_KEY);
  assert_int_equal(seal_keybox_open(bb, "seed", 4, got), 0);
  assert_memory_equal(got, b, SEAL_KEY);
}

static void session_holds_the_key_under_its_token(void **state) {
  (void)state;
  char t1[TOKEN_CHARS + 1], t2[TOKEN_CHARS + 1];
  secret_token(t1);
  secret_token(t2);
  unsigned char dk[SEAL_KEY], w[SEAL_WRAPPED], got[SEAL_KEY], h[HASH_BYTES];
  randombytes_buf(dk, sizeof dk);
  seal_session_wrap(t1, TOKEN_CHARS, dk, w);
  assert_int_equal(seal_session_open(t1, TOKEN_CHARS, w, got), 0);
  assert_memory_equal(got, dk, SEAL_KEY);
  assert_int_equal(seal_session_open(t2, TOKEN_CHARS, w, got), -1);
  /* what the database stores of the token (its hash) does not open it */
  secret_hash(t1, TOKEN_CHARS, h);
  assert_int_equal(seal_session_open((const char *)h, HASH_BYTES, w, got), -1);
}

static void sealed_text_is_bound_to_key_and_row(void **state) {
  (void)state;
  unsigned char dk[SEAL_KEY], other[SEAL_KEY];
  randombytes_buf(dk, sizeof dk);
  randombytes_buf(other, sizeof other);
  const char *text = "marker-pelican in a private note";
  size_t n = strlen(text);
  unsigned char sealed[64 + SEAL_OVERHEAD];
  char out[64 + 1];
  seal_text(dk, "journal", 7, 9, text, n, sealed);
  assert_null(memmem(sealed, n + SEAL_OVERHEAD, "pelican", 7));
  assert_int_equal(seal_open(dk, "journal", 7, 9, sealed, n + SEAL_OVERHEAD, out), 0);
  assert_string_equal(out, text);
  assert_int_equal(seal_open(other, "journal", 7, 9, sealed, n + SEAL_OVERHEAD, out), -1);
  assert_int_equal(seal_open(dk, "journal", 7, 10, sealed, n + SEAL_OVERHEAD, out), -1);
  assert_int_equal(seal_open(dk, "journal", 8, 9, sealed, n + SEAL_OVERHEAD, out), -1);
  assert_int_equal(seal_open(dk, "feelings", 7, 9, sealed, n + SEAL_OVERHEAD, out), -1);
  assert_int_equal(seal_open(dk, "journal", 7, 9, sealed, SEAL_OVERHEAD - 1, out), -1);
  /* the same text sealed twice looks different (a fresh nonce each time) */
  unsigned char again[64 + SEAL_OVERHEAD];
  seal_text(dk, "journal", 7, 9, text, n, again);
  assert_memory_not_equal(sealed, again, n + SEAL_OVERHEAD);
}

int main(void) {
  if (sodium_init() < 0) return 1;
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(keybox_opens_with_its_password_only), cmocka_unit_test(many_boxes_under_one_password),
    cmocka_unit_test(session_holds_the_key_under_its_token), cmocka_unit_test(sealed_text_is_bound_to_key_and_row),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
