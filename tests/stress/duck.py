#!/usr/bin/env python3
"""DuckDB through its C library (ctypes), for the data faults: run SQL on a
file, write a change that stays in the WAL, hold a file's write lock.
The library is the one dpgen links (found with ldd) or $DUCKDB_LIB."""
import ctypes
import os
import subprocess
import sys
import time


def find_lib(dpgen):
    if os.environ.get("DUCKDB_LIB"):
        return os.environ["DUCKDB_LIB"]
    out = subprocess.run(["ldd", dpgen], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if "libduckdb" in line and "=>" in line:
            return line.split("=>")[1].split("(")[0].strip()
    raise SystemExit("stress: cannot find libduckdb.so (set DUCKDB_LIB)")


class Duck:
    def __init__(self, lib, path):
        self.l = ctypes.CDLL(lib)
        self.l.duckdb_result_error.restype = ctypes.c_char_p
        self.l.duckdb_value_varchar.restype = ctypes.c_void_p
        self.l.duckdb_column_count.restype = ctypes.c_uint64
        self.l.duckdb_row_count.restype = ctypes.c_uint64
        self.db = ctypes.c_void_p()
        self.con = ctypes.c_void_p()
        if self.l.duckdb_open(path.encode(), ctypes.byref(self.db)) != 0:
            raise RuntimeError("cannot open %s" % path)
        if self.l.duckdb_connect(self.db, ctypes.byref(self.con)) != 0:
            raise RuntimeError("cannot connect %s" % path)

    def query(self, sql):
        res = ctypes.create_string_buffer(128)
        rc = self.l.duckdb_query(self.con, sql.encode(), res)
        try:
            if rc != 0:
                raise RuntimeError((self.l.duckdb_result_error(res) or b"?").decode())
            rows = []
            ncol, nrow = self.l.duckdb_column_count(res), self.l.duckdb_row_count(res)
            for r in range(nrow):
                row = []
                for c in range(ncol):
                    p = self.l.duckdb_value_varchar(res, ctypes.c_uint64(c), ctypes.c_uint64(r))
                    row.append(ctypes.string_at(p).decode() if p else None)
                    if p:
                        self.l.duckdb_free(ctypes.c_void_p(p))
                rows.append(row)
            return rows
        finally:
            self.l.duckdb_destroy_result(res)

    def close(self):
        self.l.duckdb_disconnect(ctypes.byref(self.con))
        self.l.duckdb_close(ctypes.byref(self.db))


def columns(d):
    """(schema, table, column, type) of every base table."""
    return d.query("SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns"
                   " JOIN information_schema.tables USING (table_catalog, table_schema, table_name)"
                   " WHERE table_type = 'BASE TABLE' ORDER BY 1, 2, ordinal_position")


def main():
    # python3 duck.py LIB run DB SQL | wal DB SQL | hold DB
    lib, mode, path = sys.argv[1], sys.argv[2], sys.argv[3]
    d = Duck(lib, path)
    if mode == "run":
        d.query(sys.argv[4])
        d.close()
    elif mode == "wal":
        # the change is committed to the WAL and the process ends without the
        # checkpoint that would copy it into the main file
        d.query("PRAGMA disable_checkpoint_on_shutdown")
        d.query("SET checkpoint_threshold = '1TB'")
        d.query(sys.argv[4])
        sys.stdout.flush()
        os._exit(0)
    elif mode == "hold":
        d.query("BEGIN")
        d.query("CREATE TEMP TABLE held AS SELECT 1")
        print("ready", flush=True)
        time.sleep(600)


if __name__ == "__main__":
    main()
