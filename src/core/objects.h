/* objects.h — making an object of any kind (objects.c), for the create and adopt calls of every
 * kind (objects.c, kind_objects.c, render_target.c). Owner thread. */
#ifndef GPUREG_OBJECTS_H
#define GPUREG_OBJECTS_H

#include "registry.h"

/* What an adopted object brings with it. */
typedef struct object_adoption {
    uint64_t native;
    gpureg__aux aux;
    gpureg_adopt_destroy_fn destroy;
    void *destroy_user;
} object_adoption;

/* What a new object is made of, set field by field: zero-filling a larger struct (rep stos) was
 * a tenth of a create. The desc is checked, with its defaults applied. */
typedef struct new_object {
    uint32_t type; /* gpureg_object_type */
    union {
        gpureg_texture_desc texture;
        gpureg_buffer_desc buffer;
        gpureg_object_desc object; /* type OBJECT: kind and what the report shows */
    };
    const char *label;
    uint32_t flags; /* gpureg_object_flags */
    const gpureg_site *site;
    const object_adoption *adopt;    /* NULL: create through the backend */
    const gpureg__object_spec *spec; /* type OBJECT created through the backend */
} new_object;

/* Collect, then make the object and publish its handle with refcount 1. On failure nothing is
 * left but the capacity backend.h's "Failure" allows. */
gpureg_result object_make(gpureg_registry *reg, const new_object *o, gpureg_handle *out, const char *fn);

#endif /* GPUREG_OBJECTS_H */
