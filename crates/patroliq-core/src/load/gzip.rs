//! Gzip inflation as a step of its own, so that it can run beside the CSV parse: on a second
//! thread in the CLI, in the map worker in the browser (`src/mapper/inflate.rs`). Inflating the
//! 28 MB sample to its 119 MB of CSV is about a third of a load; beside the parse it costs the
//! load nothing. [`super::Loader`] uses the same inflater when it does both steps itself, so the
//! errors an analyst sees are the same either way.

use std::io::Write;

use flate2::write::MultiGzDecoder;

use super::LoadError;

/// The inflated bytes, counted against the limit as they come (a gzip bomb stops inside the
/// write that crosses it, before the bytes are held).
struct Out {
    buf: Vec<u8>,
    written: u64,
    limit: u64,
    over: bool,
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.written += buf.len() as u64;
        if self.written > self.limit {
            self.over = true;
            return Err(std::io::Error::other("over the limit"));
        }
        self.buf.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A gzip stream (one or more members) being inflated chunk by chunk.
pub struct Inflater {
    dec: MultiGzDecoder<Out>,
}

impl Inflater {
    /// `limit`: inflated bytes at most.
    pub fn new(limit: u64) -> Self {
        let out = Out { buf: Vec::new(), written: 0, limit, over: false };
        Inflater { dec: MultiGzDecoder::new(out) }
    }

    /// Inflates the next compressed chunk; returns the bytes that came out of it (maybe none).
    pub fn push(&mut self, chunk: &[u8]) -> Result<Vec<u8>, LoadError> {
        if let Err(e) = self.dec.write_all(chunk) {
            return Err(self.error(e));
        }
        Ok(std::mem::take(&mut self.dec.get_mut().buf))
    }

    /// Ends the stream: the last bytes, or why the stream is incomplete.
    pub fn finish(mut self) -> Result<Vec<u8>, LoadError> {
        if let Err(e) = self.dec.try_finish() {
            // An error only at the end means the stream stops before its trailer.
            return Err(match self.error(e) {
                LoadError::Malformed(_) => truncated(),
                other => other,
            });
        }
        let out = self.dec.finish().map_err(|e| LoadError::Io(e.to_string()))?;
        if out.written == 0 {
            return Err(LoadError::Truncated("the gzip stream holds no data".into()));
        }
        Ok(out.buf)
    }

    fn error(&mut self, e: std::io::Error) -> LoadError {
        let out = self.dec.get_ref();
        if out.over {
            return LoadError::TooLarge(format!("it decompresses to more than {} GB", out.limit >> 30));
        }
        match e.kind() {
            std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::WriteZero => truncated(),
            _ => LoadError::Malformed(format!("the gzip data is corrupted ({e})")),
        }
    }
}

fn truncated() -> LoadError {
    LoadError::Truncated("the gzip stream ends early (was the download cut off?)".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn inflate(z: &[u8], chunk: usize, limit: u64) -> Result<Vec<u8>, LoadError> {
        let mut inf = Inflater::new(limit);
        let mut all = Vec::new();
        for c in z.chunks(chunk) {
            all.extend(inf.push(c)?);
        }
        all.extend(inf.finish()?);
        Ok(all)
    }

    #[test]
    fn any_chunking_gives_the_bytes_back_and_members_are_joined() {
        let data: Vec<u8> = (0..200_000u32).flat_map(|i| (i % 251).to_le_bytes()).collect();
        let mut two = gz(&data[..300_000]);
        two.extend(gz(&data[300_000..]));
        for chunk in [1, 7, 4096, 1 << 20] {
            assert_eq!(inflate(&two, chunk, u64::MAX).unwrap(), data, "chunks of {chunk}");
        }
    }

    #[test]
    fn a_bomb_stops_at_the_limit_without_holding_it() {
        let z = gz(&vec![0u8; 8 << 20]);
        let mut inf = Inflater::new(1 << 20);
        let err = inf.push(&z).unwrap_err();
        assert_eq!(err.kind(), "too_large", "{err}");
        assert!(inf.dec.get_ref().buf.len() <= 1 << 20);
    }

    #[test]
    fn cut_and_empty_streams_are_incomplete() {
        let z = gz(&[b'x'; 100_000]);
        assert_eq!(inflate(&z[..z.len() / 2], 1000, u64::MAX).unwrap_err().kind(), "truncated");
        assert_eq!(inflate(&gz(b""), 1000, u64::MAX).unwrap_err().kind(), "truncated");
    }
}
