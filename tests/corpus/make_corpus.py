"""Writes the bad-input corpus (tests/corpus/*): small hand-made files, each hostile or degenerate
in one way, and `expected.json`, what loading each must give. Every file is synthetic (no real
records). The native test crates/patroliq-core/tests/corpus.rs and the browser test
tests/e2e/corpus.test.mjs read them. Rerun when a case is added: .venv/bin/python tests/corpus/make_corpus.py
"""
import gzip
import io
import json
import os
import random

import pyarrow as pa
import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = ("ID,Case Number,Date,Block,IUCR,Primary Type,Description,Location Description,Arrest,"
          "Domestic,Beat,District,Ward,Community Area,FBI Code,X Coordinate,Y Coordinate,Year,"
          "Updated On,Latitude,Longitude,Location")


def row(i, date="01/05/2017 02:30:00 PM", kind="THEFT", lat="41.88", lon="-87.63", block="001XX W MADISON ST"):
    loc = f'"({lat}, {lon})"' if lat and lon else ""
    return (f"{i},JA{i:06d},{date},{block},0820,{kind},$500 AND UNDER,STREET,false,false,0111,001,42,32,06,"
            f"1176000,1900000,2017,,{lat},{lon},{loc}")


def city(n, seed=1, kinds=("THEFT", "BATTERY", "ASSAULT", "BURGLARY")):
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        d = f"{rnd.randint(1, 12):02d}/{rnd.randint(1, 28):02d}/2017 {rnd.randint(1, 12):02d}:{rnd.randint(0, 59):02d}:00 {'AM' if rnd.random() < .5 else 'PM'}"
        out.append(row(i, d, rnd.choice(kinds), f"{41.70 + rnd.random() * 0.3:.5f}", f"{-87.80 + rnd.random() * 0.25:.5f}"))
    return out


def csv(lines):
    return ("\n".join([HEADER] + lines) + "\n").encode()


cases = {}


def case(name, data, expect, why):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)
    cases[name] = dict(expect, why=why)


case("empty.csv", b"", {"error": "empty"}, "no bytes at all")
case("header_only.csv", csv([]), {"error": "nothing_kept"}, "the header and no rows")
case("one_row.csv", csv([row(1)]), {"rows": 1}, "a single incident")
case("two_rows.csv", csv([row(1), row(2, lat="41.79", lon="-87.60")]), {"rows": 2}, "two incidents")
case("identical_rows.csv", csv([row(i) for i in range(200)]), {"rows": 200}, "200 copies of one place and time")
case("one_type.csv", csv(city(400, kinds=("THEFT",))), {"rows": 400}, "one crime type only")
case("wrong_columns.csv", b"name,value,when\nalpha,1,2017\nbeta,2,2018\n", {"error": "wrong_schema"}, "a CSV of something else")
case("missing_date_column.csv",
     ("\n".join([HEADER.replace("Date,", "Day,")] + city(20))).encode(), {"rows": 20},
     "the Date column under another name (Day): found by its values")
bad_coords = [row(1, lat="NaN", lon="NaN"), row(2, lat="inf", lon="-inf"), row(3, lat="0", lon="0"),
              row(4, lat="51.5074", lon="-0.1278"), row(5, lat="", lon=""), row(6, lat="91", lon="-87.6"),
              row(7, lat="41.88", lon="-87.63")]
case("bad_coordinates.csv", csv(bad_coords), {"rows": 1, "dropped_at_least": 5},
     "NaN, infinite, zero, London, empty and out-of-range coordinates: only the Chicago row is kept")
case("all_bad_coordinates.csv", csv(bad_coords[:6]), {"error": "nothing_kept"}, "no usable coordinates at all")
dates = ["2017-01-05 14:30:00", "2017-01-05T14:30:00", "01/05/2017 02:30:00 PM", "05.01.2017 14:30", "1483626600",
         "not a date", ""]
case("date_formats.csv", csv([row(i, d) for i, d in enumerate(dates)]), {"rows_at_least": 3, "dropped_at_least": 2},
     "ISO, ISO with T and the portal's format are read; a European date, an epoch number and text are dropped")
case("latin1.csv", csv([row(1), row(2)]).replace(b"MADISON", "MAD\xc9SON".encode("latin-1")), {"rows": 2},
     "a Latin-1 byte in a block name: the row is kept, the byte replaced")
case("utf16.csv", "\ufeff".encode("utf-16-le") + csv(city(5)).decode().encode("utf-16-le"), {"rows": 5},
     "UTF-16 text (Excel's Unicode Text): decoded as it streams in")
case("semicolons.csv", csv(city(5)).replace(b",", b";"), {"rows": 5},
     "semicolon-separated (Excel in much of Europe): the separator is found from the header line")
case("geojson.csv", b'{"type": "FeatureCollection", "features": []}\n', {"error": "unsupported"},
     "an empty GeoJSON FeatureCollection under a .csv name: read as JSON (sniffed, not named), it holds no incidents")
rnd = random.Random(7)
case("garbage.bin", bytes(rnd.randrange(256) for _ in range(4096)), {"error": "unsupported"}, "random bytes")
good_gz = gzip.compress(csv(city(300)))
case("truncated.csv.gz", good_gz[: len(good_gz) // 2], {"error": "truncated"}, "a gzip file cut in half")
case("not_really.csv.gz", b"\x1f\x8b\x08\x00" + bytes(200), {"error": "malformed"}, "a gzip header and nothing valid")

table = pa.table({
    "ID": pa.array(range(300), pa.int64()),
    "Date": pa.array([f"2017-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:00:00" for i in range(300)]),
    "Primary Type": pa.array(["THEFT", "BATTERY", "ASSAULT"] * 100),
    "Latitude": pa.array([41.7 + (i % 50) * 0.005 for i in range(300)]),
    "Longitude": pa.array([-87.75 + (i % 40) * 0.005 for i in range(300)]),
})
buf = io.BytesIO()
pq.write_table(table, buf, compression="snappy")
parquet = buf.getvalue()
case("small.parquet", parquet, {"rows": 300}, "a valid small Parquet file (the control)")
case("truncated.parquet", parquet[: len(parquet) // 2], {"error": "malformed"}, "a Parquet file cut in half")
case("corrupt_footer.parquet", parquet[:-12] + b"\xff" * 8 + b"PAR1", {"error": "malformed"}, "a damaged footer")
case("magic_only.parquet", b"PAR1PAR1", {"error": "malformed"}, "the magic bytes and nothing else")
flipped = bytearray(parquet)
for i in range(8, len(flipped) // 2, 97):
    flipped[i] ^= 0x5A
case("corrupt_pages.parquet", bytes(flipped), {"error_or_rows": True}, "data pages with flipped bits")
buf = io.BytesIO()
pq.write_table(pa.table({"a": [1, 2, 3], "b": ["x", "y", "z"]}), buf)
case("wrong_schema.parquet", buf.getvalue(), {"error": "wrong_schema"}, "a Parquet file of something else")

with open(os.path.join(HERE, "expected.json"), "w") as f:
    json.dump(cases, f, indent=2, sort_keys=True)
    f.write("\n")
print(f"{len(cases)} files in {HERE}")
