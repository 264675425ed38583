/* Unit tests for core/: input rules, secrets, and the form and cookie parsers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <stdio.h>
#include "core/days.h"
#include "core/parse.h"
#include <time.h>
#include "core/secret.h"
#include "core/word_diff.h"
#include "core/validate.h"
#include "core/talk_rules.h"

static void usernames(void **state) {
  (void)state;
  char out[USERNAME_MAX + 1];
  assert_null(validate_username("Robin.K", 7, out));
  assert_string_equal(out, "robin.k");
  assert_non_null(validate_username("ab", 2, out));
  assert_non_null(validate_username(".abc", 4, out));
  assert_non_null(validate_username("a b c", 5, out));
  assert_non_null(validate_username("abcdefghijabcdefghijabcdefghijabc", 33, out));
  assert_non_null(validate_username("rené", strlen("rené"), out));
}

static void passwords(void **state) {
  (void)state;
  assert_non_null(validate_password("short", 5));
  assert_null(validate_password("long enough pw", 14));
  /* ten characters, counted as characters, not bytes */
  assert_null(validate_password("éééééééééé", strlen("éééééééééé")));
  assert_non_null(validate_password("éééé", strlen("éééé")));
  assert_non_null(validate_password("bad\xff\xfe bytes here", 17));
}

static void display_names(void **state) {
  (void)state;
  size_t s, n;
  assert_null(validate_display_name("  Sam  ", 7, &s, &n));
  assert_int_equal(s, 2);
  assert_int_equal(n, 3);
  assert_non_null(validate_display_name("   ", 3, &s, &n));
  assert_non_null(validate_display_name("a\nb", 3, &s, &n));
  char big[70];
  memset(big, 'x', sizeof big);
  assert_non_null(validate_display_name(big, sizeof big, &s, &n));
}

static void utf8(void **state) {
  (void)state;
  assert_int_equal(utf8_count("héllo", strlen("héllo"), 0), 5);
  assert_int_equal(utf8_count("\xc0\xaf", 2, 0), -1);     /* overlong */
  assert_int_equal(utf8_count("\xed\xa0\x80", 3, 0), -1); /* surrogate */
  assert_int_equal(utf8_count("a\nb", 3, 1), 3);
  assert_int_equal(utf8_count("a\nb", 3, 0), -1);
  assert_int_equal(utf8_count("\xe2\x82", 2, 0), -1);     /* truncated */
}

static void tokens_and_hashes(void **state) {
  (void)state;
  char a[TOKEN_CHARS + 1], b[TOKEN_CHARS + 1];
  secret_token(a);
  secret_token(b);
  assert_int_equal(strlen(a), TOKEN_CHARS);
  assert_string_not_equal(a, b);
  unsigned char h1[HASH_BYTES], h2[HASH_BYTES];
  secret_hash(a, TOKEN_CHARS, h1);
  secret_hash(a, TOKEN_CHARS, h2);
  assert_memory_equal(h1, h2, HASH_BYTES);
  char c1[TOKEN_CHARS + 1], c2[TOKEN_CHARS + 1];
  secret_derive(a, TOKEN_CHARS, "csrf", c1);
  secret_derive(b, TOKEN_CHARS, "csrf", c2);
  assert_string_not_equal(c1, c2);
  int64_t id = secret_id();
  assert_true(id > 0 && id < (1LL << 53));
}

static void passwords_hash_and_verify(void **state) {
  (void)state;
  char h[PWHASH_CHARS];
  assert_int_equal(secret_password_hash("correct horse", 13, h), 0);
  assert_true(strncmp(h, "$argon2id$", 10) == 0);
  assert_non_null(strstr(h, "m=19456"));
  assert_true(secret_password_verify(h, "correct horse", 13));
  assert_false(secret_password_verify(h, "correct horsE", 13));
}

