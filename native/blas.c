// The native backend's only C: a Node-API addon that opens the machine's BLAS
// with dlopen at run time (nothing is linked at build time, so the addon
// builds on a machine without one) and calls cblas_sgemm / cblas_dgemm on the
// memory of typed arrays, in place: plain ones and views of WebAssembly memory
// (shared or not) alike. Every length is checked against m, n, k before the
// BLAS reads or writes, so a wrong call throws instead of corrupting memory.
// Built by scripts/build-native.mjs; loaded by src/node/native.ts.
//
// Exports:
//   open(path) -> undefined, or the reason (one line) the library is unusable;
//                 one library per process (worker threads share it)
//   info() -> { path, config, corename, parallel, threadControl }
//   sgemm(layout, m, n, k, a, b, c, threads)   float32, c = op(a)·op(b)
//   dgemm(layout, m, n, k, a, b, c, threads)   float64, the same
//   sgd(n, w, g, lr, wd, threads)                           w float32, g float32
//   momentum(n, w, g, v, lr, beta, nesterov, wd, threads)    v float64 state
//   adam(n, w, g, m, v, lr, beta1, beta2, c1, c2, eps, wd, threads)
// layout: 0 NN (a m x k, b k x n), 1 NT (b n x k), 2 TN (a k x m); row-major.
// threads: the BLAS threads this calling thread's products may use, set with
// openblas_set_num_threads where the library has it (OpenMP builds keep the
// count per calling thread, so it is set again whenever it changes here).
//
// The optimizer updates are here so that, built with OpenMP (-fopenmp, as
// OpenBLAS's Debian build), large ones split across the same OpenMP threads
// as the products: one pool owns the cores, and its threads, still spinning
// after a product, take the update at once. Their arithmetic is that of
// src/core/optim-kernels.ts operation for operation, in float64 with no fused
// multiply-add (-ffp-contract=off), so the results are the plain ones bit for bit.

#define NAPI_VERSION 8
#include <node_api.h>

#include <dlfcn.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };

typedef void (*sgemm_fn)(int, int, int, int, int, int, float, const float*, int, const float*, int, float, float*, int);
typedef void (*dgemm_fn)(int, int, int, int, int, int, double, const double*, int, const double*, int, double, double*, int);
typedef void (*set_threads_fn)(int);
typedef char* (*string_fn)(void);
typedef int (*int_fn)(void);

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static void* library;
static sgemm_fn sgemm;
static dgemm_fn dgemm;
static set_threads_fn set_threads;
static string_fn get_config, get_corename;
static int_fn get_parallel;
static char library_path[4096];
/** The path or name open() was given for the library loaded (a second open of it is a no-op). */
static char opened_as[4096];
/** The thread count last set from this thread (0: never). */
static _Thread_local int threads_set;

static napi_value undefined_value(napi_env env) {
  napi_value v;
  napi_get_undefined(env, &v);
  return v;
}

static napi_value string_value(napi_env env, const char* s) {
  napi_value v;
  napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v);
  return v;
}

/** open(path): loads the library once per process; a second path while one is loaded is refused. */
static napi_value open_library(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  char path[4096], reason[4600];
  size_t length = 0;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 1 || napi_get_value_string_utf8(env, argv[0], path, sizeof path, &length) != napi_ok || length == 0 || length >= sizeof path - 1) {
    napi_throw_type_error(env, NULL, "open: path must be a non-empty string of fewer than 4095 bytes");
    return NULL;
  }
  pthread_mutex_lock(&lock);
  if (library != NULL) {
    int same = strcmp(path, opened_as) == 0;
    pthread_mutex_unlock(&lock);
    if (same) return undefined_value(env);
    snprintf(reason, sizeof reason, "a BLAS is already loaded in this process from %s", library_path);
    return string_value(env, reason);
  }
  void* handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (handle == NULL) {
    const char* error = dlerror();
    pthread_mutex_unlock(&lock);
    snprintf(reason, sizeof reason, "%s", error != NULL ? error : "dlopen failed");
    return string_value(env, reason);
  }
  sgemm_fn s = (sgemm_fn)dlsym(handle, "cblas_sgemm");
  dgemm_fn d = (dgemm_fn)dlsym(handle, "cblas_dgemm");
  if (s == NULL || d == NULL) {
    dlclose(handle);
    pthread_mutex_unlock(&lock);
    snprintf(reason, sizeof reason, "%s has no cblas_sgemm and cblas_dgemm", path);
    return string_value(env, reason);
  }
  set_threads = (set_threads_fn)dlsym(handle, "openblas_set_num_threads");
  get_config = (string_fn)dlsym(handle, "openblas_get_config");
  get_corename = (string_fn)dlsym(handle, "openblas_get_corename");
  get_parallel = (int_fn)dlsym(handle, "openblas_get_parallel");
  Dl_info where;
  snprintf(library_path, sizeof library_path, "%s", dladdr((void*)s, &where) != 0 && where.dli_fname != NULL ? where.dli_fname : path);
  snprintf(opened_as, sizeof opened_as, "%s", path);
  sgemm = s;
  dgemm = d;
  library = handle;
  pthread_mutex_unlock(&lock);
  return undefined_value(env);
}

