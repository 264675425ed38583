/* Unit tests for the string builder and its escapers, with hostile input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "util/sb.h"

static void html_escapes_hostile_text(void **state) {
  (void)state;
  sb_t sb;
  sb_init(&sb, 4);
  sb_html(&sb, "<p title=\"%s\">%s</p>", "\"&'<>", "<script>alert(1)</script>");
  assert_string_equal(sb.buf, "<p title=\"&quot;&amp;&#39;&lt;&gt;\">&lt;script&gt;alert(1)&lt;/script&gt;</p>");
  sb_free(&sb);
}

static void html_raw_and_numbers(void **state) {
  (void)state;
  sb_t sb;
  sb_init(&sb, 0);
  sb_html(&sb, "%r|%d|%D|%u|%%|%.*s", "<b>", -5, (int64_t)9007199254740991LL, 7u, 3, "a<bcd");
  assert_string_equal(sb.buf, "<b>|-5|9007199254740991|7|%|a&lt;b");
  sb_free(&sb);
}

static void html_nul_byte_replaced(void **state) {
  (void)state;
  sb_t sb;
  sb_init(&sb, 0);
  sb_esc_html(&sb, "a\0b", 3);
  assert_int_equal(sb.len, 5);
  assert_memory_equal(sb.buf, "a\xEF\xBF\xBD" "b", 5);
  sb_free(&sb);
}

static void json_escapes(void **state) {
  (void)state;
  sb_t sb;
  sb_init(&sb, 0);
  sb_json(&sb, "{\"a\":%q,\"b\":%q}", "quote\" back\\ nl\n ctl\x01 <tag>", NULL);
  assert_string_equal(sb.buf, "{\"a\":\"quote\\\" back\\\\ nl\\n ctl\\u0001 \\u003ctag\\u003e\",\"b\":null}");
  sb_free(&sb);
}

static void url_escapes(void **state) {
  (void)state;
  sb_t sb;
  sb_init(&sb, 0);
  sb_esc_url(&sb, "a b&c=d/é", strlen("a b&c=d/é"));
  assert_string_equal(sb.buf, "a%20b%26c%3Dd%2F%C3%A9");
  sb_free(&sb);
}

static void grows_large(void **state) {
  (void)state;
  sb_t sb;
  sb_init(&sb, 1);
  for (int i = 0; i < 10000; i++) sb_html(&sb, "%s", "&");
  assert_int_equal(sb.len, 50000);
  assert_int_equal(sb.cap >= 50001, 1);
  sb_free(&sb);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(html_escapes_hostile_text), cmocka_unit_test(html_raw_and_numbers),
    cmocka_unit_test(html_nul_byte_replaced), cmocka_unit_test(json_escapes),
    cmocka_unit_test(url_escapes), cmocka_unit_test(grows_large),
  };
  return cmocka_run_group_tests_name("sb", tests, NULL, NULL);
}
