//! The User-Agent grammar of [RFC 9110, section 10.1.5], checked exactly, on bytes.
//!
//! ```text
//! User-Agent      = product *( RWS ( product / comment ) )
//! product         = token [ "/" product-version ]
//! product-version = token
//! comment         = "(" *( ctext / quoted-pair / comment ) ")"
//! ctext           = HTAB / SP / %x21-27 / %x2A-5B / %x5D-7E / obs-text
//! quoted-pair     = "\" ( HTAB / SP / VCHAR / obs-text )
//! obs-text        = %x80-FF
//! RWS             = 1*( SP / HTAB )
//! token           = 1*tchar
//! tchar           = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
//!                   "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
//! ```
//!
//! Examples of valid values: `MdePartner-Contoso-ContosoCognito/1.0.0`,
//! `Mozilla/5.0 (X11; Linux x86_64)`, `curl/8.5.0`, `a (b (c) \) d)`.
//!
//! # RFC 2616
//!
//! Microsoft's partner guide names [RFC 2616, section 14.43], which RFC 9110 replaces. Its
//! grammar, beside RFC 9110's:
//!
//! ```text
//! RFC 9110, section 10.1.5                       RFC 2616, sections 14.43, 2.2 and 2.1
//! User-Agent  = product                          User-Agent  = 1*( product | comment )
//!               *( RWS ( product / comment ) )     ; implied LWS between words and separators
//! product     = token [ "/" product-version ]    product     = token ["/" product-version]
//! comment     = "(" *( ctext / quoted-pair /     comment     = "(" *( ctext | quoted-pair |
//!                      comment ) ")"                                  comment ) ")"
//! ctext       = HTAB / SP / %x21-27 / %x2A-5B /  ctext       = <any TEXT excluding "(" and ")">
//!               %x5D-7E / obs-text               TEXT        = <any OCTET except CTLs,
//!                                                               but including LWS>
//! quoted-pair = "\" ( HTAB / SP / VCHAR /        quoted-pair = "\" CHAR
//!                     obs-text )
//! RWS         = 1*( SP / HTAB )                  LWS         = [CRLF] 1*( SP | HT )
//! tchar       = "!" / "#" / "$" / "%" / "&" /    token       = 1*<any CHAR except CTLs or
//!               "'" / "*" / "+" / "-" / "." /                   separators>
//!               "^" / "_" / "`" / "|" / "~" /    separators  = "(" | ")" | "<" | ">" | "@" |
//!               DIGIT / ALPHA                                   "," | ";" | ":" | "\" | <">
//!                                                               | "/" | "[" | "]" | "?" |
//!                                                               "=" | "{" | "}" | SP | HT
//! ```
//!
//! Every value this crate accepts, and so every value it sends, is valid under both:
//!
//! - `tchar` is exactly RFC 2616's token characters: the visible ASCII bytes that are not
//!   separators.
//! - RFC 9110 asks for a product first and `RWS` between elements; RFC 2616 allows any
//!   sequence of products and comments with optional white space between them, so a product
//!   first and white space between elements are among what it allows. `RWS` is RFC 2616's
//!   `LWS` without line folding, which no field value holds today.
//! - RFC 9110's `ctext` is within RFC 2616's: TEXT holds SP and HTAB as LWS, and obs-text, the
//!   octets 0x80 to 0xFF, as octets that are not CTLs.
//! - RFC 9110's `quoted-pair` of HTAB, SP or VCHAR is an RFC 2616 `quoted-pair`, a `\` and
//!   an ASCII byte; a `\` before obs-text is RFC 2616 `ctext`, as is the obs-text after it.
//! - Neither allows white space before the first element or after the last: a field value
//!   has none (RFC 9110, section 5.5; RFC 2616, section 4.2, whose field-content excludes
//!   leading and trailing LWS).
//!
//! The converse does not hold. RFC 2616's implied LWS (section 2.1) may stand between any two
//! words and separators, and need not: `Mozilla/5.0(Windows NT 10.0)`, `foo / 1.0` and
//! `a/1(b)(c)d/2` are RFC 2616 values, and so is `(Android)(10)`, which starts with a comment.
//! RFC 9110 refuses them, and so does this crate, whose rule is RFC 9110, the stricter one;
//! but the error says that the value is valid under RFC 2616 and what RFC 9110 needs instead
//! ([`SyntaxError::is_valid_rfc2616`]), and
//! [`PartnerUserAgentLayer::prepend`](crate::PartnerUserAgentLayer::prepend) keeps such a
//! caller value in RFC 9110 form, changing only its white space.
//!
//! RFC 2616 is read as its ABNF and section 2.1 say, with two choices where they leave room:
//! implied LWS is SP or HTAB, never a folded line; and a `\` in a comment followed by an ASCII
//! byte starts a `quoted-pair` (so `(a\)` is not closed), as RFC 7230 later made explicit,
//! while before obs-text, which is not CHAR, it is text. A `quoted-pair` may escape a control
//! byte under RFC 2616, but no header value holds one.
//!
//! Notes:
//!
//! - The value is taken exactly as given. A field value has no leading or trailing white space
//!   (RFC 9110, section 5.5), and CR, LF, NUL and the other control bytes are never part of one,
//!   so all of them make a value invalid here rather than being trimmed away.
//! - A valid value is read once, one table look-up per byte: comment nesting is counted in the
//!   table's states up to seven levels and by a counter beyond, never by recursion. An invalid
//!   value is read again by an exact scanner that says where and why (and, for the message, by
//!   an RFC 2616 check). Either way the check is linear in the length of the value and
//!   allocates nothing; values of any length and any nesting depth are accepted or refused
//!   without risk to the stack.
//! - Errors say at which byte the value went wrong, what was found there and what the grammar
//!   expected, see [`SyntaxError`].
//!
//! [RFC 9110, section 10.1.5]: https://www.rfc-editor.org/rfc/rfc9110#section-10.1.5
//! [RFC 2616, section 14.43]: https://www.rfc-editor.org/rfc/rfc2616#section-14.43

