//! The User-Agent grammar of [RFC 2616, section 14.43], the rule Microsoft's partner guide
//! names, for the values it allows and [RFC 9110] does not; and their RFC 9110 form.
//!
//! ```text
//! User-Agent      = 1*( product | comment )       ; with the implied LWS of section 2.1
//! product         = token ["/" product-version]
//! product-version = token
//! comment         = "(" *( ctext | quoted-pair | comment ) ")"
//! ctext           = <any TEXT excluding "(" and ")">
//! quoted-pair     = "\" CHAR
//! ```
//!
//! Implied LWS is read as optional SP or HTAB between tokens, `/` and comments; no CRLF folding
//! inside a field value, and no white space before the first element or after the last. A `\`
//! in a comment followed by an ASCII byte starts a quoted-pair, as every reader of RFC 2616 and
//! its successors takes it; followed by obs-text (TEXT, but not CHAR), it is text.
//!
//! Every RFC 9110 User-Agent is also an RFC 2616 one (see the [grammar](crate::grammar) module).
//! RFC 2616 allows more: elements that touch (`a/1(b)(c)d/2`), white space around a `/`
//! (`foo / 1.0`), a comment first (`(Android)(10)`), and a quoted control byte. Of these, all
//! but the last become RFC 9110 values by changing white space alone: one space between
//! elements, none around a `/`. That is what [`elements`] walks, for the prepend merge.
//!
//! Like the RFC 9110 checker: one pass, iterative (comment nesting is a counter), linear, no
//! allocation, and `const`, so that the grammar's `const` entry points can ask it.
//!
//! [RFC 2616, section 14.43]: https://www.rfc-editor.org/rfc/rfc2616#section-14.43
//! [RFC 9110]: https://www.rfc-editor.org/rfc/rfc9110#section-10.1.5

use crate::bytes::{is_control, run_end, CTEXT, TCHAR, WHITE};

/// One element of an RFC 2616 User-Agent.
///
/// A comment is `value[start..end]`. A product's name is `value[start..name_end]`; when
/// `name_end < end`, its version is `value[version_start..end]`, with the `/` and any white
/// space around it between the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Element {
    pub(crate) start: usize,
    pub(crate) name_end: usize,
    pub(crate) version_start: usize,
    pub(crate) end: usize,
    pub(crate) is_comment: bool,
}

impl Element {
    /// The element's name, for a product; the whole comment for a comment.
    pub(crate) fn name<'v>(&self, value: &'v [u8]) -> &'v [u8] {
        value.get(self.start..self.name_end).unwrap_or_default()
    }

    /// The product's version, if it has one.
    pub(crate) fn version<'v>(&self, value: &'v [u8]) -> Option<&'v [u8]> {
        if self.name_end < self.end {
            value.get(self.version_start..self.end)
        } else {
            None
        }
    }
}

/// Whether `value` is a valid User-Agent under RFC 2616, section 14.43.
pub(crate) const fn is_valid(value: &[u8]) -> bool {
    if value.is_empty() {
        return false;
    }
    let mut at = 0;
    loop {
        let end = match element_at(value, at) {
            Some(element) => element.end,
            None => return false,
        };
        at = run_end(value, end, WHITE);
        if at == value.len() {
            // White space may stand between elements, not after the last one.
            return at == end;
        }
    }
}

/// The elements of a value already known to be valid under RFC 2616, in order.
pub(crate) fn elements(value: &[u8]) -> impl Iterator<Item = Element> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        at = run_end(value, at, WHITE);
        let element = element_at(value, at)?;
        at = element.end;
        Some(element)
    })
}

/// The element that starts exactly at `start`, or `None` when none does.
const fn element_at(value: &[u8], start: usize) -> Option<Element> {
    if start >= value.len() {
        return None;
    }
    if value[start] == b'(' {
        let end = match comment_end(value, start) {
            Some(end) => end,
            None => return None,
        };
        return Some(Element {
            start,
            name_end: end,
            version_start: end,
            end,
            is_comment: true,
        });
    }
    let name_end = run_end(value, start, TCHAR);
    if name_end == start {
        return None;
    }
    let product = Element {
        start,
        name_end,
        version_start: name_end,
        end: name_end,
        is_comment: false,
    };
    // Implied white space may stand on either side of the '/'.
    let slash = run_end(value, name_end, WHITE);
    if slash == value.len() || value[slash] != b'/' {
        return Some(product);
    }
    let version_start = run_end(value, slash + 1, WHITE);
    let end = run_end(value, version_start, TCHAR);
    if end == version_start {
        return None;
    }
    Some(Element {
        version_start,
        end,
        ..product
    })
}

/// The index just after the `)` that closes the comment opening at `open`, or `None` when the
/// comment is not a valid RFC 2616 one.
const fn comment_end(value: &[u8], open: usize) -> Option<usize> {
    let len = value.len();
    let mut depth: usize = 1;
    let mut i = open + 1;
    loop {
        // RFC 9110's ctext is RFC 2616's without `\`, which is handled below.
        i = run_end(value, i, CTEXT);
        if i == len {
            return None;
        }
        match value[i] {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            // quoted-pair = "\" CHAR: any ASCII byte, control bytes included.
            b'\\' if i + 1 < len && value[i + 1] < 0x80 => i += 1,
            // Before obs-text or at the end, the backslash is text.
            b'\\' => {}
            b if is_control(b) => return None,
            // Every other byte is ctext, which `run_end` has passed.
            _ => {}
        }
        i += 1;
    }
}

/// Whether `value` holds a control byte (other than HTAB); an RFC 2616 value that does quotes
/// it in a comment, and white space alone cannot make it an RFC 9110 value.
pub(crate) fn has_control_byte(value: &[u8]) -> bool {
    value.iter().any(|&b| is_control(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(value: &[u8]) -> Vec<(&[u8], Option<&[u8]>)> {
        elements(value)
            .map(|e| (e.name(value), e.version(value)))
            .collect()
    }

    #[test]
    fn values_of_the_issue_are_rfc2616_values() {
        for value in [
            &b"Mozilla/5.0(Windows NT 10.0)"[..],
            b"foo / 1.0",
            b"a/1(b)(c)d/2",
            b"(Android)(10)(Samsung GT-I8530)",
            b"a (b\\\x01)",
            b"a (\\\xff)",
            b"curl/8.5.0",
        ] {
            assert!(is_valid(value), "{value:?}");
        }
        for value in [
            &b""[..],
            b" a",
            b"a ",
            b"a/",
            b"a /",
            b"a/ (b)",
            b"a/1/2",
            b"a (b",
            b"a (b\\)",
            b"a)",
            b"a,b",
            b"a (\x01)",
            b"a\r\n b",
        ] {
            assert!(!is_valid(value), "{value:?}");
        }
    }

    #[test]
    fn elements_split_products_and_comments_without_the_white_space() {
        assert_eq!(
            parts(b"a/1(b)(c)d/2"),
            [
                (&b"a"[..], Some(&b"1"[..])),
                (b"(b)", None),
                (b"(c)", None),
                (b"d", Some(b"2")),
            ]
        );
        assert_eq!(
            parts(b"foo \t/ 1.0 bar (x (y) \\) z)"),
            [
                (&b"foo"[..], Some(&b"1.0"[..])),
                (b"bar", None),
                (b"(x (y) \\) z)", None),
            ]
        );
    }
}
