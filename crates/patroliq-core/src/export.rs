//! Writing a cleaned table back out: compact Parquet (what `patroliq prepare` makes for the app)
//! and the portal's CSV layout (what the demo generator and tests produce).

use std::io::Write;
use std::sync::Arc;

use arrow::array::{
    ArrayRef, BooleanArray, Float64Array, Int16Array, Int32Array, Int64Array, RecordBatch, StringArray,
    TimestampSecondArray,
};
use arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;

use crate::model::{CrimeTable, DictColumn, FlagColumn, SmallColumn, NULL_I64, NULL_U16, NULL_U8};
use crate::schema::Column;

const ROW_GROUP: usize = 131_072;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParquetCompression {
    Zstd,
    Snappy,
    /// LZ4_RAW, the Parquet format's current LZ4 (the older `LZ4` framing is deprecated).
    Lz4,
    None,
}

fn schema() -> Arc<Schema> {
    use Column::*;
    let ts = DataType::Timestamp(TimeUnit::Second, None);
    let f = |c: Column, t: DataType| Field::new(c.portal_name(), t, true);
    Arc::new(Schema::new(vec![
        f(Id, DataType::Int64),
        f(CaseNumber, DataType::Utf8),
        f(Date, ts.clone()),
        f(Block, DataType::Utf8),
        f(Iucr, DataType::Utf8),
        f(PrimaryType, DataType::Utf8),
        f(Description, DataType::Utf8),
        f(LocationDescription, DataType::Utf8),
        f(Arrest, DataType::Boolean),
        f(Domestic, DataType::Boolean),
        f(Beat, DataType::Int16),
        f(District, DataType::Int16),
        f(Ward, DataType::Int16),
        f(CommunityArea, DataType::Int16),
        f(FbiCode, DataType::Utf8),
        f(XCoordinate, DataType::Float64),
        f(YCoordinate, DataType::Float64),
        f(Year, DataType::Int32),
        f(UpdatedOn, ts),
        f(Latitude, DataType::Float64),
        f(Longitude, DataType::Float64),
    ]))
}

fn batch(t: &CrimeTable, rows: std::ops::Range<usize>, schema: &Arc<Schema>) -> RecordBatch {
    let r = rows;
    let dict = |d: &DictColumn| -> ArrayRef {
        Arc::new(StringArray::from_iter(r.clone().map(|i| {
            let s = d.get(i);
            (!s.is_empty()).then_some(s)
        })))
    };
    let small = |v: &SmallColumn<u8>| -> ArrayRef {
        Arc::new(Int16Array::from_iter(r.clone().map(|i| (v[i] != NULL_U8).then_some(i16::from(v[i])))))
    };
    let boolean = |v: &FlagColumn| -> ArrayRef {
        Arc::new(BooleanArray::from_iter(r.clone().map(|i| (v[i] != NULL_U8).then_some(v[i] == 1))))
    };
    // The State Plane X and Y, each row's pair read (predicted) once.
    let (xs, ys): (Vec<f32>, Vec<f32>) = r.clone().map(|i| t.plane(i)).unzip();
    let f32s = |v: Vec<f32>| -> ArrayRef {
        Arc::new(Float64Array::from_iter(v.into_iter().map(|v| (!v.is_nan()).then_some(f64::from(v)))))
    };
    let cols: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from_iter(r.clone().map(|i| t.id.get(i)))),
        Arc::new(StringArray::from_iter(r.clone().map(|i| {
            let s = t.case_number.get(i);
            (!s.is_empty()).then_some(s)
        }))),
        Arc::new(TimestampSecondArray::from_iter_values(r.clone().map(|i| t.date.get(i)))),
        dict(&t.block),
        dict(&t.iucr),
        dict(&t.primary_type),
        dict(&t.description),
        dict(&t.location_description),
        boolean(&t.arrest),
        boolean(&t.domestic),
        Arc::new(Int16Array::from_iter(
            r.clone().map(|i| (t.beat[i] != NULL_U16).then_some(t.beat[i] as i16)),
        )),
        small(&t.district),
        small(&t.ward),
        small(&t.community_area),
        dict(&t.fbi_code),
        f32s(xs),
        f32s(ys),
        Arc::new(Int32Array::from_iter_values(r.clone().map(|i| year_of(t.date.get(i))))),
        Arc::new(TimestampSecondArray::from_iter(
            r.clone().map(|i| Some(t.updated_on.get(i)).filter(|&u| u != NULL_I64)),
        )),
        Arc::new(Float64Array::from_iter_values(r.clone().map(|i| t.latitude.get(i)))),
        Arc::new(Float64Array::from_iter_values(r.clone().map(|i| t.longitude.get(i)))),
    ];
    RecordBatch::try_new(schema.clone(), cols).expect("columns match the schema")
}

