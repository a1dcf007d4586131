//! A record's `Block` as people say it: the portal writes "001XX N STATE ST" (the hundred block,
//! zero-padded, in capitals) and a dispatcher says "100 block of N State St".

/// Street-type and direction words kept as their usual abbreviations.
const KEEP_UPPER: [&str; 8] = ["N", "S", "E", "W", "NE", "NW", "SE", "SW"];

fn word(w: &str) -> String {
    if KEEP_UPPER.contains(&w) {
        return w.to_string();
    }
    // "63RD" → "63rd", "I-90" stays, "O'HARE" → "O'Hare", "MC" → "Mc".
    if w.chars().next().is_some_and(|c| c.is_ascii_digit()) || w.contains('-') && w.len() <= 5 {
        return w.to_lowercase().replace("i-", "I-");
    }
    let mut out = String::with_capacity(w.len());
    let mut start = true;
    for c in w.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphanumeric();
    }
    out
}

/// "001XX N STATE ST" → "100 block of N State St"; "000XX W MADISON ST" → "0–100 block of W
/// Madison St"; anything else comes back in title case ("O'HARE AIRPORT" → "O'Hare Airport").
pub fn say_block(block: &str) -> String {
    let b = block.trim();
    if b.is_empty() {
        return String::new();
    }
    let (head, rest) = b.split_once(' ').unwrap_or((b, ""));
    let street = rest.split_whitespace().map(word).collect::<Vec<_>>().join(" ");
    let upper = head.to_ascii_uppercase();
    // "001XX" (hundreds) and, in some exports, "0000X" (tens): the X's stand for the digits hidden.
    let digits = upper.trim_end_matches('X');
    let hidden = (upper.len() - digits.len()) as u32;
    if (1..=3).contains(&hidden)
        && !digits.is_empty()
        && digits.bytes().all(|c| c.is_ascii_digit())
        && !street.is_empty()
    {
        let number = digits.parse::<u64>().unwrap_or(0) * 10u64.pow(hidden);
        let hundred = number / 100 * 100;
        return if hundred == 0 {
            format!("0–100 block of {street}")
        } else {
            format!("{hundred} block of {street}")
        };
    }
    b.split_whitespace().map(word).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::say_block;

    #[test]
    fn portal_blocks_are_said_as_dispatchers_say_them() {
        assert_eq!(say_block("001XX N STATE ST"), "100 block of N State St");
        assert_eq!(say_block("000XX W MADISON ST"), "0–100 block of W Madison St");
        assert_eq!(
            say_block("063XX S DR MARTIN LUTHER KING JR DR"),
            "6300 block of S Dr Martin Luther King Jr Dr"
        );
        assert_eq!(say_block("100XX W OHARE ST"), "10000 block of W Ohare St");
        assert_eq!(say_block("012XX E 63RD ST"), "1200 block of E 63rd St");
        assert_eq!(say_block("0000X W HUBBARD ST"), "0–100 block of W Hubbard St");
        assert_eq!(say_block("  "), "");
        // Not the portal's pattern: title case, nothing invented.
        assert_eq!(say_block("O'HARE AIRPORT"), "O'Hare Airport");
        assert_eq!(say_block("1400 Block Of Main Street"), "1400 Block Of Main Street");
    }
}