use std::fmt;

use crate::automaton::{self, Verdict};
use crate::bytes::{first_white, is_control, is_quotable, is_white, run_end, CTEXT, TCHAR};
use crate::fmt::{write_number, DescribeByte};
use crate::rfc2616;

/// Checks that `value` is a valid User-Agent field value.
///
/// # Examples
///
/// ```
/// use mde_partner_ua::grammar::{self, SyntaxErrorKind};
///
/// assert!(grammar::validate(b"MdePartner-Contoso-ContosoCognito/1.0.0 (Linux; x86_64)").is_ok());
///
/// let err = grammar::validate(b"Contoso/1.0 (Linux").unwrap_err();
/// assert_eq!(err.kind(), SyntaxErrorKind::UnclosedComment);
/// assert_eq!(err.comment_opened_at(), Some(12));
/// ```
pub const fn validate(value: &[u8]) -> Result<(), SyntaxError> {
    match automaton::verdict(value) {
        Verdict::Partner | Verdict::Valid => Ok(()),
        Verdict::Invalid => match exact_scan(value) {
            Ok(_) => Ok(()),
            Err(e) => Err(e.noting_rfc2616(value)),
        },
    }
}

/// Checks that `value` is a valid User-Agent field value and returns its first product.
///
/// # Examples
///
/// ```
/// use mde_partner_ua::grammar;
///
/// let first = grammar::first_product(b"Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101").unwrap();
/// assert_eq!(first.name(), "Mozilla");
/// assert_eq!(first.version(), Some("5.0"));
/// assert_eq!(first.to_string(), "Mozilla/5.0");
/// ```
pub fn first_product(value: &[u8]) -> Result<Product<'_>, SyntaxError> {
    let first = scan(value).map_err(|e| e.noting_rfc2616(value))?;
    Ok(first.product(value))
}

