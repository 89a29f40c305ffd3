/* load/js.c - the small JavaScript tokenizer for Action code (load/js.h). Rules look for
 * calls among its tokens, so it must see what Node sees: comments (including the
 * Annex B HTML-like ones Node accepts in CommonJS), strings and template literals hide
 * code, everything else is code. One pass, no recursion: brackets and template
 * substitutions share an explicit heap stack, so `}` knows whether it closes a block or
 * resumes a template, and 100 000 nested parentheses cost only memory. The values of
 * string and template tokens are decoded by load/js_string.c. */
#include "load/js.h"

#include <stdlib.h>
#include <string.h>

#include "load/js_int.h"
#include "base/util.h"

/* An open bracket, indexed like "([{": 0 '(', 1 '[', 2 '{', or OPEN_SUBST for a
 * template's ${ substitution. off is the bracket, or for OPEN_SUBST the template's
 * opening backtick (where "unterminated template literal" points). */
enum { OPEN_SUBST = 3 };
struct frame {
    int open;
    size_t off;
};

struct lexer {
    const char *s;
    size_t n, i;
    struct js_tokens *out;
    struct js_error *err;
    struct frame *stack;
    size_t depth, cap;
    int line_start; /* nothing but spaces and comments since a line break: `-->` comments */
    size_t weak_fail; /* a weak regex failed up to here: `of /[ of /[ ...` stays linear */
};

/* What a '/' means after the previous token. RE_WEAK: after a contextual keyword (of,
 * yield, await) that may also be a plain name; division when no regex fits. */
enum slash { SLASH_DIV, SLASH_RE, SLASH_RE_WEAK };

static const char *const reserved_before_regex[] = {
    "return", "typeof", "case", "in", "new", "delete", "void",
    "throw",  "instanceof", "else", "do", NULL,
};
static const char *const contextual_before_regex[] = {"of", "yield", "await", NULL};

/* Longest first, so the first match is the longest. '/' and '/=' are handled apart. */
static const char *const puncts[] = {
    ">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "?\?=",
    "=>",   "==",  "!=",  "<=",  ">=",  "&&",  "||",  "??",  "?.",  "++",  "--",
    "+=",   "-=",  "*=",  "%=",  "&=",  "|=",  "^=",  "**",  "<<",  ">>",  NULL,
};

static const char *const msg_unclosed[4] = {
    "unclosed '('", "unclosed '['", "unclosed '{'", "unterminated template literal",
};
static const char *const msg_unexpected[3] = {
    "unexpected ')'", "unexpected ']'", "unexpected '}'",
};
/* [closer][expected closer], both indexed like msg_unexpected */
static const char *const msg_mismatched[3][3] = {
    {NULL, "mismatched ')' (expected ']')", "mismatched ')' (expected '}')"},
    {"mismatched ']' (expected ')')", NULL, "mismatched ']' (expected '}')"},
    {"mismatched '}' (expected ')')", "mismatched '}' (expected ']')", NULL},
};

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

int js_is_hex(unsigned char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}


/* Any byte >= 0x80 counts as a letter: non-ASCII identifiers are common enough and
 * Unicode spaces are recognised before we get here. '\\' starts a \u escape. */
static int ident_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '$' || c == '_' ||
           c == '\\' || c >= 0x80;
}

static int ident_part(unsigned char c)
{
    return ident_start(c) || is_digit(c);
}

static int has(const struct lexer *lx, size_t i, const char *lit)
{
    size_t k = strlen(lit);
    return i <= lx->n && lx->n - i >= k && memcmp(lx->s + i, lit, k) == 0;
}

/* Length of a line terminator at i (\n, \r, U+2028, U+2029), 0 if none. */
size_t js_lineterm_len(const char *s, size_t n, size_t i)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[i] == '\n' || u[i] == '\r')
        return 1;
    if (u[i] == 0xE2 && n - i >= 3 && u[i + 1] == 0x80 && (u[i + 2] == 0xA8 || u[i + 2] == 0xA9))
        return 3;
    return 0;
}

/* Length of JavaScript white space or a line terminator at i, 0 if none. Unicode
 * spaces matter: Node splits `a\u00A0b` into two names, so must we. */
