//! Sources read by byte ranges, and the window of them a Parquet row group is decoded from.
//!
//! A Parquet file's index is at its end and its columns are chunks at offsets, so it need not be
//! held whole: [`super::parquet::ParquetLoad`] reads the footer, then one row group's column
//! chunks at a time. The browser's worker reads a picked `File` by slices (`FileReaderSync`),
//! the CLI a file on disk, tests and downloads bytes in memory — all through [`Ranged`]. A full
//! history of 8 million rows is then never more than one row group (a few MB) in memory beside
//! the table, where the whole file (320 MB, doubled while a `Vec` grew to hold it) was before.

use std::io::{Read, Seek, SeekFrom};
use std::ops::Range;

use bytes::Bytes;
use parquet::file::reader::{ChunkReader, Length};

use super::LoadError;

/// Random access to a source's bytes.
pub trait Ranged {
    /// The source's size in bytes.
    fn len(&self) -> u64;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// `len` bytes from `start`; an error (never a short read) past the end.
    fn read(&mut self, start: u64, len: usize) -> Result<Bytes, LoadError>;
}

/// `ranges` sorted, those less than 64 KiB apart merged: what [`Window::read`] reads (a row
/// group's chunks usually lie back to back: one read for all).
fn merged(mut ranges: Vec<Range<u64>>) -> Vec<Range<u64>> {
    ranges.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<u64>> = Vec::with_capacity(ranges.len());
    for r in ranges.into_iter().filter(|r| r.end > r.start) {
        match merged.last_mut() {
            Some(last) if r.start <= last.end.saturating_add(64 << 10) => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

impl Ranged for Bytes {
    fn len(&self) -> u64 {
        Bytes::len(self) as u64
    }

    fn read(&mut self, start: u64, len: usize) -> Result<Bytes, LoadError> {
        let end = start.checked_add(len as u64).filter(|&e| e <= Ranged::len(self));
        match end {
            // A clone of `Bytes` shares the buffer: no copy.
            Some(end) => Ok(self.slice(start as usize..end as usize)),
            None => Err(past_end(start, len, Ranged::len(self))),
        }
    }
}

impl Ranged for std::fs::File {
    fn len(&self) -> u64 {
        self.metadata().map_or(0, |m| m.len())
    }

    fn read(&mut self, start: u64, len: usize) -> Result<Bytes, LoadError> {
        if start.checked_add(len as u64).is_none_or(|e| e > Ranged::len(self)) {
            return Err(past_end(start, len, Ranged::len(self)));
        }
        let mut buf = vec![0u8; len];
        self.seek(SeekFrom::Start(start))
            .and_then(|_| self.read_exact(&mut buf))
            .map_err(|e| LoadError::Io(format!("reading {len} bytes at offset {start}: {e}")))?;
        Ok(Bytes::from(buf))
    }
}

/// The error of a read of `len` bytes at `start` past the end of a `size`-byte source.
pub fn past_end(start: u64, len: usize, size: u64) -> LoadError {
    LoadError::Truncated(format!("{len} bytes at offset {start} lie past the end of the {size}-byte file"))
}

/// Parts of a file in memory (one row group's column chunks), as the `parquet` crate's
/// [`ChunkReader`]: it reads pages only inside the chunks it was given.
#[derive(Clone)]
pub(crate) struct Window {
    file_len: u64,
    /// Sorted, non-overlapping (start offset, bytes).
    parts: Vec<(u64, Bytes)>,
}

impl Window {
    /// Reads the [`merged`] `ranges` of `source`.
    pub(crate) fn read(source: &mut dyn Ranged, ranges: Vec<Range<u64>>) -> Result<Window, LoadError> {
        let parts = merged(ranges)
            .into_iter()
            .map(|r| Ok((r.start, source.read(r.start, (r.end - r.start) as usize)?)))
            .collect::<Result<_, LoadError>>()?;
        Ok(Window { file_len: source.len(), parts })
    }

    fn slice(&self, start: u64, len: usize) -> parquet::errors::Result<Bytes> {
        let i = self.parts.partition_point(|(s, _)| *s <= start);
        let outside = || {
            parquet::errors::ParquetError::General(format!(
                "{len} bytes at offset {start} lie outside the column chunks the metadata gives"
            ))
        };
        let (s, b) = i.checked_sub(1).map(|i| &self.parts[i]).ok_or_else(outside)?;
        let from = (start - s) as usize;
        let to = from.checked_add(len).filter(|&t| t <= b.len()).ok_or_else(outside)?;
        Ok(b.slice(from..to))
    }
}

impl Length for Window {
    fn len(&self) -> u64 {
        self.file_len
    }
}

impl ChunkReader for Window {
    type T = bytes::buf::Reader<Bytes>;

    /// A reader from `start` to the end of the part holding it (page headers are read this way).
    fn get_read(&self, start: u64) -> parquet::errors::Result<Self::T> {
        let i = self.parts.partition_point(|(s, _)| *s <= start);
        let rest = i.checked_sub(1).map_or(0, |i| {
            let (s, b) = &self.parts[i];
            (b.len() as u64).saturating_sub(start - s) as usize
        });
        Ok(bytes::Buf::reader(self.slice(start, rest)?))
    }

    fn get_bytes(&self, start: u64, length: usize) -> parquet::errors::Result<Bytes> {
        self.slice(start, length)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_serves_its_parts_and_nothing_else() {
        let mut file = Bytes::from((0..=255u8).cycle().take(300_000).collect::<Vec<u8>>());
        let w = Window::read(&mut file, vec![200_000..200_010, 10..20, 20..30, 100..110]).unwrap();
        // 10..30 and 100..110 are near enough to be one read; 200,000.. is its own.
        assert_eq!(w.parts.len(), 2);
        assert_eq!(w.get_bytes(15, 10).unwrap().as_ref(), &file[15..25]);
        assert_eq!(w.get_bytes(200_002, 8).unwrap().as_ref(), &file[200_002..200_010]);
        let mut rest = Vec::new();
        w.get_read(105).unwrap().read_to_end(&mut rest).unwrap();
        assert_eq!(rest, &file[105..110]);
        assert!(w.get_bytes(5, 10).is_err(), "before the first part");
        assert!(w.get_bytes(105, 10).is_err(), "past a part's end");
        assert!(w.get_bytes(150_000, 1).is_err(), "between parts");
        assert!(Ranged::read(&mut file, 299_999, 2).is_err());
    }

    #[test]
    fn a_file_is_read_by_ranges() {
        let path = std::env::temp_dir().join(format!("ranged-{}.bin", std::process::id()));
        std::fs::write(&path, b"0123456789").unwrap();
        let mut f = std::fs::File::open(&path).unwrap();
        assert_eq!(Ranged::len(&f), 10);
        assert_eq!(Ranged::read(&mut f, 3, 4).unwrap().as_ref(), b"3456");
        assert!(matches!(Ranged::read(&mut f, 8, 4), Err(LoadError::Truncated(_))));
        std::fs::remove_file(path).unwrap();
    }
}
