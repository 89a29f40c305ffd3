/* model/discover.h - the first stage: which files make up each tenant. With `tenants` in
 * the config the declared paths are used; without, the layout of inputs.md is searched
 * under the project root. Files named on the command line that no tenant claims are
 * classified by their content. Every file found is registered in the source registry
 * with its kind and tenant. */
#ifndef SSOLINT_DISCOVER_H
#define SSOLINT_DISCOVER_H

#include <stdio.h>

#include "model/model.h"

/* Build m->tenants from m->cfg and the PATHs. Emits input-missing findings; I/O errors
 * (a PATH that does not exist) are printed and counted in m->io_errors. Returns 0.
 * The PATHs also choose the findings: only those in a file that lies in a PATH (the
 * file itself or below the directory) are reported, for every file registered now or
 * later (source->reported); a PATH that does not exist selects nothing. */
int discover(struct model *m, char **paths, int npaths);
/* Forget the PATH selection (model_free calls it). */
void discover_selection_free(void);

/* The kind of a file named on the command line, from its content (users by default:
 * their reader explains CSV, UTF-16 and YAML). */
enum src_kind discover_sniff(const char *path);

/* --list-inputs: every file found, its tenant and how it was classified. */
void list_inputs(FILE *out, const struct model *m, const char *cwd);

/* Register a file of tenant t found while loading (an action's code file). Returns its
 * source id (the existing one when the path is registered already). */
int discover_add(struct model *m, struct tenant *t, const char *path, enum src_kind kind);

/* The path guard's judgement of p for discovery (base/path.h): 1 when p may be read and
 * is a directory (want_dir) or a file; 0 when it is missing or the other kind; -1 when
 * the guard refuses what would have been one (registered, blocked, once). */
int discover_guard(struct model *m, struct tenant *t, const char *p, int want_dir);

/* Join a directory and a name ("." joins to the name alone). New string. */
char *path_join(const char *dir, const char *name);

#endif