static void set_string(napi_env env, napi_value object, const char* key, const char* value) {
  napi_value v;
  if (value == NULL) napi_get_null(env, &v);
  else napi_create_string_utf8(env, value, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, object, key, v);
}

/** info(): what was loaded, or undefined before open() succeeded. */
static napi_value library_info(napi_env env, napi_callback_info info) {
  (void)info;
  if (library == NULL) return undefined_value(env);
  napi_value object, v;
  napi_create_object(env, &object);
  set_string(env, object, "path", library_path);
  set_string(env, object, "config", get_config != NULL ? get_config() : NULL);
  set_string(env, object, "corename", get_corename != NULL ? get_corename() : NULL);
  const char* parallel = NULL;
  if (get_parallel != NULL) {
    int p = get_parallel();
    parallel = p == 0 ? "sequential" : p == 1 ? "pthreads" : p == 2 ? "openmp" : "unknown";
  }
  set_string(env, object, "parallel", parallel);
  napi_get_boolean(env, set_threads != NULL, &v);
  napi_set_named_property(env, object, "threadControl", v);
  return object;
}

/** The data of typed array `value` if it has the element type asked and at least `count` elements, else NULL with an exception pending. */
static void* typed_data(napi_env env, napi_value value, napi_typedarray_type type, int64_t count, const char* op, const char* what) {
  bool is_typed = false;
  napi_typedarray_type actual;
  size_t length = 0;
  void* data = NULL;
  char message[200];
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed ||
      napi_get_typedarray_info(env, value, &actual, &length, &data, NULL, NULL) != napi_ok || actual != type) {
    snprintf(message, sizeof message, "%s: %s must be a %s", op, what, type == napi_float32_array ? "Float32Array" : "Float64Array");
    napi_throw_type_error(env, NULL, message);
    return NULL;
  }
  if ((int64_t)length < count || (count > 0 && data == NULL)) {
    snprintf(message, sizeof message, "%s: %s has %zu values, expected at least %lld", op, what, length, (long long)count);
    napi_throw_range_error(env, NULL, message);
    return NULL;
  }
  return data;
}

/** The common part of sgemm and dgemm: arguments checked, the thread count set; 0 if an exception is pending. */
static int gemm_arguments(napi_env env, napi_callback_info info, napi_typedarray_type type, const char* op, int32_t dims[5], void* data[3]) {
  size_t argc = 8;
  napi_value argv[8];
  char message[200];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 8) {
    napi_throw_type_error(env, NULL, "gemm: expected (layout, m, n, k, a, b, c, threads)");
    return 0;
  }
  static const int32_t dim_index[5] = {0, 1, 2, 3, 7};
  for (int i = 0; i < 5; i++) {
    if (napi_get_value_int32(env, argv[dim_index[i]], &dims[i]) != napi_ok) {
      napi_throw_type_error(env, NULL, "gemm: layout, m, n, k and threads must be numbers");
      return 0;
    }
  }
  int32_t layout = dims[0], m = dims[1], n = dims[2], k = dims[3], threads = dims[4];
  if (layout < 0 || layout > 2 || m < 0 || n < 0 || k < 0 || threads < 1 || threads > 1024) {
    snprintf(message, sizeof message, "%s: layout must be 0, 1 or 2, m, n, k >= 0 and threads in [1, 1024]; got %d, %d, %d, %d, %d", op, layout, m, n, k, threads);
    napi_throw_range_error(env, NULL, message);
    return 0;
  }
  if (library == NULL) {
    napi_throw_error(env, NULL, "gemm: no BLAS loaded (call open first)");
    return 0;
  }
  if ((data[0] = typed_data(env, argv[4], type, (int64_t)m * k, op, "a")) == NULL && m > 0 && k > 0) return 0;
  if ((data[1] = typed_data(env, argv[5], type, (int64_t)k * n, op, "b")) == NULL && k > 0 && n > 0) return 0;
  if ((data[2] = typed_data(env, argv[6], type, (int64_t)m * n, op, "c")) == NULL && m > 0 && n > 0) return 0;
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (pending) return 0;
  if (set_threads != NULL && threads != threads_set) {
    set_threads(threads);
    threads_set = threads;
  }
  return 1;
}