/// A product (`token [ "/" product-version ]`) found in a User-Agent.
///
/// # Examples
///
/// ```
/// use mde_partner_ua::grammar;
///
/// let product = grammar::first_product(b"curl/8.5.0").unwrap();
/// assert_eq!((product.name(), product.version()), ("curl", Some("8.5.0")));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Product<'a> {
    name: &'a str,
    version: Option<&'a str>,
}

impl<'a> Product<'a> {
    /// The product's name: the token before the `/`.
    ///
    /// ```
    /// # use mde_partner_ua::grammar;
    /// assert_eq!(grammar::first_product(b"hyper").unwrap().name(), "hyper");
    /// ```
    pub fn name(&self) -> &'a str {
        self.name
    }

    /// The product's version: the token after the `/`, if there is one.
    ///
    /// ```
    /// # use mde_partner_ua::grammar;
    /// assert_eq!(grammar::first_product(b"hyper").unwrap().version(), None);
    /// assert_eq!(grammar::first_product(b"hyper/1").unwrap().version(), Some("1"));
    /// ```
    pub fn version(&self) -> Option<&'a str> {
        self.version
    }
}

impl fmt::Display for Product<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)?;
        if let Some(version) = self.version {
            f.write_str("/")?;
            f.write_str(version)?;
        }
        Ok(())
    }
}

/// Where the first product of a valid value lies: `value[..name_end]` is its name, and when
/// `name_end < end`, `value[name_end + 1..end]` is its version.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FirstProduct {
    pub(crate) name_end: usize,
    pub(crate) end: usize,
}

impl FirstProduct {
    pub(crate) fn product(self, value: &[u8]) -> Product<'_> {
        let product = ascii(value.get(..self.end).unwrap_or_default());
        let name = product.get(..self.name_end).unwrap_or_default();
        let version = if self.name_end < self.end {
            product.get(self.name_end + 1..)
        } else {
            None
        };
        Product { name, version }
    }
}

/// Views bytes already checked to be tchar as text.
fn ascii(bytes: &[u8]) -> &str {
    // tchar bytes are ASCII, so this never takes the fallback.
    std::str::from_utf8(bytes).unwrap_or_default()
}

/// Checks `value` and returns the extent of its first product.
///
/// The automaton decides, at a few instructions per byte; a value it does not accept goes
/// through [`exact_scan`], which follows the grammar everywhere and says what is wrong.
pub(crate) const fn scan(value: &[u8]) -> Result<FirstProduct, SyntaxError> {
    match automaton::verdict(value) {
        Verdict::Partner | Verdict::Valid => Ok(first_product_of_valid(value)),
        Verdict::Invalid => exact_scan(value),
    }
}

/// The first product of a valid value: up to the first white space, its `/` the last one there.
pub(crate) const fn first_product_of_valid(value: &[u8]) -> FirstProduct {
    let end = first_white(value);
    let mut slash = end;
    while slash > 0 {
        slash -= 1;
        if value[slash] == b'/' {
            return FirstProduct {
                name_end: slash,
                end,
            };
        }
    }
    FirstProduct { name_end: end, end }
}

