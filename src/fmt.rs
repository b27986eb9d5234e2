//! Showing bytes of a caller's value in messages, `Debug` output and log fields: bounded, and
//! quoted so that nothing in the value can pass for the text around it.

use std::fmt;

/// How many bytes of a value a message, a `Debug` output or a log field shows at most.
pub(crate) const SHOWN: usize = 200;

/// Writes `number` in decimal: cheaper than the formatting machinery, for the offsets of many
/// messages.
pub(crate) fn write_number(f: &mut fmt::Formatter<'_>, number: usize) -> fmt::Result {
    // Offsets are mostly below 100: one or two digits, written as text without the formatting
    // machinery.
    const DIGITS: &str = "0123456789";
    if number < 10 {
        return f.write_str(&DIGITS[number..=number]);
    }
    if number < 100 {
        f.write_str(&DIGITS[number / 10..=number / 10])?;
        return f.write_str(&DIGITS[number % 10..=number % 10]);
    }
    fmt::Display::fmt(&number, f)
}

/// Shows a byte as a character where it is printable, always with its hex code.
pub(crate) struct DescribeByte(pub(crate) u8);

impl fmt::Display for DescribeByte {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.0;
        let name = match b {
            b' ' => "a space",
            b'\t' => "a tab",
            b'\r' => "a carriage return",
            b'\n' => "a line feed",
            0 => "a NUL byte",
            0x7f => "DEL",
            0x80..=0xff => "a non-ASCII byte",
            0x01..=0x1f => "a control byte",
            _ => return write!(f, "'{}' (0x{:02X})", b as char, b),
        };
        write!(f, "{name} (0x{b:02X})")
    }
}

/// Shows bytes in double quotes, as `Debug` shows a string: printable ASCII and spaces as they
/// are, `"` and `\` escaped with a backslash, anything else as `\xNN`. At most [`SHOWN`] bytes;
/// a longer value ends in `..."` followed by its length.
///
/// So the text never holds a control byte, a tab or a line break, the end of the quoted text
/// is always the closing quote, and `\xFF` written by the caller (`\\xFF` here) cannot pass for
/// the byte 0xFF.
#[derive(Clone, Copy)]
pub(crate) struct Quoted<'a>(pub(crate) &'a [u8]);

impl Quoted<'_> {
    /// Writes `bytes` escaped, without quotes or bound.
    pub(crate) fn escape(f: &mut fmt::Formatter<'_>, bytes: &[u8]) -> fmt::Result {
        let plain = |b: &u8| (b.is_ascii_graphic() || *b == b' ') && *b != b'"' && *b != b'\\';
        if bytes.iter().all(plain) {
            // Printable ASCII, so text: the usual case, in one piece.
            return f.write_str(std::str::from_utf8(bytes).unwrap_or_default());
        }
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let plain = (b.is_ascii_graphic() || b == b' ') && b != b'"' && b != b'\\';
            if plain {
                continue;
            }
            // Runs of plain bytes are ASCII, so they are text.
            f.write_str(std::str::from_utf8(&bytes[start..i]).unwrap_or_default())?;
            match b {
                b'"' => f.write_str("\\\"")?,
                b'\\' => f.write_str("\\\\")?,
                _ => write!(f, "\\x{b:02X}")?,
            }
            start = i + 1;
        }
        f.write_str(std::str::from_utf8(&bytes[start..]).unwrap_or_default())
    }
}

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = self.0.get(..SHOWN).unwrap_or(self.0);
        f.write_str("\"")?;
        Quoted::escape(f, shown)?;
        if shown.len() < self.0.len() {
            write!(f, "...\" ({} bytes)", self.0.len())
        } else {
            f.write_str("\"")
        }
    }
}

impl fmt::Debug for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_values_are_bounded_escaped_and_unambiguous() {
        assert_eq!(Quoted(b"curl/8 (x)").to_string(), r#""curl/8 (x)""#);
        assert_eq!(Quoted(b"a\"b\\c").to_string(), r#""a\"b\\c""#);
        assert_eq!(Quoted(b"(\xff)").to_string(), r#""(\xFF)""#);
        assert_eq!(Quoted(b"(\\xFF)").to_string(), r#""(\\xFF)""#);
        assert_eq!(Quoted(b"\r\n\t").to_string(), r#""\x0D\x0A\x09""#);
        let long = vec![b'x'; 1 << 20];
        let shown = Quoted(&long).to_string();
        assert_eq!(shown.len(), SHOWN + r#""..." (1048576 bytes)"#.len());
        assert!(shown.ends_with(r#"..." (1048576 bytes)"#), "{shown}");
        let obs = vec![0xffu8; 1 << 20];
        assert!(Quoted(&obs).to_string().len() < 4 * SHOWN + 32);
    }
}
