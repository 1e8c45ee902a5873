#ifndef GATEWAY_COPENSSL_SHIM_H
#define GATEWAY_COPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/rsa.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/param_build.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

/* Function-like macros do not import into Swift; these wrap the ones we use. */
static inline void gw_openssl_free(void *p) { OPENSSL_free(p); }
static inline long gw_bio_get_mem_data(BIO *b, char **pp) { return BIO_get_mem_data(b, pp); }
#endif