static size_t space_len(const char *s, size_t n, size_t i, int *newline)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t k = js_lineterm_len(s, n, i);
    if (k) {
        *newline = 1;
        return k;
    }
    if (u[i] == ' ' || u[i] == '\t' || u[i] == '\v' || u[i] == '\f')
        return 1;
    if (u[i] < 0x80)
        return 0;
    if (u[i] == 0xC2 && n - i >= 2 && u[i + 1] == 0xA0)
        return 2; /* U+00A0 */
    if (n - i < 3)
        return 0;
    if ((u[i] == 0xE1 && u[i + 1] == 0x9A && u[i + 2] == 0x80) ||       /* U+1680 */
        (u[i] == 0xE2 && u[i + 1] == 0x80 &&
         ((u[i + 2] >= 0x80 && u[i + 2] <= 0x8A) || u[i + 2] == 0xAF)) ||                   /* U+2000-200A, 202F */
        (u[i] == 0xE2 && u[i + 1] == 0x81 && u[i + 2] == 0x9F) ||       /* U+205F */
        (u[i] == 0xE3 && u[i + 1] == 0x80 && u[i + 2] == 0x80) ||       /* U+3000 */
        (u[i] == 0xEF && u[i + 1] == 0xBB && u[i + 2] == 0xBF))         /* U+FEFF */
        return 3;
    return 0;
}

static size_t line_end(const char *s, size_t n, size_t i)
{
    while (i < n && !js_lineterm_len(s, n, i))
        i++;
    return i;
}

static int fail(struct lexer *lx, size_t off, const char *msg)
{
    lx->err->off = off;
    lx->err->msg = msg;
    return -1;
}

static void emit(struct lexer *lx, enum js_kind kind, size_t start, size_t end)
{
    struct js_tokens *o = lx->out;
    GROW(o->t, o->cap, o->n + 1);
    o->t[o->n].kind = kind;
    o->t[o->n].start = start;
    o->t[o->n].end = end;
    o->n++;
    lx->i = end;
}

static void push(struct lexer *lx, int open, size_t off)
{
    GROW(lx->stack, lx->cap, lx->depth + 1);
    lx->stack[lx->depth].open = open;
    lx->stack[lx->depth].off = off;
    lx->depth++;
}

/* Skip a block comment starting at lx->i ("/ *"); notes a line break inside it. */
static int skip_block_comment(struct lexer *lx)
{
    size_t i;
    for (i = lx->i + 2; i + 1 < lx->n; i++) {
        if (lx->s[i] == '*' && lx->s[i + 1] == '/') {
            lx->i = i + 2;
            return 0;
        }
        if (js_lineterm_len(lx->s, lx->n, i))
            lx->line_start = 1;
    }
    return fail(lx, lx->i, "unterminated comment");
}

/* Skip spaces and comments, including Annex B's `<!--` anywhere and `-->` at the
 * start of a line: Node treats both as line comments in CommonJS code. */
static int skip_trivia(struct lexer *lx)
{
    while (lx->i < lx->n) {
        int nl = 0;
        char c = lx->s[lx->i];
        size_t k = space_len(lx->s, lx->n, lx->i, &nl);
        if (c != '/' && c != '<' && c != '-' && !k)
            break; /* the common case: a token starts here */
        if (k) {
            lx->i += k;
            lx->line_start |= nl;
        } else if (has(lx, lx->i, "//") || has(lx, lx->i, "<!--") ||
                   (lx->line_start && has(lx, lx->i, "-->"))) {
            lx->i = line_end(lx->s, lx->n, lx->i);
        } else if (has(lx, lx->i, "/*")) {
            if (skip_block_comment(lx) < 0)
                return -1;
        } else {
            break;
        }
    }
    return 0;
}

static int in_list(const char *text, const struct js_tok *t, const char *const *list)
{
    for (; *list; list++)
        if (js_tok_is(text, t, *list))
            return 1;
    return 0;
}

static enum slash slash_context(const struct lexer *lx)
{
    const struct js_tokens *o = lx->out;
    const struct js_tok *t;
    if (!o->n)
        return SLASH_RE;
    t = &o->t[o->n - 1];
    switch (t->kind) {
    case JS_TEMPLATE_HEAD:
    case JS_TEMPLATE_MIDDLE:
        return SLASH_RE;
    case JS_PUNCT: {
        static const char *const ends_operand[] = {")", "]", "}", "++", "--", ".", "?.", NULL};
        return in_list(lx->s, t, ends_operand) ? SLASH_DIV : SLASH_RE;
    }
    case JS_IDENT:
        /* obj.return / 2: after a dot a keyword is only a property name */
        if (o->n >= 2 && o->t[o->n - 2].kind == JS_PUNCT &&
            (js_tok_is(lx->s, &o->t[o->n - 2], ".") || js_tok_is(lx->s, &o->t[o->n - 2], "?.")))
            return SLASH_DIV;
        if (in_list(lx->s, t, reserved_before_regex))
            return SLASH_RE;
        if (in_list(lx->s, t, contextual_before_regex))
            return SLASH_RE_WEAK;
        return SLASH_DIV;
    default:
        return SLASH_DIV;
    }
}

