//! A check of a Parquet file's metadata and its column chunks' page headers before the parquet
//! crate reads them. Its
//! Thrift reader skips unknown fields by the sizes the bytes declare: a list of 2³¹ booleans
//! costs it 2³¹ turns of a loop that reads nothing (a boolean in a list takes no byte there, where
//! the compact protocol gives it one), and a binary field's declared length is allocated before
//! it is read. A damaged or hostile file held the worker for seconds to minutes that way, beyond
//! Cancel's reach (the fuzzer's `slow-unit` inputs; the same class as pgcolumnar#694). Here every
//! header of the chunk is walked as the crate walks it, with each size checked against the bytes
//! left — every element of a list, set or map takes at least one byte as a writer writes it — so
//! such a chunk is refused at once. Anything
//! else unusual (an unknown type, a header cut short) is left to the parquet crate to report.
//! Hand-written: no crate checks Thrift sizes against the input without decoding into types.

use super::LoadError;

/// Fields and containers nested deeper than this are the parquet crate's to refuse (it skips
/// each field to a depth of 64).
const DEPTH: u8 = 66;

enum Stop {
    /// A size larger than the bytes left: the chunk is damaged.
    Impossible(&'static str),
    /// Not something this check reads (left to the parquet crate).
    Unread,
}

struct Cursor<'a> {
    b: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn left(&self) -> usize {
        self.b.len() - self.at
    }

    fn byte(&mut self) -> Result<u8, Stop> {
        let v = *self.b.get(self.at).ok_or(Stop::Unread)?;
        self.at += 1;
        Ok(v)
    }

    fn varint(&mut self) -> Result<u64, Stop> {
        let mut v = 0u64;
        for shift in (0..70).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f).checked_shl(shift).unwrap_or(0);
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(Stop::Unread)
    }

    fn skip(&mut self, n: u64) -> Result<(), Stop> {
        if n > self.left() as u64 {
            return Err(Stop::Impossible("a field longer than the page"));
        }
        self.at += n as usize;
        Ok(())
    }

    /// A container's element count, which cannot exceed the bytes left.
    fn count(&mut self, n: u64) -> Result<u64, Stop> {
        if n > self.left() as u64 {
            return Err(Stop::Impossible("a list longer than the page"));
        }
        Ok(n)
    }

    /// Skips one value of compact-protocol type `t`.
    fn value(&mut self, t: u8, depth: u8) -> Result<(), Stop> {
        if depth == 0 {
            return Err(Stop::Unread);
        }
        match t {
            // A boolean field's value is in its header; in a list each takes a byte (`element`).
            1 | 2 => Ok(()),
            3 => self.byte().map(|_| ()),
            4..=6 => self.varint().map(|_| ()),
            7 => self.skip(8),
            8 => {
                let n = self.varint()?;
                self.skip(n)
            }
            9 | 10 => {
                let h = self.byte()?;
                let n = if h >> 4 == 15 { self.varint()? } else { u64::from(h >> 4) };
                let n = self.count(n)?;
                for _ in 0..n {
                    self.element(h & 0x0f, depth - 1)?;
                }
                Ok(())
            }
            11 => {
                let n = self.varint()?;
                if n == 0 {
                    return Ok(());
                }
                let n = self.count(n)?;
                let kv = self.byte()?;
                for _ in 0..n {
                    self.element(kv >> 4, depth - 1)?;
                    self.element(kv & 0x0f, depth - 1)?;
                }
                Ok(())
            }
            12 => self.fields(depth - 1, |_, _, _| Ok(false)),
            // A UUID: 16 bytes.
            13 => self.skip(16),
            _ => Err(Stop::Unread),
        }
    }

    /// An element of a container. A boolean there is a byte of its own in the compact protocol,
    /// but the parquet crate reads none: it is read as the crate reads it, so both walks stay on
    /// the same bytes (the count of such elements was checked against the bytes left).
    fn element(&mut self, t: u8, depth: u8) -> Result<(), Stop> {
        self.value(t, depth)
    }

    /// A struct's fields up to its stop; `read(id, type, cursor)` may consume a field itself
    /// (returns true), else it is skipped.
    fn fields(
        &mut self,
        depth: u8,
        mut read: impl FnMut(i16, u8, &mut Self) -> Result<bool, Stop>,
    ) -> Result<(), Stop> {
        let mut last: i16 = 0;
        loop {
            let h = self.byte()?;
            let t = h & 0x0f;
            if t == 0 {
                return Ok(());
            }
            let id = match h >> 4 {
                0 => zigzag(self.varint()?) as i16,
                d => last.wrapping_add(i16::from(d)),
            };
            last = id;
            if !read(id, t, self)? {
                self.value(t, depth)?;
            }
        }
    }
}

