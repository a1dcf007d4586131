#!/usr/bin/env python3
"""Independent counts of the shared crime exports, for `crates/patroliq-core/tests/exports.rs`.

Each file in ../shared/data/exports/ is read here with pandas and the layout written out by hand
(its date format, its time column, its coordinate columns), not detected: the Rust loader finds
those by itself, and this script says what it should have found. A row counts as usable when its
date reads, its crime type is not empty, and its point (latitude/longitude, else the file's point
column) is not 0, 0 and lies within the city's area: Chicago's box for Chicago files, else 1 degree
of latitude (and 1/cos(lat) of longitude) around the median point. Rows repeating an earlier ID
are dropped, as the loader drops them.

Usage: scripts/exports_reference.py DATA_DIR FIXTURE_DIR   (writes FIXTURE_DIR/exports_reference.json)
"""
import ast
import json
import math
import struct
import sys
from pathlib import Path

import numpy as np
import pandas as pd

data = Path(sys.argv[1]) / "exports"
out = Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)


def paren(s):
    """'(41.9, -87.7)' → (lat, lon)."""
    try:
        a, b = str(s).strip().strip("()").split(",")
        return float(a), float(b)
    except ValueError:
        return None


def python_dict(s):
    """pandas' repr of a SODA location: {'latitude': '41.9', 'longitude': '-87.7', ...}."""
    try:
        d = ast.literal_eval(str(s))
        return float(d["latitude"]), float(d["longitude"])
    except (ValueError, SyntaxError, KeyError, TypeError):
        return None


def ewkb(s):
    """Hex EWKB point with SRID 4326 → (lat, lon)."""
    try:
        b = bytes.fromhex(str(s))
        endian = "<" if b[0] == 1 else ">"
        kind = struct.unpack(endian + "I", b[1:5])[0]
        at = 5
        if kind & 0x20000000:
            if struct.unpack(endian + "I", b[5:9])[0] != 4326:
                return None
            at = 9
        x, y = struct.unpack(endian + "dd", b[at : at + 16])
        return y, x
    except (ValueError, IndexError, struct.error):
        return None


def count(name, df, when, kind, lat, lon, point=None, parse_point=None, ident=None, chicago=False):
    t = df[kind].astype("string").str.strip()
    la = pd.to_numeric(df[lat], errors="coerce") if lat else pd.Series(np.nan, index=df.index)
    lo = pd.to_numeric(df[lon], errors="coerce") if lon else pd.Series(np.nan, index=df.index)
    if point is not None:
        both_empty = df[lat].isna() & df[lon].isna() if lat else pd.Series(True, index=df.index)
        pts = df[point].where(both_empty).dropna().map(parse_point)
        for i, p in pts.items():
            if p is not None:
                la.at[i], lo.at[i] = p
    ok = when.notna() & t.notna() & (t != "") & la.notna() & lo.notna() & ~((la == 0) & (lo == 0))
    if chicago:
        ok &= la.between(41.6, 42.1) & lo.between(-87.95, -87.5)
    else:
        mla, mlo = la[ok].median(), lo[ok].median()
        ok &= ((la - mla).abs() <= 1.0) & ((lo - mlo).abs() <= 1.0 / max(math.cos(math.radians(mla)), 0.2))
    if ident is not None:
        ids = pd.to_numeric(df[ident], errors="coerce")
        # An ID is dropped as a repeat only after an earlier kept row had it.
        ok &= ~(ids.notna() & ids.where(ok).duplicated(keep="first") & ok)
    kept = when[ok]
    return {
        "rows_read": int(len(df)),
        "rows_clean": int(ok.sum()),
        "date_min": kept.min().strftime("%Y-%m-%dT%H:%M:%S"),
        "date_max": kept.max().strftime("%Y-%m-%dT%H:%M:%S"),
    }


def read(name, **kw):
    return pd.read_csv(data / name, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig", **kw)


result = {}

f = "chicago_portal_export_2024_paras.csv"
df = read(f)
when = pd.to_datetime(df["Date"], format="%m/%d/%Y %I:%M:%S %p", errors="coerce")
result[f] = count(f, df, when, "Primary Type", "Latitude", "Longitude", "Location", paren, "ID", chicago=True)

f = "chicago_soda_pandas_computed_regions_2012_jfkoehler.csv"
df = read(f)
when = pd.to_datetime(df["date"], format="%Y-%m-%dT%H:%M:%S.%f", errors="coerce")
result[f] = count(f, df, when, "primary_type", "latitude", "longitude", "location", python_dict, chicago=True)

f = "kaggle_chicago_excel_2digit_year_tambrewho.csv"
df = read(f)
when = pd.to_datetime(df["Date"], format="%m/%d/%y %H:%M", errors="coerce")
result[f] = count(f, df, when, "Primary Type", "Latitude", "Longitude", "Location", paren, "ID", chicago=True)

f = "la_crime_2020_present_westla_excel_derived.csv"
df = pd.read_csv(data / f, dtype=str, keep_default_na=False, na_values=[""], header=None, skiprows=1)
header = pd.read_csv(data / f, nrows=0).columns  # pandas renames the duplicate to "DATE OCC.1"
df.columns = header
day = pd.to_datetime(df["DATE OCC"].str.split(" ").str[0], format="%m/%d/%Y", errors="coerce")
hhmm = pd.to_numeric(df["TIME OCC"], errors="coerce").fillna(0).astype(int)
when = day + pd.to_timedelta(hhmm // 100, unit="h") + pd.to_timedelta(hhmm % 100, unit="m")
result[f] = count(f, df, when, "Crm Cd Desc", "LAT", "LON", ident="DR_NO")

f = "nyc_nypd_complaint_historic_2010_sample.csv"
df = read(f)
when = pd.to_datetime(df["CMPLNT_FR_DT"] + " " + df["CMPLNT_FR_TM"], format="%m/%d/%Y %H:%M:%S", errors="coerce")
result[f] = count(f, df, when, "OFNS_DESC", "Latitude", "Longitude", "Lat_Lon", paren, "CMPLNT_NUM")

f = "philadelphia_incidents_part1_part2_2025.csv"
df = read(f)
when = pd.to_datetime(df["dispatch_date"] + " " + df["dispatch_time"], format="%Y-%m-%d %H:%M:%S", errors="coerce")
result[f] = count(f, df, when, "text_general_code", "lat", "lng", "the_geom", ewkb, "objectid")

f = "sf_police_incident_reports_2018_dec.csv"
df = read(f)
when = pd.to_datetime(df["Incident Datetime"], format="%Y/%m/%d %I:%M:%S %p", errors="coerce")
result[f] = count(f, df, when, "Incident Category", "Latitude", "Longitude", "point", paren, "Row ID")

missing = sorted(p.name for p in data.iterdir() if p.name not in result and p.suffix in (".csv", ".gz", ".json"))
if missing:
    sys.exit(f"no reference layout written for {missing}: add one to scripts/exports_reference.py")
(out / "exports_reference.json").write_text(json.dumps(result, indent=1))
print(json.dumps(result, indent=1))