/// The grammar everywhere, in one pass, with the error where there is one. Returns the extent
/// of the first product.
pub(crate) const fn exact_scan(value: &[u8]) -> Result<FirstProduct, SyntaxError> {
    let len = value.len();
    if len == 0 {
        return Err(SyntaxError::new(SyntaxErrorKind::Empty, value, 0, 0));
    }
    let mut first = FirstProduct {
        name_end: 0,
        end: 0,
    };
    let mut i = 0;
    let mut element = 0;
    loop {
        // An element starts at `i < len`: a product, or a comment after the first element.
        let start = i;
        if value[i] == b'(' {
            if element == 0 {
                return Err(SyntaxError::new(SyntaxErrorKind::CommentFirst, value, 0, 0));
            }
            i = match comment_end(value, i) {
                Ok(end) => end,
                Err(e) => return Err(e),
            };
        } else {
            i = run_end(value, i, TCHAR);
            if i == start {
                let kind = if value[i] == b')' {
                    SyntaxErrorKind::UnmatchedParenthesis
                } else if element == 0 && is_white(value[i]) {
                    SyntaxErrorKind::LeadingWhitespace
                } else {
                    SyntaxErrorKind::ExpectedProduct
                };
                return Err(SyntaxError::new(kind, value, i, start));
            }
            let name_end = i;
            if i < len && value[i] == b'/' {
                i = run_end(value, i + 1, TCHAR);
                if i == name_end + 1 {
                    return Err(SyntaxError::new(
                        SyntaxErrorKind::MissingVersion,
                        value,
                        i,
                        start,
                    ));
                }
            }
            if element == 0 {
                first = FirstProduct { name_end, end: i };
            }
        }
        element += 1;
        if i == len {
            return Ok(first);
        }
        // Between elements: RWS, and then another element.
        if !is_white(value[i]) {
            let kind = if value[i] == b')' {
                SyntaxErrorKind::UnmatchedParenthesis
            } else if value[start] == b'(' {
                SyntaxErrorKind::MissingSpaceAfterComment
            } else if value[i] == b'(' {
                SyntaxErrorKind::MissingSpaceBeforeComment
            } else {
                SyntaxErrorKind::InvalidProductByte
            };
            return Err(SyntaxError::new(kind, value, i, start));
        }
        let white = i;
        while i < len && is_white(value[i]) {
            i += 1;
        }
        if i == len {
            return Err(SyntaxError::new(
                SyntaxErrorKind::TrailingWhitespace,
                value,
                white,
                white,
            ));
        }
    }
}

/// Scans the comment that opens at `open` and returns the index just after its closing `)`.
const fn comment_end(value: &[u8], open: usize) -> Result<usize, SyntaxError> {
    let len = value.len();
    let mut depth: usize = 1;
    let mut i = open + 1;
    loop {
        i = run_end(value, i, CTEXT);
        if i == len {
            return Err(
                SyntaxError::new(SyntaxErrorKind::UnclosedComment, value, len, open)
                    .with_depth(depth),
            );
        }
        match value[i] {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Ok(i + 1);
                }
            }
            b'\\' => {
                if i + 1 == len {
                    return Err(SyntaxError::new(
                        SyntaxErrorKind::DanglingBackslash,
                        value,
                        i,
                        open,
                    )
                    .with_depth(depth));
                }
                if !is_quotable(value[i + 1]) {
                    return Err(
                        SyntaxError::new(SyntaxErrorKind::ControlByte, value, i + 1, open)
                            .with_depth(depth),
                    );
                }
                i += 1;
            }
            // Every byte that is not ctext, `(`, `)` or `\` is a control byte.
            _ => {
                return Err(
                    SyntaxError::new(SyntaxErrorKind::ControlByte, value, i, open)
                        .with_depth(depth),
                )
            }
        }
        i += 1;
    }
}

/// Why a value is not a valid User-Agent.
///
/// # Examples
///
/// ```
/// use mde_partner_ua::grammar::{self, SyntaxErrorKind};
///
/// let err = grammar::validate(b"Contoso/1.0\r\nX-Injected: yes").unwrap_err();
/// assert_eq!(err.kind(), SyntaxErrorKind::ControlByte);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SyntaxErrorKind {
    /// The value is empty; a User-Agent has at least one product.
    Empty,
    /// The value starts with a space or tab.
    LeadingWhitespace,
    /// The value ends with a space or tab.
    TrailingWhitespace,
    /// A control byte (NUL, CR, LF, DEL, ...), which no header value may contain.
    ControlByte,
    /// The value starts with a comment; the first element must be a product.
    CommentFirst,
    /// A product was expected but the byte found cannot start one.
    ExpectedProduct,
    /// A `/` is not followed by a version token.
    MissingVersion,
    /// A byte that is neither part of the product nor a space follows a product.
    InvalidProductByte,
    /// A comment follows a product without a space between them.
    MissingSpaceBeforeComment,
    /// Something follows a comment without a space between them.
    MissingSpaceAfterComment,
    /// A `)` that closes no comment.
    UnmatchedParenthesis,
    /// A comment is still open at the end of the value.
    UnclosedComment,
    /// A comment ends in a `\` that escapes nothing.
    DanglingBackslash,
}

