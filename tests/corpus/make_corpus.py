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
import zipfile

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
case("bad_coordinates.csv", csv(bad_coords), {"rows": 2, "dropped_at_least": 4},
     "NaN, infinite, zero, London and out-of-range coordinates are dropped; the Chicago row is kept, and so is the "
     "row with empty degrees, placed from its State Plane X/Y")
# Row 5 without its State Plane X/Y either.
no_xy = [r.replace(",1176000,1900000,", ",,,") if r.startswith("5,") else r for r in bad_coords[:6]]
case("all_bad_coordinates.csv", csv(no_xy), {"error": "nothing_kept"}, "no usable coordinates at all")
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


def xlsx(rows, cover=True):
    """A minimal Excel workbook (as Excel writes one: a ZIP of XML parts), its cells as given:
    str → inline text, float → number, ("date", serial) → a number in a date-time style. A cover
    sheet first, as some records systems write."""
    def col(i):
        return chr(ord("A") + i)

    def sheet(rows):
        out = []
        for r, cells in enumerate(rows, 1):
            cs = []
            for c, v in enumerate(cells):
                ref = f"{col(c)}{r}"
                if isinstance(v, tuple):
                    cs.append(f'<c r="{ref}" s="1"><v>{v[1]}</v></c>')
                elif isinstance(v, (int, float)):
                    cs.append(f'<c r="{ref}"><v>{v}</v></c>')
                else:
                    text = v.replace("&", "&amp;").replace("<", "&lt;")
                    cs.append(f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>')
            out.append(f'<row r="{r}">{"".join(cs)}</row>')
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                f'<sheetData>{"".join(out)}</sheetData></worksheet>')

    sheets = ([("Cover", [["Springfield Police Department"]])] if cover else []) + [("Incidents", rows)]
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' \
         'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   + "".join(f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                             for i in range(len(sheets)))
                   + '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>')
        z.writestr("_rels/.rels",
                   f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml",
                   f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns}><sheets>'
                   + "".join(f'<sheet name="{n}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, (n, _) in enumerate(sheets))
                   + '</sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   + "".join(f'<Relationship Id="rId{i + 1}" Type="{rel}/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
                             for i in range(len(sheets)))
                   + f'<Relationship Id="rId{len(sheets) + 1}" Type="{rel}/styles" Target="styles.xml"/></Relationships>')
        z.writestr("xl/styles.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                   '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="22" applyNumberFormat="1"/></cellXfs></styleSheet>')
        for i, (_, rows) in enumerate(sheets):
            z.writestr(f"xl/worksheets/sheet{i + 1}.xml", sheet(rows))
    return buf.getvalue()


rnd = random.Random(5)
book = [["Incident Number", "Occurred", "Offense", "Address", "Latitude", "Longitude"]]
for i in range(40):
    # 2017-01-05 plus a day and an hour per row: Excel's serial days (1900 system).
    serial = 42740 + i + (i % 24) / 24
    book.append([1000 + i, ("date", serial), rnd.choice(["THEFT", "BATTERY", "ASSAULT", "BURGLARY"]),
                 "001XX W MADISON ST", round(41.70 + rnd.random() * 0.3, 5), round(-87.80 + rnd.random() * 0.25, 5)])
workbook = xlsx(book)
case("workbook.xlsx", workbook, {"rows": 40},
     "an Excel workbook (a cover sheet, then the incidents; dates as Excel date cells)")
case("truncated.xlsx", workbook[: len(workbook) // 2], {"error": "malformed"}, "an Excel workbook cut in half")



def ods(rows):
    """A minimal OpenDocument spreadsheet (LibreOffice Calc's .ods: a ZIP whose first entry, stored,
    is its `mimetype`), its cells as given: str → text, float → number, ("date", iso) → a date
    cell."""
    def cell(v):
        if isinstance(v, tuple):
            return (f'<table:table-cell office:value-type="date" office:date-value="{v[1]}">'
                    f'<text:p>{v[1]}</text:p></table:table-cell>')
        if isinstance(v, (int, float)):
            return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'
    body = "".join(f'<table:table-row>{"".join(cell(v) for v in r)}</table:table-row>' for r in rows)
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="Incidents">{body}</table:table>'
               '</office:spreadsheet></office:body></office:document-content>')
    mime = "application/vnd.oasis.opendocument.spreadsheet"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), mime, compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                   'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                   f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mime}"/>'
                   '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                   '</manifest:manifest>', compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def xls(rows):
    """An Excel 97–2003 workbook (BIFF8, an OLE compound file) by xlwt: a cover sheet, then the
    incidents; ("date", serial) cells in a date format."""
    import xlwt  # scripts/requirements.txt
    book = xlwt.Workbook()
    book.add_sheet("Cover").write(0, 0, "Springfield Police Department")
    sheet = book.add_sheet("Incidents")
    stamp = xlwt.easyxf(num_format_str="YYYY-MM-DD HH:MM")
    for r, cells in enumerate(rows):
        for c, v in enumerate(cells):
            if isinstance(v, tuple):
                sheet.write(r, c, v[1], stamp)
            else:
                sheet.write(r, c, v)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


calc = [["Incident Number", "Occurred", "Offense", "Latitude", "Longitude"]]
for i in range(30):
    calc.append([2000 + i, ("date", f"2017-01-{5 + i % 20:02d}T{i % 24:02d}:15:00"),
                 rnd.choice(["THEFT", "BATTERY", "ASSAULT", "BURGLARY"]),
                 round(41.70 + rnd.random() * 0.3, 5), round(-87.80 + rnd.random() * 0.25, 5)])
case("calc.ods", ods(calc), {"rows": 30}, "a LibreOffice Calc spreadsheet (.ods) with date cells")
case("workbook97.xls", xls(book), {"rows": 40},
     "an Excel 97–2003 workbook (.xls: a cover sheet, then the incidents; date cells)")

with open(os.path.join(HERE, "expected.json"), "w") as f:
    json.dump(cases, f, indent=2, sort_keys=True)
    f.write("\n")
print(f"{len(cases)} files in {HERE}")
