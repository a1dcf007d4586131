//! A picked file read by byte ranges, synchronously (`FileReaderSync`, which only workers have):
//! how the core's Parquet reader gets one row group's columns at a time instead of the whole file.

use bytes::Bytes;
use js_sys::Uint8Array;
use patroliq_core::load::ranged::{past_end, Ranged};
use patroliq_core::load::LoadError;
use web_sys::{File, FileReaderSync};

use crate::js::js_message;

pub(super) struct FileRanges {
    file: File,
    reader: FileReaderSync,
}

impl FileRanges {
    /// `None` where the scope has no `FileReaderSync` (then the file is streamed whole).
    pub(super) fn new(file: &File) -> Option<Self> {
        FileReaderSync::new().ok().map(|reader| FileRanges { file: file.clone(), reader })
    }
}

impl Ranged for FileRanges {
    fn len(&self) -> u64 {
        self.file.size() as u64
    }

    fn read(&mut self, start: u64, len: usize) -> Result<Bytes, LoadError> {
        let end = start.saturating_add(len as u64);
        if end > self.len() {
            return Err(past_end(start, len, self.len()));
        }
        let unreadable = |e: wasm_bindgen::JsValue| {
            LoadError::Io(format!(
                "{} (was the file moved or changed after it was chosen? Choose it again)",
                js_message(&e)
            ))
        };
        let blob = self.file.slice_with_f64_and_f64(start as f64, end as f64).map_err(unreadable)?;
        let buf = self.reader.read_as_array_buffer(&blob).map_err(unreadable)?;
        let view = Uint8Array::new(&buf);
        let mut out = vec![0u8; view.length() as usize];
        view.copy_to(&mut out);
        if out.len() != len {
            return Err(LoadError::Truncated(format!(
                "{} of {len} bytes could be read at offset {start}",
                out.len()
            )));
        }
        Ok(Bytes::from(out))
    }
}
