/* model/twilio_shape.c - the Flex configuration and the TaskRouter workers in the shapes
 * people save them: the REST API's snake_case object (`GET /v1/Configuration`, the
 * workers list `{"workers": [...]}` or a bare array), and what the Twilio CLI (`-o json`)
 * and the helper libraries print: camelCase keys (`accountSid`, `flexInstanceSid`,
 * `friendlyName`) and, for the CLI's fetch commands, a one-element array around the
 * object. Every shape is brought to the API's own before any rule reads it, so the rules
 * (and their pointers) know one shape; a file in no known shape is described for a
 * located `wrong-type` finding instead of being skipped in silence. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "model/model.h"

/* `flexInstanceSid` -> `flex_instance_sid`; new string. */
static char *snake_case(const char *k)
{
    struct strbuf sb = STRBUF_INIT;
    for (const char *p = k; *p; p++) {
        if (isupper((unsigned char)*p)) {
            if (p != k)
                sb_addc(&sb, '_');
            sb_addc(&sb, (char)tolower((unsigned char)*p));
        } else {
            sb_addc(&sb, *p);
        }
    }
    return sb_detach(&sb);
}

static int has_upper(const char *k)
{
    for (; *k; k++)
        if (isupper((unsigned char)*k))
            return 1;
    return 0;
}

/* Rename the camelCase keys of obj (one level) to snake_case, in place, keeping the key
 * order and every key's position. When both spellings are present the snake_case one
 * (the API's) wins and the camelCase one is dropped. */
static void snake_keys(struct doc *d, json_t *obj)
{
    const char *k;
    json_t *v;
    int camel = 0;
    json_object_foreach(obj, k, v) camel |= has_upper(k);
    if (!camel)
        return;
    json_t *renamed = json_object();
    json_object_foreach(obj, k, v)
    {
        char *s = snake_case(k);
        const struct loc *l = doc_key(d, obj, k);
        struct loc at = l ? *l : d->root_loc;
        if (!strcmp(s, k) || !json_object_get(obj, s)) {
            json_object_set(renamed, s, v);
            locmap_set_key(d->locs, obj, s, &at);
        }
        free(s);
    }
    json_object_clear(obj);
    json_object_update(obj, renamed);
    json_decref(renamed);
}

/* The only element of a one-element array of one object becomes the document's root. */
static void unwrap_single(struct doc *d)
{
    json_t *el = json_array_get(d->root, 0);
    const struct loc *l = doc_index(d, d->root, 0);
    if (l)
        d->root_loc = *l;
    json_incref(el);
    json_decref(d->root);
    d->root = el;
}

int twilio_flexconf_shape(struct doc *d, struct strbuf *why)
{
    static const char *known[] = {"account_sid", "flex_instance_sid", "ui_attributes",
                                  "taskrouter_workspace_sid", "flex_service_instance_sid"};
    if (json_is_array(d->root) && json_array_size(d->root) == 1 &&
        json_is_object(json_array_get(d->root, 0)))
        unwrap_single(d);
    if (json_is_array(d->root)) {
        sb_addf(why, "an array of %zu values", json_array_size(d->root));
        return -1;
    }
    if (!json_is_object(d->root)) {
        sb_adds(why, json_type_phrase(d->root));
        return -1;
    }
    snake_keys(d, d->root);
    for (size_t i = 0; i < sizeof(known) / sizeof(*known); i++)
        if (json_object_get(d->root, known[i]))
            return 0;
    sb_adds(why, "an object with none of account_sid, flex_instance_sid, ui_attributes "
                 "(nor their camelCase forms)");
    return -1;
}

/* Is v a worker: an object with one of the keys every worker has? */
static int is_worker(const json_t *v)
{
    return json_is_object(v) &&
           (json_object_get(v, "attributes") || json_object_get(v, "friendly_name") ||
            json_object_get(v, "sid"));
}

int twilio_workers_shape(struct doc *d, struct strbuf *why)
{
    json_t *list = d->root;
    if (json_is_object(list)) {
        snake_keys(d, list);
        list = json_object_get(list, "workers");
        if (!json_is_array(list)) {
            sb_adds(why, "an object without a 'workers' list");
            return -1;
        }
    } else if (!json_is_array(list)) {
        sb_adds(why, json_type_phrase(list));
        return -1;
    }
    int any = 0;
    for (size_t i = 0; i < json_array_size(list); i++) {
        json_t *w = json_array_get(list, i);
        if (json_is_object(w))
            snake_keys(d, w);
        any |= is_worker(w);
    }
    if (json_array_size(list) && !any) {
        sb_addf(why, "a list of %zu values none of which is a worker (no attributes, "
                     "friendly_name or sid)",
                json_array_size(list));
        return -1;
    }
    return 0;
}
