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
/* TLS (module TLS): the SSL_CTX_* setters below are macros over SSL_CTX_ctrl/SSL_CTX_callback_ctrl, and the
   SSL_OP_* bits are built by a function-like macro; none of them import into Swift. */
static inline int gw_ssl_ctx_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}
static inline void gw_ssl_ctx_set_server_options(SSL_CTX *ctx, int tickets) {
    uint64_t op = SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE;
    if (!tickets) op |= SSL_OP_NO_TICKET;
    SSL_CTX_set_options(ctx, op);
}
static inline void gw_ssl_ctx_set_client_options(SSL_CTX *ctx) {
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
}
static inline void gw_ssl_ctx_set_nonblocking_modes(SSL_CTX *ctx) {
    /* RELEASE_BUFFERS: an idle keep-alive connection gives its ~34 KB of record buffers back, as our own
       connections give theirs back to the pool. */
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
    /* One read(2) takes what the socket holds, instead of one for each record header and one for its body. */
    SSL_CTX_set_read_ahead(ctx, 1);
}
typedef int (*gw_servername_cb)(SSL *, int *, void *);
static inline void gw_ssl_ctx_set_servername_callback(SSL_CTX *ctx, gw_servername_cb cb, void *arg) {
    SSL_CTX_set_tlsext_servername_callback(ctx, cb);
    SSL_CTX_set_tlsext_servername_arg(ctx, arg);
}
typedef int (*gw_ticket_key_cb)(SSL *, unsigned char *, unsigned char *, EVP_CIPHER_CTX *, EVP_MAC_CTX *, int);
static inline int gw_ssl_ctx_set_ticket_key_cb(SSL_CTX *ctx, gw_ticket_key_cb cb) {
    return (int)SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, cb);
}
static inline int gw_ssl_set_tlsext_host_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}
/* The OSSL_PARAM array keeps pointers to its key names and values: built here, where they are constants. */
static inline int gw_mac_ctx_set_sha256_key(EVP_MAC_CTX *mac, const unsigned char *key, size_t len) {
    OSSL_PARAM params[3];
    params[0] = OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY, (void *)key, len);
    params[1] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0);
    params[2] = OSSL_PARAM_construct_end();
    return EVP_MAC_CTX_set_params(mac, params);
}
#endif
