//! Byte classes of the User-Agent grammar, built from the ABNF's character sets, and the
//! partner prefixes. A leaf: every other module reads it, it reads none of them.

/// Class bit: the byte is a `tchar`.
pub(crate) const TCHAR: u8 = 1;
/// Class bit: the byte is `ctext`.
pub(crate) const CTEXT: u8 = 2;
/// Class bit: the byte may follow a backslash in a `quoted-pair`.
pub(crate) const QUOTABLE: u8 = 4;
/// Class bit: the byte is part of `RWS`.
pub(crate) const WHITE: u8 = 8;

/// The classes of `byte`, each written as the ABNF of RFC 9110 writes it:
///
/// ```text
/// tchar       = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
///               "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
/// ctext       = HTAB / SP / %x21-27 / %x2A-5B / %x5D-7E / obs-text
/// quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
/// RWS         = 1*( SP / HTAB )
/// obs-text    = %x80-FF
/// ```
const fn classes(byte: u8) -> u8 {
    let mut class = 0;
    if matches!(byte,
        b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' |
        b'^' | b'_' | b'`' | b'|' | b'~' | b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z')
    {
        class |= TCHAR;
    }
    if matches!(byte, b'\t' | b' ' | 0x21..=0x27 | 0x2A..=0x5B | 0x5D..=0x7E | 0x80..=0xFF) {
        class |= CTEXT;
    }
    if matches!(byte, b'\t' | b' ' | 0x21..=0x7E | 0x80..=0xFF) {
        class |= QUOTABLE;
    }
    if matches!(byte, b' ' | b'\t') {
        class |= WHITE;
    }
    class
}

/// The classes of every byte; a control byte other than HTAB is in none.
pub(crate) static CLASS: [u8; 256] = {
    let mut table = [0; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = classes(byte as u8);
        byte += 1;
    }
    table
};

/// Whether `byte` is a `tchar`: a letter, a digit, or one of ``!#$%&'*+-.^_`|~``.
#[inline]
pub(crate) const fn is_tchar(byte: u8) -> bool {
    CLASS[byte as usize] & TCHAR != 0
}

/// Whether `byte` is white space (`SP / HTAB`).
#[inline]
pub(crate) const fn is_white(byte: u8) -> bool {
    CLASS[byte as usize] & WHITE != 0
}

/// Whether `byte` is `ctext`.
#[inline]
pub(crate) const fn is_ctext(byte: u8) -> bool {
    CLASS[byte as usize] & CTEXT != 0
}

/// Whether `byte` may follow a backslash in a `quoted-pair`.
#[inline]
pub(crate) const fn is_quotable(byte: u8) -> bool {
    CLASS[byte as usize] & QUOTABLE != 0
}

/// Whether `byte` is a control byte that no header value may hold (every CTL but HTAB).
#[inline]
pub(crate) const fn is_control(byte: u8) -> bool {
    CLASS[byte as usize] == 0
}

/// Index of the first byte at or after `i` whose class lacks `bit`, or `bytes.len()`.
///
/// Runs of tokens and comment text make up most of a value, so this is the hot loop: eight
/// bytes a step, one branch per step, then byte by byte to the end of the run.
#[inline(always)]
pub(crate) const fn run_end(bytes: &[u8], mut i: usize, bit: u8) -> usize {
    // Runs of one byte, between parentheses or in short versions, end here.
    if i < bytes.len() && CLASS[bytes[i] as usize] & bit == 0 {
        return i;
    }
    while i + 8 <= bytes.len() {
        let all = CLASS[bytes[i] as usize]
            & CLASS[bytes[i + 1] as usize]
            & CLASS[bytes[i + 2] as usize]
            & CLASS[bytes[i + 3] as usize]
            & CLASS[bytes[i + 4] as usize]
            & CLASS[bytes[i + 5] as usize]
            & CLASS[bytes[i + 6] as usize]
            & CLASS[bytes[i + 7] as usize];
        if all & bit == 0 {
            break;
        }
        i += 8;
    }
    while i < bytes.len() && CLASS[bytes[i] as usize] & bit != 0 {
        i += 1;
    }
    i
}

/// The offset of the first space or tab in `value`, or its length: eight bytes a step.
pub(crate) const fn first_white(value: &[u8]) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const SPACES: u64 = u64::from_ne_bytes([b' '; 8]);
    const TABS: u64 = u64::from_ne_bytes([b'\t'; 8]);
    /// Whether some byte of `word` is zero.
    const fn has_zero(word: u64) -> bool {
        word.wrapping_sub(ONES) & !word & HIGHS != 0
    }
    let mut i = 0;
    let mut rest = value;
    while let Some((chunk, tail)) = rest.split_first_chunk::<8>() {
        let word = u64::from_ne_bytes(*chunk);
        if has_zero(word ^ SPACES) || has_zero(word ^ TABS) {
            break;
        }
        i += 8;
        rest = tail;
    }
    while i < value.len() && !is_white(value[i]) {
        i += 1;
    }
    i
}

/// Whether `value[..len]` starts with `prefix`, ignoring ASCII case.
pub(crate) const fn starts_with_ignore_case(value: &[u8], len: usize, prefix: &[u8]) -> bool {
    if len < prefix.len() || value.len() < prefix.len() {
        return false;
    }
    let mut i = 0;
    while i < prefix.len() {
        if !value[i].eq_ignore_ascii_case(&prefix[i]) {
            return false;
        }
        i += 1;
    }
    true
}

/// The prefix every partner User-Agent starts with, exactly as Microsoft spells it.
///
/// ```
/// use mde_partner_ua::{PartnerUserAgent, PREFIX};
///
/// let ua = PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");
/// assert!(ua.as_str().starts_with(PREFIX));
/// ```
pub const PREFIX: &str = "MdePartner-";

/// The prefix of Microsoft's earlier partner guide, `MdatpPartner-`, which today's guide
/// replaces with [`PREFIX`]. A value that starts with it is not a partner User-Agent.
///
/// ```
/// use mde_partner_ua::{classify, Classification, LEGACY_PREFIX};
///
/// let value = format!("{LEGACY_PREFIX}Contoso-ContosoCognito/1.0.0");
/// assert!(matches!(classify(value.as_bytes()), Classification::Rfc9110 { .. }));
/// ```
pub const LEGACY_PREFIX: &str = "MdatpPartner-";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_classes_partition_the_bytes_as_the_abnf_does() {
        for byte in 0..=255u8 {
            let class = CLASS[usize::from(byte)];
            // tchar is VCHAR, so ctext or a delimiter, and always quotable.
            if class & TCHAR != 0 {
                assert!(class & QUOTABLE != 0 && class & CTEXT != 0, "{byte:#04x}");
            }
            // Only `(`, `)` and `\` are quotable VCHAR outside ctext.
            let quotable_not_ctext = class & QUOTABLE != 0 && class & CTEXT == 0;
            assert_eq!(
                quotable_not_ctext,
                matches!(byte, b'(' | b')' | b'\\'),
                "{byte:#04x}"
            );
            assert_eq!(
                is_control(byte),
                byte < 0x20 && byte != b'\t' || byte == 0x7f
            );
        }
    }
}