fn year_of(t: i64) -> i32 {
    use chrono::Datelike;
    chrono::DateTime::from_timestamp(t, 0).map_or(0, |d| d.year())
}

/// Row groups of [`ROW_GROUP`] rows (progress granularity when the app reads them back).
fn writer_properties(
    compression: ParquetCompression,
    created_by: &str,
) -> Result<WriterProperties, parquet::errors::ParquetError> {
    Ok(WriterProperties::builder()
        .set_compression(match compression {
            ParquetCompression::Zstd => Compression::ZSTD(ZstdLevel::try_new(3)?),
            ParquetCompression::Snappy => Compression::SNAPPY,
            ParquetCompression::Lz4 => Compression::LZ4_RAW,
            ParquetCompression::None => Compression::UNCOMPRESSED,
        })
        .set_max_row_group_row_count(Some(ROW_GROUP))
        .set_created_by(created_by.into())
        .build())
}

/// Writes the table as Parquet with the portal's column names and proper types.
pub fn write_parquet<W: Write + Send>(
    t: &CrimeTable,
    out: W,
    compression: ParquetCompression,
) -> Result<(), parquet::errors::ParquetError> {
    write_parquet_grouped(t, out, compression, ROW_GROUP)
}

/// [`write_parquet`] with row groups of `group` rows (tests read files of many small groups).
pub(crate) fn write_parquet_grouped<W: Write + Send>(
    t: &CrimeTable,
    out: W,
    compression: ParquetCompression,
    group: usize,
) -> Result<(), parquet::errors::ParquetError> {
    let schema = schema();
    let props = WriterProperties::into_builder(writer_properties(compression, "patroliq prepare")?)
        .set_max_row_group_row_count(Some(group))
        .build();
    let mut w = ArrowWriter::try_new(out, schema.clone(), Some(props))?;
    let mut start = 0;
    while start < t.len() {
        let end = (start + group).min(t.len());
        w.write(&batch(t, start..end, &schema))?;
        start = end;
    }
    w.close()?;
    Ok(())
}

/// Rows per row group of the feature export: also the unit of work between progress reports.
pub const FEATURE_GROUP: usize = ROW_GROUP;

/// The feature export as Parquet: `ID`, then one Float64 column per feature of
/// [`crate::features::CATALOGUE`] (NaN where the source value is missing), then the labels of the
/// coded columns (`crime_type_label`, `fbi_code_label`). Written one row group at a time (features
/// from [`crate::features::Features::columns`]), so the whole matrix (33 × 8 bytes a row) is never
/// held: this also runs in the browser, which times the two steps apart.
pub struct FeaturesParquet<W: Write + Send> {
    writer: ArrowWriter<W>,
    schema: Arc<Schema>,
}

impl<W: Write + Send> FeaturesParquet<W> {
    pub fn new(out: W) -> Result<Self, parquet::errors::ParquetError> {
        use crate::features::CATALOGUE;
        let mut fields = vec![Field::new("ID", DataType::Int64, true)];
        fields.extend(CATALOGUE.iter().map(|s| Field::new(s.name, DataType::Float64, false)));
        fields.push(Field::new("crime_type_label", DataType::Utf8, false));
        fields.push(Field::new("fbi_code_label", DataType::Utf8, false));
        let schema = Arc::new(Schema::new(fields));
        let props = writer_properties(ParquetCompression::Zstd, "patroliq features")?;
        Ok(FeaturesParquet { writer: ArrowWriter::try_new(out, schema.clone(), Some(props))?, schema })
    }

    /// Writes one group: `rows` of `t` and their feature `columns`.
    pub fn write(
        &mut self,
        t: &CrimeTable,
        rows: &[u32],
        columns: Vec<Vec<f64>>,
    ) -> Result<(), parquet::errors::ParquetError> {
        let idx = || rows.iter().map(|&r| r as usize);
        let mut cols: Vec<ArrayRef> = vec![Arc::new(Int64Array::from_iter(idx().map(|i| t.id.get(i))))];
        cols.extend(columns.into_iter().map(|c| Arc::new(Float64Array::from(c)) as ArrayRef));
        cols.push(Arc::new(StringArray::from_iter_values(idx().map(|i| t.primary_type.get(i)))));
        cols.push(Arc::new(StringArray::from_iter_values(idx().map(|i| t.fbi_code.get(i)))));
        self.writer.write(&RecordBatch::try_new(self.schema.clone(), cols)?)
    }

    pub fn finish(self) -> Result<(), parquet::errors::ParquetError> {
        self.writer.close().map(|_| ())
    }
}

/// Writes the features of `rows` as Parquet in one call (see [`FeaturesParquet`]).
pub fn write_features_parquet<W: Write + Send>(
    f: &crate::features::Features<'_>,
    rows: &[u32],
    out: W,
) -> Result<(), parquet::errors::ParquetError> {
    let mut w = FeaturesParquet::new(out)?;
    for group in rows.chunks(FEATURE_GROUP) {
        w.write(f.table(), group, f.columns(group))?;
    }
    w.finish()
}

