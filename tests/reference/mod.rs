//! A reference for the User-Agent grammar and the partner rules, written straight from the ABNF
//! of RFC 9110: one byte at a time, one state at a time, no tables. Deliberately simple, and
//! independent of the crate, so that the property tests and the fuzz targets can hold the
//! crate's answers against it.

#![allow(dead_code)]

pub fn is_tchar(b: u8) -> bool {
    matches!(b,
        b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' |
        b'^' | b'_' | b'`' | b'|' | b'~' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z')
}

pub fn is_white(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn is_ctext(b: u8) -> bool {
    matches!(b, b'\t' | b' ' | 0x21..=0x27 | 0x2A..=0x5B | 0x5D..=0x7E | 0x80..=0xFF)
}

fn is_quotable(b: u8) -> bool {
    matches!(b, b'\t' | b' ' | 0x21..=0x7E | 0x80..=0xFF)
}

#[derive(Clone, Copy)]
enum State {
    Start,
    Name,
    Slash,
    Version,
    White,
    Comment { depth: usize, escaped: bool },
    AfterComment,
}

/// `Ok` for a valid User-Agent, else the offset where no continuation can make it valid (the
/// length when the value ends too soon).
pub fn reference(value: &[u8]) -> Result<(), usize> {
    let mut state = State::Start;
    for (i, &b) in value.iter().enumerate() {
        state = match state {
            State::Start if is_tchar(b) => State::Name,
            State::Name if is_tchar(b) => State::Name,
            State::Name if b == b'/' => State::Slash,
            State::Slash | State::Version if is_tchar(b) => State::Version,
            State::Name | State::Version | State::AfterComment if is_white(b) => State::White,
            State::White if is_white(b) => State::White,
            State::White if is_tchar(b) => State::Name,
            State::White if b == b'(' => State::Comment {
                depth: 1,
                escaped: false,
            },
            State::Comment {
                depth,
                escaped: true,
            } if is_quotable(b) => State::Comment {
                depth,
                escaped: false,
            },
            State::Comment {
                depth,
                escaped: false,
            } => match b {
                b'\\' => State::Comment {
                    depth,
                    escaped: true,
                },
                b'(' => State::Comment {
                    depth: depth + 1,
                    escaped: false,
                },
                b')' if depth == 1 => State::AfterComment,
                b')' => State::Comment {
                    depth: depth - 1,
                    escaped: false,
                },
                _ if is_ctext(b) => state,
                _ => return Err(i),
            },
            _ => return Err(i),
        };
    }
    match state {
        State::Name | State::Version | State::AfterComment => Ok(()),
        _ => Err(value.len()),
    }
}

/// The reference partner check: `Some((company, product, version))` for a partner value.
pub fn reference_partner(value: &[u8]) -> Option<(String, String, String)> {
    reference(value).ok()?;
    let first = value.split(|&b| is_white(b)).next()?;
    let first = std::str::from_utf8(first).ok()?;
    let (name, version) = first.split_once('/')?;
    let rest = name.strip_prefix("MdePartner-")?;
    let (company, product) = rest.split_once('-')?;
    if company.is_empty() || product.is_empty() {
        return None;
    }
    Some((company.into(), product.into(), version.into()))
}

/// The products of a valid value, in order, comments left out: read byte by byte, counting
/// parentheses.
pub fn products(value: &[u8]) -> Vec<&[u8]> {
    let mut products = Vec::new();
    let (mut depth, mut escaped, mut start) = (0usize, false, None);
    for (i, &b) in value.iter().enumerate() {
        if depth > 0 {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'(') => depth += 1,
                (false, b')') => depth -= 1,
                _ => {}
            }
        } else if b == b'(' {
            depth = 1;
        } else if is_white(b) {
            if let Some(s) = start.take() {
                products.push(&value[s..i]);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        products.push(&value[s..]);
    }
    products
}

/// Whether a product names itself a partner product: `MdePartner-` or the legacy
/// `MdatpPartner-`, in any letter case.
pub fn names_a_partner(product: &[u8]) -> bool {
    let lower = product.to_ascii_lowercase();
    lower.starts_with(b"mdepartner-") || lower.starts_with(b"mdatppartner-")
}

#[derive(Clone, Copy)]
enum State2616 {
    Start,
    Name,
    /// White space after a name: a '/' may still follow.
    NameWhite,
    /// After a '/', and any white space after it.
    Slash,
    Version,
    AfterComment,
    White,
    Comment {
        depth: usize,
        escaped: bool,
    },
}

/// Whether `value` is a User-Agent under RFC 2616, section 14.43, read from its ABNF the
/// simplest way:
///
/// ```text
/// User-Agent  = 1*( product | comment )
/// product     = token ["/" product-version]
/// comment     = "(" *( ctext | quoted-pair | comment ) ")"
/// ctext       = <any TEXT excluding "(" and ")">
/// quoted-pair = "\" CHAR
/// ```
///
/// Implied LWS: optional SP or HTAB between tokens, '/' and comments; no CRLF folding; no white
/// space first or last. CTLs (0-31, 127) only as HTAB or after a `\`; a `\` takes the byte
/// after it, whatever it is (CHAR, or obs-text, which is ctext anyway).
pub fn reference_rfc2616(value: &[u8]) -> bool {
    let is_ctl = |b: u8| b < 32 || b == 127;
    let mut state = State2616::Start;
    for &b in value {
        state = match (state, b) {
            (
                State2616::Comment {
                    depth,
                    escaped: true,
                },
                _,
            ) => State2616::Comment {
                depth,
                escaped: false,
            },
            (State2616::Comment { depth, .. }, b'\\') => State2616::Comment {
                depth,
                escaped: true,
            },
            (State2616::Comment { depth, .. }, b'(') => State2616::Comment {
                depth: depth + 1,
                escaped: false,
            },
            (State2616::Comment { depth: 1, .. }, b')') => State2616::AfterComment,
            (State2616::Comment { depth, .. }, b')') => State2616::Comment {
                depth: depth - 1,
                escaped: false,
            },
            (State2616::Comment { .. }, b) if is_ctl(b) && b != b'\t' => return false,
            (State2616::Comment { .. }, _) => state,
            (State2616::Name, b'/') | (State2616::NameWhite, b'/') => State2616::Slash,
            (State2616::Slash, b) if is_white(b) => State2616::Slash,
            (State2616::Slash, b) if is_tchar(b) => State2616::Version,
            (State2616::Slash, _) => return false,
            (State2616::Name, b) if is_tchar(b) => State2616::Name,
            (State2616::Version, b) if is_tchar(b) => State2616::Version,
            (State2616::Name | State2616::NameWhite, b) if is_white(b) => State2616::NameWhite,
            (State2616::Version | State2616::AfterComment | State2616::White, b) if is_white(b) => {
                State2616::White
            }
            (State2616::Start, b) if is_white(b) => return false,
            (_, b) if is_tchar(b) => State2616::Name,
            (_, b'(') => State2616::Comment {
                depth: 1,
                escaped: false,
            },
            _ => return false,
        };
    }
    matches!(
        state,
        State2616::Name | State2616::Version | State2616::AfterComment
    )
}

/// `value` without any white space, inside comments included.
pub fn without_white(value: &[u8]) -> Vec<u8> {
    value.iter().copied().filter(|&b| !is_white(b)).collect()
}

/// The elements of a valid RFC 2616 value, in order: each comment as it stands, each product
/// without white space around its '/'. Joined by single spaces, they are the value in RFC 9110
/// form.
pub fn elements_rfc2616(value: &[u8]) -> Vec<Vec<u8>> {
    let mut elements: Vec<Vec<u8>> = Vec::new();
    let (mut depth, mut escaped, mut in_token, mut after_slash) = (0usize, false, false, false);
    for &b in value {
        if depth > 0 {
            elements.last_mut().unwrap().push(b);
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'(') => depth += 1,
                (false, b')') => depth -= 1,
                _ => {}
            }
        } else if b == b'(' {
            elements.push(vec![b]);
            depth = 1;
            in_token = false;
        } else if b == b'/' {
            elements.last_mut().unwrap().push(b);
            after_slash = true;
            in_token = false;
        } else if is_white(b) {
            in_token = false;
        } else if in_token || after_slash {
            elements.last_mut().unwrap().push(b);
            in_token = true;
            after_slash = false;
        } else {
            elements.push(vec![b]);
            in_token = true;
        }
    }
    elements
}
