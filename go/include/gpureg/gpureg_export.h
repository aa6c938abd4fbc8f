/* Symbol visibility for gpureg. The library is built with hidden visibility; only GPUREG_API
 * functions are exported. GPUREG_STATIC is defined for users of the static library. */
#ifndef GPUREG_EXPORT_H
#define GPUREG_EXPORT_H

#if defined(GPUREG_STATIC)
#define GPUREG_API
#elif defined(_WIN32)
#if defined(GPUREG_BUILDING)
#define GPUREG_API __declspec(dllexport)
#else
#define GPUREG_API __declspec(dllimport)
#endif
#elif defined(__GNUC__) || defined(__clang__)
#define GPUREG_API __attribute__((visibility("default")))
#else
#define GPUREG_API
#endif

#endif /* GPUREG_EXPORT_H */
