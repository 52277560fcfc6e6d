//! The two state records every row gets, `in_flight` before its request and `done` after it,
//! written by hand into the log's buffer: they are written twice per row on the sending
//! loop, and serde's derive (with a `String` for the key and one for the id) cost more than
//! the rest of a row's bookkeeping there. The bytes are exactly the ones serde writes for the
//! same records, which is how they are read back (a test in `state` holds the two together).

use super::row::Key;

/// `{"status":"in_flight","key":"…","row":…}` and a newline.
pub fn in_flight(out: &mut Vec<u8>, key: &Key, row: usize) {
    out.extend_from_slice(br#"{"status":"in_flight","key":""#);
    key_text(out, key);
    out.extend_from_slice(br#"","row":"#);
    decimal(out, row as u64);
    out.extend_from_slice(b"}\n");
}

/// `{"status":"done","key":"…","row":…,"id":"…"}` and a newline, for a letter id that is a
/// plain number (any other id goes through serde, which escapes it).
pub fn done(out: &mut Vec<u8>, key: &Key, row: usize, id: u64) {
    out.extend_from_slice(br#"{"status":"done","key":""#);
    key_text(out, key);
    out.extend_from_slice(br#"","row":"#);
    decimal(out, row as u64);
    out.extend_from_slice(br#","id":""#);
    decimal(out, id);
    out.extend_from_slice(b"\"}\n");
}

/// A key as its `Display` prints it: `e` and 16 hex digits, or `r`, 16 hex digits, `-` and
/// the occurrence.
fn key_text(out: &mut Vec<u8>, key: &Key) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let occurrence = key.occurrence();
    out.push(if occurrence == 0 { b'e' } else { b'r' });
    let hash = key.hash();
    for nibble in (0..16).rev() {
        out.push(HEX[((hash >> (nibble * 4)) & 0xf) as usize]);
    }
    if occurrence != 0 {
        out.push(b'-');
        decimal(out, u64::from(occurrence));
    }
}

fn decimal(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// Whether `id` is a letter id kept as a number: decimal digits that print back as
/// themselves (no sign, no leading zero), within `u64`.
pub fn plain_number(id: &str) -> Option<u64> {
    let canonical = !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_digit())
        && (id == "0" || !id.starts_with('0'));
    canonical.then(|| id.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_numbers_are_written_as_display_prints_them() {
        for text in [
            "e0123456789abcdef",
            "r00000000000000ab-1",
            "rffffffffffffffff-4294967295",
        ] {
            let key = Key::parse(text).unwrap_or_else(|| panic!("{text}"));
            let mut out = Vec::new();
            key_text(&mut out, &key);
            assert_eq!(out, key.to_string().as_bytes());
        }
        for n in [0, 7, 10, 1_234_567_890, u64::MAX] {
            let mut out = Vec::new();
            decimal(&mut out, n);
            assert_eq!(out, n.to_string().as_bytes());
        }
    }

    #[test]
    fn only_canonical_numbers_are_plain() {
        assert_eq!(plain_number("0"), Some(0));
        assert_eq!(plain_number("12345"), Some(12345));
        assert_eq!(plain_number(&u64::MAX.to_string()), Some(u64::MAX));
        for text in [
            "",
            "007",
            "+5",
            "-5",
            "1e3",
            " 5",
            "18446744073709551616",
            "id-x",
        ] {
            assert_eq!(plain_number(text), None, "{text:?}");
        }
    }
}