/* End of the regular expression whose '/' is at i, flags included; 0 if it does not
 * end on this line. A '/' inside a class [...] does not end it. */
static size_t regex_end(const char *s, size_t n, size_t i)
{
    int in_class = 0;
    for (i++; i < n; i++) {
        if (js_lineterm_len(s, n, i))
            return 0;
        if (s[i] == '\\') {
            if (++i >= n || js_lineterm_len(s, n, i))
                return 0;
        } else if (s[i] == '[') {
            in_class = 1;
        } else if (s[i] == ']') {
            in_class = 0;
        } else if (s[i] == '/' && !in_class) {
            for (i++; i < n && ident_part((unsigned char)s[i]); i++)
                ;
            return i;
        }
    }
    return 0;
}

static int scan_slash(struct lexer *lx)
{
    size_t i = lx->i;
    enum slash ctx = slash_context(lx);
    if (ctx == SLASH_RE_WEAK && i < lx->weak_fail)
        ctx = SLASH_DIV;
    if (ctx != SLASH_DIV) {
        size_t end = regex_end(lx->s, lx->n, i);
        if (end) {
            emit(lx, JS_REGEX, i, end);
            return 0;
        }
        if (ctx == SLASH_RE)
            return fail(lx, i, "unterminated regular expression");
        lx->weak_fail = line_end(lx->s, lx->n, i);
    }
    emit(lx, JS_PUNCT, i, has(lx, i + 1, "=") ? i + 2 : i + 1);
    return 0;
}

/* Numbers are scanned loosely: the tokenizer finds their extent, it does not validate. */
static size_t number_end(const char *s, size_t n, size_t i)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[i] == '0' && i + 1 < n && strchr("xXoObB", u[i + 1]) && u[i + 1]) {
        for (i += 2; i < n && (js_is_hex(u[i]) || u[i] == '_'); i++)
            ;
    } else {
        while (i < n && (is_digit(u[i]) || u[i] == '_'))
            i++;
        if (i < n && u[i] == '.')
            for (i++; i < n && (is_digit(u[i]) || u[i] == '_'); i++)
                ;
        if (i < n && (u[i] == 'e' || u[i] == 'E')) {
            size_t j = i + 1;
            if (j < n && (u[j] == '+' || u[j] == '-'))
                j++;
            if (j < n && is_digit(u[j]))
                for (i = j; i < n && (is_digit(u[i]) || u[i] == '_'); i++)
                    ;
        }
    }
    if (i < n && u[i] == 'n')
        i++;
    return i;
}

static size_t ident_end(const char *s, size_t n, size_t i)
{
    const unsigned char *u = (const unsigned char *)s;
    int nl;
    if (u[i] == '#')
        i++;
    while (i < n && ident_part(u[i])) {
        if (u[i] >= 0x80 && space_len(s, n, i, &nl))
            break;
        if (u[i] == '\\' && n - i > 2 && u[i + 1] == 'u' && u[i + 2] == '{') {
            for (i += 3; i < n && js_is_hex(u[i]); i++)
                ;
            if (i < n && u[i] == '}')
                i++;
            continue;
        }
        i++;
    }
    return i;
}

static int scan_string(struct lexer *lx)
{
    size_t start = lx->i, i;
    char q = lx->s[start];
    for (i = start + 1; i < lx->n; i++) {
        char c = lx->s[i];
        if (c == q) {
            emit(lx, JS_STRING, start, i + 1);
            return 0;
        }
        if (c == '\n' || c == '\r')
            break;
        if (c == '\\') {
            /* the escaped character may be a line break: a line continuation */
            if (++i < lx->n && lx->s[i] == '\r' && i + 1 < lx->n && lx->s[i + 1] == '\n')
                i++;
        }
    }
    return fail(lx, start, "unterminated string literal");
}

/* Scan template text from lx->i (just past '`' or the '}' that closes a substitution)
 * to the closing '`' or the next "${". tok is where the token starts. */
