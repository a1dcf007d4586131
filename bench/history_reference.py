"""The whole-history benchmark's reference (bench/history.sh): DuckDB and pyarrow on the same
CSV, CSV.gz and Parquet files, one run each. DuckDB: load into a table, then the count by crime
type × month; pyarrow: the Parquet read, strings as dictionaries as PatrolIQ keeps them and as
plain strings, on one thread and on all. Prints JSON: {stage: seconds}.

Run: .venv/bin/python bench/history_reference.py HISTORY.csv HISTORY.csv.gz HISTORY.parquet
"""

import json
import os
import sys
import time

import duckdb
import pyarrow
import pyarrow.parquet as pq

DICT = ["Block", "IUCR", "Primary Type", "Description", "Location Description", "FBI Code"]


def timed(out, name, f):
    t = time.perf_counter()
    r = f()
    out[name] = round(time.perf_counter() - t, 3)
    return r


def main():
    csv, gz, parquet = sys.argv[1:4]
    out = {"cpus": os.cpu_count(), "duckdb": duckdb.__version__, "pyarrow": pyarrow.__version__}
    for threads in (1, 2):
        con = duckdb.connect()
        con.execute(f"SET threads={threads}")
        for name, path in (("csv", csv), ("csv.gz", gz), ("parquet", parquet)):
            timed(out, f"duckdb {threads}t load {name}", lambda: con.execute(
                f"CREATE OR REPLACE TABLE t AS SELECT * FROM '{path}'"))
        # The prepared file stores seconds as INT64; the CSV's dates are the portal's text.
        con.execute(f"CREATE OR REPLACE TABLE t AS SELECT * FROM '{csv}'")
        rows = timed(out, f"duckdb {threads}t type x month", lambda: con.execute(
            'SELECT "Primary Type", date_trunc(\'month\', "Date") AS m, count(*) FROM t GROUP BY ALL').fetchall())
        out["type x month groups"] = len(rows)
    for threads in (1, 2):
        pyarrow.set_cpu_count(threads)
        pyarrow.set_io_thread_count(threads)
        timed(out, f"pyarrow {threads}t parquet, dictionaries", lambda: pq.read_table(parquet, read_dictionary=DICT))
        timed(out, f"pyarrow {threads}t parquet, strings", lambda: pq.read_table(parquet))
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
