/* load/users_inflate.c - a gzip users export inflated on a second thread while the first
 * parses and checks (issue 5: the two cores of a CI machine). inflating was about a
 * sixth of a 1M-user run; here it runs beside the parse, a few blocks ahead.
 *
 * The thread owns a `struct us` of its own holding only the input (file descriptor,
 * decoder, compressed block, progress line), so us_inflate_some() runs unchanged on it and
 * the reader's state is never touched from two threads. Inflated text goes through a
 * ring of SLOTS blocks of READ_BLOCK bytes: the thread fills the slot after the last full
 * one, the reader copies out of the first. The last slot the thread fills says how the
 * input ended (length 0: the end, with the gzip message if the data was bad or cut
 * short; -1: a read error, already reported); the reader takes those over only when it
 * gets there, so a stream that stops early (a limit, a parse it gives up on) sees exactly
 * what it would see inflating by itself. Memory: SLOTS blocks (1 MB).
 *
 * POSIX threads; nothing here that a library would do for us (neither zlib nor ISA-L
 * inflates on threads of its own). The decoder is ISA-L's when built with it (load/gunzip.c). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "load/gunzip.h"
#include "load/users_int.h"
#include "base/util.h"

#define SLOTS 4

struct slot {
    char *buf;
    ssize_t len; /* > 0 text, 0 the end, -1 a read error */
};

struct inflater {
    struct us p; /* the thread's input: fd, dec, zin, zend, src_eof, gzmsg, progress */
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct slot slot[SLOTS];
    unsigned head, count; /* first full slot, number of full slots */
    size_t used;          /* bytes of slot[head] the reader has taken */
    int stop;
    const char *end_gzmsg; /* the thread's gzmsg when it published the last slot */
};

static void *run(void *arg)
{
    struct inflater *f = arg;
    for (;;) {
        pthread_mutex_lock(&f->mu);
        while (f->count == SLOTS && !f->stop)
            pthread_cond_wait(&f->cv, &f->mu);
        if (f->stop) {
            pthread_mutex_unlock(&f->mu);
            return NULL;
        }
        struct slot *s = &f->slot[(f->head + f->count) % SLOTS];
        pthread_mutex_unlock(&f->mu);
        ssize_t n = us_inflate_some(&f->p, s->buf, READ_BLOCK);
        pthread_mutex_lock(&f->mu);
        s->len = n;
        if (n <= 0)
            f->end_gzmsg = f->p.gzmsg;
        f->count++;
        pthread_cond_broadcast(&f->cv);
        pthread_mutex_unlock(&f->mu);
        if (n <= 0)
            return NULL;
    }
}

int us_inflater_start(struct us *u, size_t have)
{
    struct inflater *f = xcalloc(1, sizeof(*f));
    f->p.fd = u->fd;
    f->p.src = u->src;
    f->p.st = u->st;
    f->p.progress_size = u->progress_size;
    f->p.progress_pct = u->progress_pct;
    f->p.src_eof = u->src_eof;
    f->p.zin = u->zin;
    f->p.dec = gunzip_new(GUNZIP_DEFAULT);
    gunzip_input(f->p.dec, f->p.zin, have);
    for (int i = 0; i < SLOTS; i++)
        f->slot[i].buf = xmalloc(READ_BLOCK);
    pthread_mutex_init(&f->mu, NULL);
    pthread_cond_init(&f->cv, NULL);
    if (pthread_create(&f->th, NULL, run, f) != 0) { /* inflate here after all */
        gunzip_free(f->p.dec);
        for (int i = 0; i < SLOTS; i++)
            free(f->slot[i].buf);
        pthread_mutex_destroy(&f->mu);
        pthread_cond_destroy(&f->cv);
        free(f);
        return -1;
    }
    u->zin = NULL; /* the thread's now */
    u->inf = f;
    return 0;
}

ssize_t us_inflater_take(struct us *u, char *dst, size_t n)
{
    struct inflater *f = u->inf;
    pthread_mutex_lock(&f->mu);
    while (f->count == 0)
        pthread_cond_wait(&f->cv, &f->mu);
    struct slot *s = &f->slot[f->head];
    if (s->len <= 0) { /* the end: stays the answer */
        u->gzmsg = f->end_gzmsg;
        if (s->len < 0)
            u->why = W_IO;
        pthread_mutex_unlock(&f->mu);
        return s->len;
    }
    pthread_mutex_unlock(&f->mu);
    size_t k = (size_t)s->len - f->used;
    if (k > n)
        k = n;
    memcpy(dst, s->buf + f->used, k); /* the slot is the reader's until released */
    f->used += k;
    if (f->used == (size_t)s->len) {
        pthread_mutex_lock(&f->mu);
        f->head = (f->head + 1) % SLOTS;
        f->count--;
        f->used = 0;
        pthread_cond_broadcast(&f->cv);
        pthread_mutex_unlock(&f->mu);
    }
    return (ssize_t)k;
}

void us_inflater_stop(struct us *u)
{
    struct inflater *f = u->inf;
    if (!f)
        return;
    pthread_mutex_lock(&f->mu);
    f->stop = 1;
    pthread_cond_broadcast(&f->cv);
    pthread_mutex_unlock(&f->mu);
    pthread_join(f->th, NULL);
    gunzip_free(f->p.dec);
    free(f->p.zin);
    for (int i = 0; i < SLOTS; i++)
        free(f->slot[i].buf);
    pthread_mutex_destroy(&f->mu);
    pthread_cond_destroy(&f->cv);
    free(f);
    u->inf = NULL;
}