static int scan_template(struct lexer *lx, size_t tok, size_t backtick, int first)
{
    size_t i;
    for (i = lx->i; i < lx->n; i++) {
        char c = lx->s[i];
        if (c == '\\') {
            i++;
        } else if (c == '`') {
            emit(lx, first ? JS_TEMPLATE : JS_TEMPLATE_TAIL, tok, i + 1);
            return 0;
        } else if (c == '$' && i + 1 < lx->n && lx->s[i + 1] == '{') {
            emit(lx, first ? JS_TEMPLATE_HEAD : JS_TEMPLATE_MIDDLE, tok, i + 2);
            push(lx, OPEN_SUBST, backtick);
            return 0;
        }
    }
    return fail(lx, backtick, "unterminated template literal");
}

static int scan_closer(struct lexer *lx)
{
    size_t i = lx->i;
    int c = (int)(strchr(")]}", lx->s[i]) - ")]}"), want;
    struct frame top;
    if (!lx->depth)
        return fail(lx, i, msg_unexpected[c]);
    top = lx->stack[lx->depth - 1];
    if (top.open == OPEN_SUBST && c == 2) {
        lx->depth--;
        lx->i = i + 1;
        return scan_template(lx, i, top.off, 0);
    }
    want = top.open == OPEN_SUBST ? 2 : top.open;
    if (c != want)
        return fail(lx, i, msg_mismatched[c][want]);
    lx->depth--;
    emit(lx, JS_PUNCT, i, i + 1);
    return 0;
}

static void scan_punct(struct lexer *lx)
{
    size_t i = lx->i;
    const char *const *p;
    /* a?.5:1 is a conditional, not optional chaining */
    if (has(lx, i, "?.") && i + 2 < lx->n && is_digit((unsigned char)lx->s[i + 2])) {
        emit(lx, JS_PUNCT, i, i + 1);
        return;
    }
    for (p = puncts; *p; p++) {
        if ((*p)[0] == lx->s[i] && has(lx, i, *p)) {
            emit(lx, JS_PUNCT, i, i + strlen(*p));
            return;
        }
    }
    emit(lx, JS_PUNCT, i, i + 1); /* single characters, and stray bytes kept as-is */
}

static int scan_token(struct lexer *lx)
{
    size_t i = lx->i, n = lx->n;
    unsigned char c = (unsigned char)lx->s[i];
    unsigned char next = i + 1 < n ? (unsigned char)lx->s[i + 1] : 0;

    if (ident_start(c) || (c == '#' && ident_start(next))) {
        emit(lx, JS_IDENT, i, ident_end(lx->s, n, i));
    } else if (is_digit(c) || (c == '.' && is_digit(next))) {
        emit(lx, JS_NUMBER, i, number_end(lx->s, n, i));
    } else if (c == '\'' || c == '"') {
        return scan_string(lx);
    } else if (c == '`') {
        lx->i = i + 1;
        return scan_template(lx, i, i, 1);
    } else if (c == '/') {
        return scan_slash(lx);
    } else if (c == '(' || c == '[' || c == '{') {
        push(lx, (int)(strchr("([{", c) - "([{"), i);
        emit(lx, JS_PUNCT, i, i + 1);
    } else if (c == ')' || c == ']' || c == '}') {
        return scan_closer(lx);
    } else {
        scan_punct(lx);
    }
    return 0;
}

int js_tokenize(const char *text, size_t len, struct js_tokens *out, struct js_error *err)
{
    struct lexer lx = {text, len, 0, out, err, NULL, 0, 0, 1, 0};
    int ret = -1;

    memset(out, 0, sizeof(*out));
    err->off = 0;
    err->msg = NULL;
    if (has(&lx, 0, "#!"))
        lx.i = line_end(text, len, 0);
    for (;;) {
        if (skip_trivia(&lx) < 0)
            goto out;
        if (lx.i >= lx.n)
            break;
        if (scan_token(&lx) < 0)
            goto out;
        lx.line_start = 0;
    }
    if (lx.depth) {
        /* the innermost opener: the most recent one left open */
        const struct frame *top = &lx.stack[lx.depth - 1];
        fail(&lx, top->off, msg_unclosed[top->open]);
        goto out;
    }
    ret = 0;
out:
    free(lx.stack);
    return ret;
}

void js_tokens_free(struct js_tokens *t)
{
    free(t->t);
    t->t = NULL;
    t->n = t->cap = 0;
}

int js_tok_is(const char *text, const struct js_tok *t, const char *s)
{
    size_t k = strlen(s);
    return t->end - t->start == k && memcmp(text + t->start, s, k) == 0;
}