#define MAX1(x) ((x) > 1 ? (x) : 1)

/** sgemm / dgemm: c = op(a)·op(b), row-major; k = 0 gives zeros without calling the BLAS (it would reject lda = 0). */
#define GEMM_BODY(T, TYPE, OP, CALL)                                                                  \
  int32_t dims[5];                                                                                  \
  void* data[3];                                                                                    \
  if (!gemm_arguments(env, info, TYPE, OP, dims, data)) return NULL;                                \
  int32_t layout = dims[0], m = dims[1], n = dims[2], k = dims[3];                                  \
  if (m == 0 || n == 0) return undefined_value(env);                                                \
  T* c = (T*)data[2];                                                                               \
  if (k == 0) {                                                                                     \
    memset(c, 0, sizeof(T) * (size_t)m * (size_t)n);                                                \
    return undefined_value(env);                                                                    \
  }                                                                                                 \
  int ta = layout == 2 ? TRANS : NO_TRANS, tb = layout == 1 ? TRANS : NO_TRANS;                     \
  int lda = layout == 2 ? m : k, ldb = layout == 1 ? k : n;                                         \
  CALL(ROW_MAJOR, ta, tb, m, n, k, 1, (const T*)data[0], MAX1(lda), (const T*)data[1], MAX1(ldb), 0, c, MAX1(n)); \
  return undefined_value(env);

static napi_value gemm32(napi_env env, napi_callback_info info) { GEMM_BODY(float, napi_float32_array, "sgemm", sgemm) }

static napi_value gemm64(napi_env env, napi_callback_info info) { GEMM_BODY(double, napi_float64_array, "dgemm", dgemm) }

/** Updates with fewer weights than this run on the calling thread alone (a parallel region costs a few µs). */
#define MIN_PARALLEL_UPDATE 32768

/** Reads argv[first..first+count) as doubles; 0 with a TypeError pending if one is not a number. */
static int numbers(napi_env env, napi_value* argv, size_t first, size_t count, double* out, const char* op) {
  char message[120];
  for (size_t i = 0; i < count; i++) {
    if (napi_get_value_double(env, argv[first + i], &out[i]) != napi_ok) {
      snprintf(message, sizeof message, "%s: argument %zu must be a number", op, first + i);
      napi_throw_type_error(env, NULL, message);
      return 0;
    }
  }
  return 1;
}

/**
 * The common part of the updates: argc arguments, n (argv[0]) a non-negative
 * integer below 2^31, the typed arrays at argv[1..arrays] of the types given
 * with n values each, the thread count last; 0 with an exception pending.
 */
static int update_arguments(napi_env env, napi_callback_info info, size_t argc, napi_value* argv, size_t arrays, const napi_typedarray_type* types, void** data, int32_t* n, int32_t* threads, const char* op) {
  static const char* names[] = {"w", "g", "state 0", "state 1"};
  char message[160];
  size_t given = argc;
  napi_get_cb_info(env, info, &given, argv, NULL, NULL);
  if (given < argc || napi_get_value_int32(env, argv[0], n) != napi_ok || napi_get_value_int32(env, argv[argc - 1], threads) != napi_ok ||
      *n < 0 || *threads < 1 || *threads > 1024) {
    snprintf(message, sizeof message, "%s: expected %zu arguments, n >= 0 and threads in [1, 1024]", op, argc);
    napi_throw_range_error(env, NULL, message);
    return 0;
  }
  for (size_t i = 0; i < arrays; i++) {
    if ((data[i] = typed_data(env, argv[1 + i], types[i], *n, op, names[i])) == NULL && *n > 0) return 0;
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (pending) return 0;
  }
  return 1;
}