/// A value that does not follow the User-Agent grammar, with where and why.
///
/// The message names the byte offset, the byte found and what the grammar expected there.
///
/// # Examples
///
/// ```
/// use mde_partner_ua::grammar::{self, SyntaxErrorKind};
///
/// let err = grammar::validate(b"Contoso/1.0/beta").unwrap_err();
/// assert_eq!(err.kind(), SyntaxErrorKind::InvalidProductByte);
/// assert_eq!(err.offset(), 11);
/// assert_eq!(err.byte(), Some(b'/'));
/// assert!(err.to_string().starts_with("invalid User-Agent at byte 11: found '/' (0x2F)"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
pub struct SyntaxError {
    kind: SyntaxErrorKind,
    offset: usize,
    byte: Option<u8>,
    /// Where the element that went wrong started (the open parenthesis for a comment).
    element: usize,
    /// Parentheses open where the error was found; 0 outside comments.
    depth: usize,
    /// Whether the value is valid under RFC 2616, section 14.43.
    rfc2616: bool,
}

impl SyntaxError {
    const fn new(kind: SyntaxErrorKind, value: &[u8], offset: usize, element: usize) -> Self {
        let byte = if offset < value.len() {
            Some(value[offset])
        } else {
            None
        };
        // A control byte is the clearest thing to report, whatever rule it broke.
        let kind = match byte {
            Some(b) if is_control(b) => SyntaxErrorKind::ControlByte,
            _ => kind,
        };
        SyntaxError {
            kind,
            offset,
            byte,
            element,
            depth: 0,
            rfc2616: false,
        }
    }

    const fn with_depth(mut self, depth: usize) -> Self {
        self.depth = depth;
        self
    }

    /// Notes whether `value`, the value this error is about, is valid under RFC 2616, for the
    /// message. Done where an error leaves the crate, never on the way to a valid value.
    pub(crate) const fn noting_rfc2616(mut self, value: &[u8]) -> Self {
        self.rfc2616 = rfc2616::is_valid(value);
        self
    }

    /// Whether the value, though not valid under RFC 9110, is a valid User-Agent under
    /// [RFC 2616, section 14.43](https://www.rfc-editor.org/rfc/rfc2616#section-14.43), the
    /// rule Microsoft's partner guide names, whose implied white space lets elements touch
    /// and stand apart around a `/`, and lets a value start with a comment. The message then
    /// says so, and what RFC 9110 needs instead.
    ///
    /// ```
    /// # use mde_partner_ua::grammar;
    /// let err = grammar::validate(b"Mozilla/5.0(Windows NT 10.0)").unwrap_err();
    /// assert!(err.is_valid_rfc2616());
    /// assert!(err.to_string().contains("RFC 9110 needs a space before the comment at byte 11"));
    /// assert!(!grammar::validate(b"Mozilla/5.0 (Windows").unwrap_err().is_valid_rfc2616());
    /// ```
    pub const fn is_valid_rfc2616(&self) -> bool {
        self.rfc2616
    }

    /// What rule the value broke.
    ///
    /// ```
    /// # use mde_partner_ua::grammar::{self, SyntaxErrorKind};
    /// assert_eq!(grammar::validate(b"").unwrap_err().kind(), SyntaxErrorKind::Empty);
    /// ```
    pub const fn kind(&self) -> SyntaxErrorKind {
        self.kind
    }

