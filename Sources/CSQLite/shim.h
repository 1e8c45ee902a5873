#ifndef GATEWAY_CSQLITE_SHIM_H
#define GATEWAY_CSQLITE_SHIM_H
#include <sqlite3.h>

/* SQLITE_TRANSIENT is a cast macro that does not import into Swift; binds use it so SQLite copies the bytes. */
static inline sqlite3_destructor_type gw_sqlite_transient(void) { return SQLITE_TRANSIENT; }
#endif