/** w ← w − lr·(g + wd·w). */
static napi_value sgd_step(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  static const napi_typedarray_type types[] = {napi_float32_array, napi_float32_array};
  void* data[2];
  int32_t n, threads;
  double h[2];
  if (!update_arguments(env, info, 6, argv, 2, types, data, &n, &threads, "sgd") || !numbers(env, argv, 3, 2, h, "sgd")) return NULL;
  float* w = data[0];
  const float* g = data[1];
  const double lr = h[0], wd = h[1];
#pragma omp parallel for num_threads(threads) schedule(static) if (threads > 1 && n >= MIN_PARALLEL_UPDATE)
  for (int32_t i = 0; i < n; i++) {
    const double wi = w[i];
    w[i] = (float)(wi - lr * ((double)g[i] + wd * wi));
  }
  return undefined_value(env);
}

/** v ← β·v + g (+ 0 turns −0 into +0); u = v, or g + β·v (Nesterov); w ← w − lr·(u + wd·w). */
static napi_value momentum_step(napi_env env, napi_callback_info info) {
  napi_value argv[9];
  static const napi_typedarray_type types[] = {napi_float32_array, napi_float32_array, napi_float64_array};
  void* data[3];
  int32_t n, threads;
  double h[2], wd;
  bool nesterov = false;
  if (!update_arguments(env, info, 9, argv, 3, types, data, &n, &threads, "momentum") || !numbers(env, argv, 4, 2, h, "momentum") ||
      !numbers(env, argv, 7, 1, &wd, "momentum"))
    return NULL;
  if (napi_get_value_bool(env, argv[6], &nesterov) != napi_ok) {
    napi_throw_type_error(env, NULL, "momentum: nesterov must be a boolean");
    return NULL;
  }
  float* w = data[0];
  const float* g = data[1];
  double* v = data[2];
  const double lr = h[0], beta = h[1];
#pragma omp parallel for num_threads(threads) schedule(static) if (threads > 1 && n >= MIN_PARALLEL_UPDATE)
  for (int32_t i = 0; i < n; i++) {
    const double gi = g[i];
    const double vi = beta * v[i] + gi + 0.0;
    v[i] = vi;
    const double u = nesterov ? gi + beta * vi : vi;
    const double wi = w[i];
    w[i] = (float)(wi - lr * (u + wd * wi));
  }
  return undefined_value(env);
}

/** m ← β1·m + (1 − β1)·g (+ 0); v ← β2·v + (1 − β2)·g²; u = (m/c1) / (√(v/c2) + ε); w ← w − lr·(u + wd·w). */
static napi_value adam_step(napi_env env, napi_callback_info info) {
  napi_value argv[13];
  static const napi_typedarray_type types[] = {napi_float32_array, napi_float32_array, napi_float64_array, napi_float64_array};
  void* data[4];
  int32_t n, threads;
  double h[7];
  if (!update_arguments(env, info, 13, argv, 4, types, data, &n, &threads, "adam") || !numbers(env, argv, 5, 7, h, "adam")) return NULL;
  float* w = data[0];
  const float* g = data[1];
  double *m = data[2], *v = data[3];
  const double lr = h[0], beta1 = h[1], beta2 = h[2], correction1 = h[3], correction2 = h[4], epsilon = h[5], wd = h[6];
#pragma omp parallel for num_threads(threads) schedule(static) if (threads > 1 && n >= MIN_PARALLEL_UPDATE)
  for (int32_t i = 0; i < n; i++) {
    const double gi = g[i];
    const double mi = beta1 * m[i] + (1 - beta1) * gi + 0.0;
    const double vi = beta2 * v[i] + (1 - beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    const double u = mi / correction1 / (sqrt(vi / correction2) + epsilon);
    const double wi = w[i];
    w[i] = (float)(wi - lr * (u + wd * wi));
  }
  return undefined_value(env);
}

NAPI_MODULE_INIT() {
  napi_property_descriptor methods[] = {
      {"open", NULL, open_library, NULL, NULL, NULL, napi_enumerable, NULL},
      {"info", NULL, library_info, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sgemm", NULL, gemm32, NULL, NULL, NULL, napi_enumerable, NULL},
      {"dgemm", NULL, gemm64, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sgd", NULL, sgd_step, NULL, NULL, NULL, napi_enumerable, NULL},
      {"momentum", NULL, momentum_step, NULL, NULL, NULL, napi_enumerable, NULL},
      {"adam", NULL, adam_step, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof methods / sizeof methods[0], methods);
  return exports;
}