static void invite_codes(void **state) {
  (void)state;
  char code[INVITE_DISPLAY + 1], norm[INVITE_CHARS + 1], again[INVITE_CHARS + 1];
  secret_invite_code(code);
  assert_int_equal(strlen(code), INVITE_DISPLAY);
  assert_int_equal(code[4], '-');
  assert_true(secret_invite_normalize(code, strlen(code), norm));
  /* typed in lower case, with spaces and look-alike letters */
  assert_true(secret_invite_normalize("k7qm 3zrt-9xwb-c2df", 19, again));
  assert_string_equal(again, "K7QM3ZRT9XWBC2DF");
  assert_true(secret_invite_normalize("O0IL-0000-0000-0000", 19, again));
  assert_string_equal(again, "0011000000000000");
  assert_false(secret_invite_normalize("K7QM-3ZRT", 9, again));
  assert_false(secret_invite_normalize("K7QM-3ZRT-9XWB-C2DU", 19, again)); /* U is not Crockford */
}

static void url_decoding(void **state) {
  (void)state;
  char out[32];
  assert_int_equal(url_decode("a%20b+c", 7, out, sizeof out, 1), 5);
  assert_string_equal(out, "a b c");
  assert_int_equal(url_decode("a+b", 3, out, sizeof out, 0), 3);
  assert_string_equal(out, "a+b");
  assert_int_equal(url_decode("%zz", 3, out, sizeof out, 1), -1);
  assert_int_equal(url_decode("%4", 2, out, sizeof out, 1), -1);
  assert_int_equal(url_decode("abc", 3, out, 3, 1), -1); /* no room for the NUL */
}

static void forms(void **state) {
  (void)state;
  const char *body = "username=sam&password=p%26w+d&empty=&csrf=x";
  char out[64];
  assert_int_equal(form_get(body, strlen(body), "password", out, sizeof out), 5);
  assert_string_equal(out, "p&w d");
  assert_int_equal(form_get(body, strlen(body), "empty", out, sizeof out), 0);
  assert_int_equal(form_get(body, strlen(body), "missing", out, sizeof out), -1);
  assert_int_equal(form_get(body, strlen(body), "user", out, sizeof out), -1);
}

static void cookies(void **state) {
  (void)state;
  const char *h = "a=1; mend_session=abc ;  mend_csrf=\"q\"; x";
  const char *v;
  size_t n;
  assert_true(cookie_get(h, strlen(h), "mend_session", &v, &n));
  assert_int_equal(n, 3);
  assert_memory_equal(v, "abc", 3);
  assert_true(cookie_get(h, strlen(h), "mend_csrf", &v, &n));
  assert_memory_equal(v, "q", 1);
  assert_false(cookie_get(h, strlen(h), "mend", &v, &n));
  assert_false(cookie_get(h, strlen(h), "x", &v, &n));
}

static void iso_times_match_the_c_library(void **state) {
  (void)state;
  char a[32], b[32];
  for (int64_t t = 0; t < 4102444800LL; t += 86399 * 7 + 13) {
    iso_time(t, a);
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", &tm);
    assert_string_equal(a, b);
  }
  iso_time(951782400, a); /* a leap day */
  assert_string_equal(a, "2000-02-29T00:00:00Z");
}

static int64_t d(const char *s) {
  int64_t v = -1;
  assert_int_equal(day_parse(s, strlen(s), &v), 0);
  return v;
}

static void yearly_dates(void **state) {
  (void)state;
  assert_int_equal(day_slot(d("2026-01-01")), 0);
  assert_int_equal(day_slot(d("2024-02-29")), 59);
  assert_int_equal(day_slot(d("2026-03-01")), 60); /* the same slot in every year */
  assert_int_equal(day_slot(d("2024-03-01")), 60);
  assert_int_equal(day_slot(d("2026-12-31")), 365);
  /* the next time a date comes round: this year, on the day, or next year */
  assert_int_equal(day_next_yearly(d("2024-06-14"), d("2026-06-01")), d("2026-06-14"));
  assert_int_equal(day_next_yearly(d("2024-06-14"), d("2026-06-14")), d("2026-06-14"));
  assert_int_equal(day_next_yearly(d("2024-06-14"), d("2026-06-15")), d("2027-06-14"));
  assert_int_equal(day_next_yearly(d("2025-12-31"), d("2026-12-31")), d("2026-12-31"));
  assert_int_equal(day_next_yearly(d("2025-01-02"), d("2026-12-31")), d("2027-01-02"));
  /* a leap day falls on Feb 28 in other years */
  assert_int_equal(day_next_yearly(d("2024-02-29"), d("2026-02-01")), d("2026-02-28"));
  assert_int_equal(day_next_yearly(d("2024-02-29"), d("2027-03-01")), d("2028-02-29"));
  /* a date still to come is its own next time */
  assert_int_equal(day_next_yearly(d("2027-05-01"), d("2026-12-01")), d("2027-05-01"));
}