fn zigzag(n: u64) -> i64 {
    (n >> 1) as i64 ^ -((n & 1) as i64)
}

/// Walks one Thrift struct (the file's metadata in its footer, read by the same kind of skipping)
/// and refuses it if it declares more than it holds.
pub fn check_struct(bytes: &[u8], what: &str) -> Result<(), LoadError> {
    let mut c = Cursor { b: bytes, at: 0 };
    match c.fields(DEPTH, |_, _, _| Ok(false)) {
        Err(Stop::Impossible(why)) => Err(LoadError::Malformed(format!("{what} declares {why}"))),
        _ => Ok(()),
    }
}

/// Walks the page headers of one column chunk, page by page (each header, then its
/// `compressed_page_size` bytes), and refuses the chunk if a header declares more than the
/// bytes hold. `bytes` is the chunk and whatever follows it in memory (the parquet crate reads a
/// header on past the chunk's end, into the next one's bytes); `len` is the chunk's. Returns how
/// many headers it walked.
pub fn check(bytes: &[u8], len: usize, what: &str) -> Result<usize, LoadError> {
    let mut c = Cursor { b: bytes, at: 0 };
    let mut pages = 0;
    while c.at < len.min(bytes.len()) {
        let mut size: Option<i64> = None;
        let walked = c.fields(DEPTH, |id, t, c| {
            if id == 3 && t == 5 {
                size = Some(zigzag(c.varint()?));
                return Ok(true);
            }
            Ok(false)
        });
        match walked {
            Ok(()) => {}
            Err(Stop::Unread) => return Ok(pages),
            Err(Stop::Impossible(why)) => {
                return Err(LoadError::Malformed(format!("{what}: a page header declares {why}")))
            }
        }
        match size {
            Some(n) if n >= 0 && (n as u64) <= c.left() as u64 => {
                c.at += n as usize;
                pages += 1;
            }
            Some(n) => {
                return Err(LoadError::Malformed(format!(
                    "{what}: a page of {n} bytes where {} are left",
                    c.left()
                )))
            }
            None => return Ok(pages),
        }
    }
    Ok(pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pages_of_a_real_file_pass_and_a_list_of_booleans_too_long_is_refused() {
        // Every chunk of the corpus's valid file, as pyarrow wrote it.
        let bytes =
            std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/corpus/small.parquet")).unwrap();
        let meta = parquet::file::metadata::ParquetMetaDataReader::new()
            .parse_and_finish(&bytes::Bytes::from(bytes.clone()))
            .unwrap();
        let (mut chunks, mut pages) = (0, 0);
        for g in meta.row_groups() {
            for col in g.columns() {
                let (start, len) = col.byte_range();
                let chunk = &bytes[start as usize..(start + len) as usize];
                pages += check(chunk, chunk.len(), "chunk").unwrap();
                chunks += 1;
            }
        }
        // Every page walked to the chunk's end: a dictionary page and a data page a chunk, or one.
        assert!(chunks > 0 && pages >= chunks, "{pages} pages in {chunks} chunks");
        // A header (type 0, sizes 10 and 10) with an unknown field 9: a list of 2³¹ − 1
        // booleans (size 15 → varint), then 10 bytes of page.
        let mut hostile = vec![0x15, 0x00, 0x15, 0x14, 0x15, 0x14, 0x69, 0xf1, 0xff, 0xff, 0xff, 0xff, 0x07];
        hostile.extend([0u8; 10]);
        let e = check(&hostile, hostile.len(), "column x").unwrap_err();
        assert!(e.to_string().contains("list longer than the page"), "{e}");
        // A binary field longer than the chunk, and a page size past its end.
        let long_binary = [0x15, 0x00, 0x15, 0x14, 0x15, 0x14, 0x68, 0xff, 0xff, 0x03, 0x00];
        assert!(check(&long_binary, long_binary.len(), "x").is_err());
        let past_end = [0x15, 0x00, 0x15, 0x14, 0x15, 0x14, 0x00, 1, 2, 3];
        assert!(check(&past_end, past_end.len(), "x").unwrap_err().to_string().contains("10 bytes where 3"));
        // A header that runs past the chunk's end into the bytes after it is walked there.
        assert!(check(&hostile, 2, "x").is_err());
        // A header cut short is the parquet crate's to report.
        assert_eq!(check(&[0x15, 0x00, 0x15], 3, "x").unwrap(), 0);
    }
}
