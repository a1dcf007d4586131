//! UTF-16 text (Excel's "Unicode Text", tab-separated; some Windows tools' CSV) turned into
//! UTF-8 as it streams in, for the CSV reader. `char::decode_utf16` decodes; what waits between
//! chunks is an odd byte and a high surrogate whose pair is in the next chunk. (`encoding_rs`
//! does this and much more; the project reads no other encoding that needs it.)

/// The decoder of one source, from its byte-order mark.
pub(crate) struct Utf16 {
    big_endian: bool,
    /// Bytes of an incomplete code unit or pair, from the end of the last chunk.
    carry: Vec<u8>,
    /// Whether the byte-order mark has been passed.
    started: bool,
}

impl Utf16 {
    /// A decoder if `head` starts with a UTF-16 byte-order mark.
    pub(crate) fn of(head: &[u8]) -> Option<Utf16> {
        let big_endian = match head {
            [0xff, 0xfe, ..] => false,
            [0xfe, 0xff, ..] => true,
            _ => return None,
        };
        Some(Utf16 { big_endian, carry: Vec::new(), started: false })
    }

    /// The UTF-8 of the next chunk; `last` flushes what waits (a lone surrogate or odd byte of a
    /// truncated file becomes U+FFFD).
    pub(crate) fn push(&mut self, chunk: &[u8], last: bool) -> Vec<u8> {
        let mut bytes = std::mem::take(&mut self.carry);
        bytes.extend_from_slice(chunk);
        let mut from = 0;
        if !self.started && bytes.len() >= 2 {
            from = 2;
            self.started = true;
        }
        let even = from + (bytes.len() - from) / 2 * 2;
        let unit = |p: &[u8]| {
            let p = [p[0], p[1]];
            if self.big_endian {
                u16::from_be_bytes(p)
            } else {
                u16::from_le_bytes(p)
            }
        };
        let mut units: Vec<u16> = bytes[from..even].chunks_exact(2).map(unit).collect();
        let mut keep = even;
        if !last && units.last().is_some_and(|u| (0xd800..0xdc00).contains(u)) {
            units.pop();
            keep -= 2;
        }
        let mut out = String::with_capacity(units.len() + units.len() / 2);
        out.extend(char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)));
        if last && keep < bytes.len() {
            out.push(char::REPLACEMENT_CHARACTER);
        } else {
            self.carry = bytes[keep..].to_vec();
        }
        out.into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(s: &str, big_endian: bool) -> Vec<u8> {
        let mut b = if big_endian { vec![0xfe, 0xff] } else { vec![0xff, 0xfe] };
        for u in s.encode_utf16() {
            b.extend(if big_endian { u.to_be_bytes() } else { u.to_le_bytes() });
        }
        b
    }

    #[test]
    fn any_split_of_the_bytes_decodes_to_the_same_text() {
        let text = "Date\tOffense\tRue Sainte-Thérèse 𝄞\n2016-02-26\tVOL\tStraße\n";
        for be in [false, true] {
            let bytes = encode(text, be);
            for cut in 0..bytes.len() {
                for cut2 in cut..bytes.len() {
                    let mut d = Utf16::of(&bytes).unwrap();
                    let mut out = d.push(&bytes[..cut], false);
                    out.extend(d.push(&bytes[cut..cut2], false));
                    out.extend(d.push(&bytes[cut2..], false));
                    out.extend(d.push(&[], true));
                    assert_eq!(String::from_utf8(out).unwrap(), text, "cuts {cut} {cut2}");
                }
            }
        }
        assert!(Utf16::of(b"Date,Type").is_none());
    }

    #[test]
    fn a_truncated_file_ends_in_a_replacement_character() {
        let mut bytes = encode("ab", false);
        bytes.push(0x41);
        let mut d = Utf16::of(&bytes).unwrap();
        let mut out = d.push(&bytes, false);
        out.extend(d.push(&[], true));
        assert_eq!(String::from_utf8(out).unwrap(), "ab\u{fffd}");
    }
}
