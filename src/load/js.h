/* load/js.h - a small JavaScript tokenizer for Action code. ssolint never runs Action
 * code; rules search calls among these tokens, so a commented-out call or a call inside
 * a string does not count. It knows strings, template literals with nested ${...},
 * line and block comments, regular expressions (a '/' starts one only after an
 * operator, one of ( [ { , ; : ? ! & | = < > + - * % ~ ^, at the start, or after a
 * keyword such as return, typeof, case, in, of, new, delete, void, throw, instanceof,
 * yield, await, else, do), numbers, identifiers and punctuators. Where '/' is ambiguous
 * the tokenizer picks division and never reports an error for it. */
#ifndef SSOLINT_LOAD_JS_H
#define SSOLINT_LOAD_JS_H

#include <stddef.h>

enum js_kind {
    JS_IDENT,     /* identifiers and keywords */
    JS_NUMBER,
    JS_STRING,    /* '...' or "..." */
    JS_TEMPLATE,  /* `...` without ${} */
    JS_TEMPLATE_HEAD,   /* `...${ */
    JS_TEMPLATE_MIDDLE, /* }...${ */
    JS_TEMPLATE_TAIL,   /* }...` */
    JS_REGEX,
    JS_PUNCT,     /* operators and brackets; ?. is one token */
};

struct js_tok {
    enum js_kind kind;
    size_t start, end; /* offsets in the text, [start, end) */
};

struct js_tokens {
    struct js_tok *t;
    size_t n, cap;
};

struct js_error {
    size_t off;       /* the offending token; for an unclosed bracket, the opening one */
    const char *msg;  /* e.g. "unterminated string literal", "unclosed '('" */
};

/* Tokenize text[0, len). Comments are dropped. Returns 0, or -1 with *err set at the
 * first syntax error (unterminated string/template/comment/regex, unbalanced
 * brackets); tokens before the error are kept in out either way. */
int js_tokenize(const char *text, size_t len, struct js_tokens *out, struct js_error *err);
void js_tokens_free(struct js_tokens *t);

/* Does token t equal the punctuator or identifier s? */
int js_tok_is(const char *text, const struct js_tok *t, const char *s);
/* The value of a JS_STRING or JS_TEMPLATE token with simple escapes decoded
 * (\n \t \\ \' \" \` \uXXXX \xXX; others drop the backslash). New string. */
char *js_string_value(const char *text, const struct js_tok *t);

#endif
