/* base/colidx.h - a column index over one long text window, so that the line and the
 * columns of any offset cost O(1) however long the line is (a record of 40,000 duplicate
 * keys or 20,000 roles on one line gets one finding per key or role; counting columns
 * from the line's start for each was quadratic). The index keeps one checkpoint per
 * COLIDX_STRIDE bytes: the line, its start and the columns counted so far, taken during
 * one forward pass over the window; a lookup starts from the checkpoint before the
 * offset and counts at most one stride. The counts are those of a scan from the line's
 * start (see textwin_pos), so every --column-unit stays exact.
 *
 * Whoever makes a window may hang an index on it (textwin.idx, owned by the maker); the
 * index rebuilds itself when it is asked about a different window. Windows up to
 * COLIDX_MIN bytes never use one: a plain scan of them is cheaper.
 * Memory: 20 bytes per COLIDX_STRIDE (512) bytes of window, about 4% of its text. */
#ifndef SSOLINT_COLIDX_H
#define SSOLINT_COLIDX_H

#include <stddef.h>
#include <stdint.h>

#include "base/source.h"

#define COLIDX_STRIDE 512
#define COLIDX_MIN 4096

struct colidx *colidx_new(void);
void colidx_free(struct colidx *x);

/* Position of byte rel (<= w->len) of window w, from x (rebuilt when w is not the window
 * it was built for). Returns 0 when the window is small enough for a plain scan (nothing
 * is computed then). */
int colidx_pos(struct colidx *x, const struct textwin *w, size_t rel, struct pos *p);

/* Columns of rel on the line starting at ls, counting on from byte `from` (a sequence
 * boundary of that line, ls when starting afresh) with cp code points and u16 UTF-16
 * units before it. Shared with textwin_pos so that both count alike. */
void colidx_columns(const struct textwin *w, size_t ls, size_t from, uint32_t cp, uint32_t u16,
                    size_t rel, struct pos *p);

#endif
