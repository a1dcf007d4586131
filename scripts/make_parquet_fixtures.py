#!/usr/bin/env python3
"""Writes Parquet files of the real sample the way other tools write them by default, so the tests
can check that PatrolIQ opens them: pyarrow (default snappy, and none/gzip/zstd/lz4, with its
type inference), pandas-style float codes, and DuckDB's read_csv + COPY (snappy, typed TIMESTAMP).

Usage: scripts/make_parquet_fixtures.py OUT_DIR [ROWS]
Reads ../shared/data/chicago_crimes_sample.csv.gz (or $PATROLIQ_DATA_DIR). Nothing here is committed.
"""
import csv
import gzip
import os
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

root = Path(__file__).resolve().parent.parent
data = Path(os.environ.get("PATROLIQ_DATA_DIR", root.parent / "shared" / "data"))
out = Path(sys.argv[1])
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
out.mkdir(parents=True, exist_ok=True)

# The first ROWS records, text unchanged, as the CSV reference.
ref = out / "reference.csv"
with gzip.open(data / "chicago_crimes_sample.csv.gz", "rt", encoding="utf-8", newline="") as f, \
        open(ref, "w", encoding="utf-8", newline="") as g:
    reader, writer = csv.reader(f), csv.writer(g, lineterminator="\n")
    for i, record in enumerate(reader):
        if i > rows:
            break
        writer.writerow(record)
# pyarrow infers types from what it reads; one block covers the whole reference.
head = pcsv.read_csv(ref, read_options=pcsv.ReadOptions(block_size=1 << 30))

# pyarrow, default inference, every codec.
for codec in ["snappy", "none", "gzip", "zstd", "lz4"]:
    pq.write_table(head, out / f"pyarrow_{codec}.parquet", compression=codec)

# pandas-style: codes with nulls become float64 ("5.0"), as DataFrame.to_parquet writes them.
cols = {}
for name in head.column_names:
    col = head[name]
    if name in ("District", "Ward", "Community Area", "Beat") and pa.types.is_integer(col.type):
        col = pc.cast(col, pa.float64())
    cols[name] = col
pq.write_table(pa.table(cols), out / "pandas_style.parquet")

# DuckDB: its CSV sniffer types Date as TIMESTAMP; COPY writes snappy by default.
con = duckdb.connect()
con.execute(
    f"COPY (SELECT * FROM read_csv('{ref}')) TO '{out / 'duckdb_default.parquet'}' (FORMAT parquet)"
)
# Only the files written here: the folder also holds other fixtures (the features Parquet).
written = sorted([out / f"pyarrow_{c}.parquet" for c in ["snappy", "none", "gzip", "zstd", "lz4"]]
                 + [out / "pandas_style.parquet", out / "duckdb_default.parquet"])
print(f"wrote {rows} rows as reference.csv and", len(written), "Parquet files to", out)
for p in written:
    schema = pq.read_schema(p)
    print(f"  {p.name}: Date={schema.field('Date').type} Beat={schema.field('Beat').type} "
          f"District={schema.field('District').type} IUCR={schema.field('IUCR').type}")