    /// The offset of the byte where the value went wrong; the length of the value when the
    /// value ended too soon.
    ///
    /// ```
    /// # use mde_partner_ua::grammar;
    /// assert_eq!(grammar::validate(b"curl/").unwrap_err().offset(), 5);
    /// ```
    pub const fn offset(&self) -> usize {
        self.offset
    }

    /// The byte found at [`offset`](Self::offset), or `None` when the value ended there.
    ///
    /// ```
    /// # use mde_partner_ua::grammar;
    /// assert_eq!(grammar::validate(b"curl/").unwrap_err().byte(), None);
    /// assert_eq!(grammar::validate(b"curl,").unwrap_err().byte(), Some(b','));
    /// ```
    pub const fn byte(&self) -> Option<u8> {
        self.byte
    }

    /// For an error inside a comment, the offset of the `(` that opened the outermost comment.
    ///
    /// ```
    /// # use mde_partner_ua::grammar;
    /// let err = grammar::validate(b"a (b (c)").unwrap_err();
    /// assert_eq!(err.comment_opened_at(), Some(2));
    /// assert_eq!(grammar::validate(b"a,").unwrap_err().comment_opened_at(), None);
    /// ```
    pub const fn comment_opened_at(&self) -> Option<usize> {
        if self.depth > 0 {
            Some(self.element)
        } else {
            None
        }
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid User-Agent at byte ")?;
        write_number(f, self.offset)?;
        f.write_str(": found ")?;
        match self.byte {
            Some(b) => fmt::Display::fmt(&DescribeByte(b), f)?,
            None => f.write_str("the end of the value")?,
        }
        f.write_str("; ")?;
        self.fmt_rule(f)?;
        let joined_fields = matches!(
            self.kind,
            SyntaxErrorKind::ExpectedProduct | SyntaxErrorKind::InvalidProductByte
        ) && self.byte == Some(b',');
        if joined_fields {
            f.write_str(
                "; a comma usually means that two User-Agent fields were joined into one: send \
                 a single field",
            )?;
        }
        if self.rfc2616 {
            self.fmt_rfc2616(f)?;
        }
        Ok(())
    }
}

impl SyntaxError {
    /// For a value valid under RFC 2616: that it is, and what RFC 9110 needs instead. The first
    /// place where RFC 9110 refuses such a value is the first place where the two differ, so
    /// the kind says which difference it is.
    fn fmt_rfc2616(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("; the value is valid under RFC 2616 (section 14.43), ")?;
        let implied = "whose implied white space allows it; RFC 9110 needs";
        match self.kind {
            SyntaxErrorKind::CommentFirst => f.write_str(
                "where a User-Agent may start with a comment; RFC 9110 needs a product before \
                 the first comment",
            ),
            SyntaxErrorKind::MissingSpaceBeforeComment => write!(
                f,
                "{implied} a space before the comment at byte {}",
                self.offset
            ),
            SyntaxErrorKind::MissingSpaceAfterComment => write!(
                f,
                "{implied} a space after the comment that opened at byte {}, before byte {}",
                self.element, self.offset
            ),
            // A space before the '/', which stands where a product was expected.
            SyntaxErrorKind::ExpectedProduct => write!(
                f,
                "{implied} no space around the '/' at byte {}",
                self.offset
            ),
            // A space after the '/', which stands where the version was expected.
            SyntaxErrorKind::MissingVersion => write!(
                f,
                "{implied} no space around the '/' at byte {}",
                self.offset.saturating_sub(1)
            ),
            SyntaxErrorKind::ControlByte => write!(
                f,
                "whose quoted-pair may escape any ASCII byte; RFC 9110 needs no control byte at \
                 byte {}, even after a '\\'",
                self.offset
            ),
            _ => write!(
                f,
                "{implied} a product first, white space between elements and none around a '/'"
            ),
        }
    }

