/* word_diff.h: what changed between two wordings, word by word (a longest common subsequence
   of their words; the spaces go with the word before them). Pure. */
#ifndef MEND_WORD_DIFF_H
#define MEND_WORD_DIFF_H
#include <stddef.h>

enum wd_op { WD_SAME, WD_REMOVED, WD_ADDED };
/* Calls cb for each run of words with the same op, in reading order (text not NUL-terminated).
   Past WD_MAX_WORDS words either side, the whole texts are one removal and one addition.
   0, or -1 when memory ran out (nothing was called then). */
#define WD_MAX_WORDS 1000
typedef void (*wd_each)(void *ctx, enum wd_op op, const char *text, size_t n);
int word_diff(const char *a, const char *b, wd_each cb, void *ctx);

#endif