static void diff_piece(void *ctx, enum wd_op op, const char *t, size_t n) {
  char *out = ctx;
  size_t k = strlen(out);
  snprintf(out + k, 512 - k, "%s%.*s%s", op == WD_ADDED ? "{+" : op == WD_REMOVED ? "[-" : "", (int)n, t,
           op == WD_ADDED ? "+}" : op == WD_REMOVED ? "-]" : "");
}

static void word_diffs(void **state) {
  (void)state;
  char out[512] = "";
  assert_int_equal(word_diff("We share our phones every evening.", "We share our phones on Sundays.", diff_piece, out), 0);
  assert_string_equal(out, "We share our phones [-every evening.-]{+on Sundays.+}");
  out[0] = 0;
  word_diff("No contact at all.", "No contact at all.", diff_piece, out);
  assert_string_equal(out, "No contact at all.");
  out[0] = 0;
  word_diff("", "All new words", diff_piece, out);
  assert_string_equal(out, "{+All new words+}");
  out[0] = 0;
  word_diff("Plans\nshared daily", "Plans shared weekly", diff_piece, out);
  assert_string_equal(out, "Plans shared [-daily-]{+weekly+}"); /* a changed line break is no change */
}

/* Talk and listen: each step is the turn of the one who did not make the last; say, heard,
   then yes or correct, and after yes the other's say. */
static void talk_turns(void **state) {
  (void)state;
  enum tk_step k, next[2];
  assert_int_equal(tk_step_parse("heard", 5, &k), 0);
  assert_int_equal(k, TK_HEARD);
  assert_int_equal(tk_step_parse("listen", 6, &k), -1);
  assert_int_equal(tk_next(TK_NONE, next), 1);
  assert_int_equal(next[0], TK_SAY);
  assert_int_equal(tk_next(TK_HEARD, next), 2);
  assert_true(next[0] == TK_YES && next[1] == TK_CORRECT);
  assert_int_equal(tk_next(TK_CORRECT, next), 1);
  assert_int_equal(next[0], TK_HEARD);
  assert_int_equal(tk_next(TK_YES, next), 1);
  assert_int_equal(next[0], TK_SAY);
  /* the first speaker begins; the other waits */
  assert_int_equal(tk_can_step(0, TK_NONE, 0, 1, TK_SAY, 1, 5).status, 0);
  assert_string_equal(tk_can_step(0, TK_NONE, 0, 0, TK_SAY, 1, 5).code, "not_your_turn");
  /* after my step it is the other's turn, whatever I try */
  assert_int_equal(tk_can_step(0, TK_SAY, 1, 1, TK_HEARD, 1, 5).status, 403);
  assert_int_equal(tk_can_step(0, TK_SAY, 0, 0, TK_HEARD, 1, 5).status, 0);
  verdict v = tk_can_step(0, TK_SAY, 0, 0, TK_YES, 1, 0);
  assert_true(v.status == 422 && !strcmp(v.field, "kind"));
  /* written words are needed but for yes; in person never */
  assert_string_equal(tk_can_step(0, TK_HEARD, 0, 1, TK_CORRECT, 1, 0).field, "text");
  assert_int_equal(tk_can_step(0, TK_HEARD, 0, 1, TK_YES, 1, 0).status, 0);
  assert_int_equal(tk_can_step(0, TK_NONE, 0, 1, TK_SAY, 0, 0).status, 0);
  assert_string_equal(tk_can_step(1, TK_SAY, 0, 0, TK_HEARD, 1, 5).code, "closed");
}

int main(void) {
  secret_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(usernames), cmocka_unit_test(passwords), cmocka_unit_test(display_names),
    cmocka_unit_test(utf8), cmocka_unit_test(tokens_and_hashes), cmocka_unit_test(passwords_hash_and_verify),
    cmocka_unit_test(invite_codes), cmocka_unit_test(url_decoding), cmocka_unit_test(forms),
    cmocka_unit_test(cookies), cmocka_unit_test(iso_times_match_the_c_library),
    cmocka_unit_test(yearly_dates), cmocka_unit_test(word_diffs), cmocka_unit_test(talk_turns),
  };
  return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