    /// What the grammar expected where the value went wrong.
    fn fmt_rule(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            SyntaxErrorKind::Empty => f.write_str(
                "expected a product such as MdePartner-Contoso-ContosoCognito/1.0.0; \
                 a User-Agent cannot be empty",
            ),
            SyntaxErrorKind::LeadingWhitespace => {
                f.write_str("expected a product; a header value cannot start with a space or tab")
            }
            SyntaxErrorKind::TrailingWhitespace => f.write_str(
                "expected a product after the space; a header value cannot end with \
                 a space or tab",
            ),
            SyntaxErrorKind::ControlByte => {
                f.write_str(
                    "control bytes (NUL, CR, LF, DEL and the like) are never allowed in a header \
                     value; CR and LF would end the header and start another",
                )?;
                if self.depth > 0 {
                    write!(
                        f,
                        " (found inside the comment that opened at byte {})",
                        self.element
                    )?;
                }
                Ok(())
            }
            SyntaxErrorKind::CommentFirst => f.write_str(
                "expected a product; a User-Agent starts with a product, and comments in \
                 parentheses may only follow one",
            ),
            SyntaxErrorKind::ExpectedProduct => f.write_str(
                "expected a product: a token of letters, digits and !#$%&'*+-.^_`|~, \
                 optionally followed by '/' and a version token",
            ),
            SyntaxErrorKind::MissingVersion => write!(
                f,
                "expected a version token after the '/' of the product that starts at byte {}",
                self.element
            ),
            SyntaxErrorKind::InvalidProductByte => write!(
                f,
                "expected a space or the end of the value after the product that starts at \
                 byte {}; a product is a token of letters, digits and !#$%&'*+-.^_`|~, \
                 optionally followed by one '/' and a version token",
                self.element
            ),
            SyntaxErrorKind::MissingSpaceBeforeComment => write!(
                f,
                "expected a space between the product that starts at byte {} and the comment",
                self.element
            ),
            SyntaxErrorKind::MissingSpaceAfterComment => write!(
                f,
                "expected a space or the end of the value after the comment that opened at \
                 byte {}",
                self.element
            ),
            SyntaxErrorKind::UnmatchedParenthesis => {
                f.write_str("this ')' closes no comment; every ')' needs an earlier '('")
            }
            SyntaxErrorKind::UnclosedComment => write!(
                f,
                "expected ')': the comment that opened at byte {} is not closed ({} {} still \
                 open)",
                self.element,
                self.depth,
                if self.depth == 1 {
                    "parenthesis"
                } else {
                    "parentheses"
                }
            ),
            SyntaxErrorKind::DanglingBackslash => write!(
                f,
                "a '\\' must be followed by the character it escapes, and the comment that \
                 opened at byte {} is not closed",
                self.element
            ),
        }
    }
}

/// One element of a valid value: a product or a comment, at `value[start..end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Element {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) is_comment: bool,
}

/// The elements of a value already known to be valid, in order; one pass, no recursion.
pub(crate) fn elements(value: &[u8]) -> impl Iterator<Item = Element> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < value.len() && is_white(value[at]) {
            at += 1;
        }
        let start = at;
        if start >= value.len() {
            return None;
        }
        let is_comment = value[start] == b'(';
        at = if is_comment {
            // A valid value has no unclosed comment; should one be found, the walk ends.
            comment_end(value, start).ok()?
        } else {
            let name_end = run_end(value, start, TCHAR);
            match value.get(name_end) {
                Some(b'/') => run_end(value, name_end + 1, TCHAR),
                _ => name_end,
            }
        };
        if at == start {
            return None;
        }
        Some(Element {
            start,
            end: at,
            is_comment,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_walk_products_and_nested_comments_in_order() {
        let value = b"a/1 (b (c) \\) d)\t e (f) g";
        let found: Vec<&[u8]> = elements(value).map(|e| &value[e.start..e.end]).collect();
        assert_eq!(found, [&b"a/1"[..], b"(b (c) \\) d)", b"e", b"(f)", b"g"]);
        assert_eq!(elements(b"a (b").count(), 1);
    }
}