/// The portal's text for a timestamp: `12/31/2017 11:58:00 PM`.
pub fn portal_datetime(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|d| d.naive_utc().format("%m/%d/%Y %I:%M:%S %p").to_string())
        .unwrap_or_default()
}

/// Quotes a CSV field only when it needs it (RFC 4180, as the portal does).
pub fn csv_field(out: &mut String, s: &str) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// The portal's CSV header line.
pub fn csv_header() -> String {
    let names: Vec<&str> = Column::ALL.iter().map(|c| c.portal_name()).collect();
    names.join(",") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{load_bytes, LoadOptions};

    #[test]
    fn parquet_round_trips_every_column() {
        let csv = b"ID,Case Number,Date,Block,IUCR,Primary Type,Description,Location Description,Arrest,Domestic,Beat,District,Ward,Community Area,FBI Code,X Coordinate,Y Coordinate,Year,Updated On,Latitude,Longitude,Location\n\
11192233,JB100016,12/31/2017 11:58:00 PM,046XX N ST LOUIS AVE,0630,BURGLARY,ATTEMPT FORCIBLE ENTRY,APARTMENT,false,false,1723,017,33,14,05,1152214,1930694,2017,05/04/2018 03:51:04 PM,41.965693651,-87.715726125,\"(41.965693651, -87.715726125)\"\n\
11192234,JB100017,12/31/2017 10:00:00 AM,\"001XX W \"\"X\"\", ST\",0486,BATTERY,DOMESTIC BATTERY SIMPLE,,true,true,0533,005,,,08B,,,2017,,41.7,-87.6,\n";
        let a = load_bytes("a.csv", csv, LoadOptions::default()).unwrap();
        for c in [
            ParquetCompression::Zstd,
            ParquetCompression::Snappy,
            ParquetCompression::Lz4,
            ParquetCompression::None,
        ] {
            let mut buf = Vec::new();
            write_parquet(&a.table, &mut buf, c).unwrap();
            let b = load_bytes("a.parquet", &buf, LoadOptions::default()).unwrap();
            assert_eq!(b.report.source.format, "parquet");
            assert!(a.table.same_rows(&b.table), "{c:?}");
            assert_eq!(b.report.rows_clean, 2);
        }
    }

    #[test]
    fn features_of_a_selection_are_written_row_for_row() {
        use crate::features::{compute_rows, Features, CATALOGUE};
        use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
        let csv = "ID,Date,Primary Type,FBI Code,Latitude,Longitude\n\
            1,2017-01-01T10:00:00,THEFT,06,41.90,-87.70\n\
            2,2017-01-02T23:00:00,BATTERY,08B,41.80,-87.60\n\
            3,2017-01-03T05:00:00,THEFT,06,41.85,-87.65\n";
        let t = load_bytes("t", csv.as_bytes(), LoadOptions::default()).unwrap().table;
        let rows = [0u32, 2];
        let mut buf = Vec::new();
        write_features_parquet(&Features::prepare(&t, &rows), &rows, &mut buf).unwrap();
        let reader =
            ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(buf)).unwrap().build().unwrap();
        let batches: Vec<RecordBatch> = reader.map(Result::unwrap).collect();
        let b = arrow::compute::concat_batches(&batches[0].schema(), &batches).unwrap();
        assert_eq!((b.num_rows(), b.num_columns()), (2, CATALOGUE.len() + 3));
        let ids = b.column(0).as_any().downcast_ref::<Int64Array>().unwrap();
        assert_eq!(ids.values(), &[1, 3]);
        let expected = compute_rows(&t, &rows);
        for (k, spec) in CATALOGUE.iter().enumerate() {
            let col = b.column_by_name(spec.name).unwrap().as_any().downcast_ref::<Float64Array>().unwrap();
            let want = expected.column(spec.name).unwrap();
            for (r, &w) in want.iter().enumerate().take(2) {
                assert!(
                    col.value(r) == w || (col.value(r).is_nan() && w.is_nan()),
                    "{} row {r}",
                    CATALOGUE[k].name
                );
            }
        }
        let labels =
            b.column_by_name("crime_type_label").unwrap().as_any().downcast_ref::<StringArray>().unwrap();
        assert_eq!((labels.value(0), labels.value(1)), ("THEFT", "THEFT"));
    }

    #[test]
    fn portal_date_text() {
        assert_eq!(portal_datetime(1_514_764_680), "12/31/2017 11:58:00 PM");
        let mut s = String::new();
        csv_field(&mut s, "A, \"B\"");
        assert_eq!(s, "\"A, \"\"B\"\"\"");
    }
}
