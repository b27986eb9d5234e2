//! Why a value is not a partner User-Agent: [`PartnerError`], its kinds, and the one table of
//! their messages.

use std::fmt;

use crate::bytes::{is_tchar, is_white, LEGACY_PREFIX, PREFIX};
use crate::fmt::{write_number, DescribeByte, Quoted};
use crate::grammar::{self, FirstProduct, SyntaxError};
use crate::partner::rule::{looks_like_partner_product, may_name_a_partner, Refusal};

/// What a partner User-Agent looks like, at the end of the messages about the first product.
macro_rules! expected {
    () => {
        "; expected MdePartner-{Company}-{Product}/{Version}, as in \
         MdePartner-Contoso-ContosoCognito/1.0.0"
    };
}

/// Why a value is not a partner User-Agent.
///
/// ```
/// use mde_partner_ua::{PartnerErrorKind, PartnerUserAgent};
///
/// let err = "MdePartner-Contoso/1.0".parse::<PartnerUserAgent>().unwrap_err();
/// assert_eq!(err.kind(), PartnerErrorKind::MissingProduct);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PartnerErrorKind {
    /// Not a valid RFC 9110 User-Agent; [`PartnerError::syntax_error`] says why.
    Syntax,
    /// The first product does not start with `MdePartner-`.
    MissingPrefix,
    /// The first product starts with `MdePartner-` in other letter case; the prefix is
    /// case-sensitive.
    PrefixCase,
    /// The first product starts with `MdatpPartner-`, the prefix of Microsoft's earlier partner
    /// guide, which today's guide replaces with `MdePartner-`.
    LegacyPrefix,
    /// Nothing between `MdePartner-` and the next `-`.
    EmptyCompany,
    /// No `-` and product name after the company.
    MissingProduct,
    /// Nothing between the company's `-` and the `/`.
    EmptyProduct,
    /// The partner product has no `/{Version}`.
    MissingVersion,
    /// An empty version given to [`PartnerUserAgent::new`](crate::PartnerUserAgent::new).
    EmptyVersion,
    /// A byte that is not a token character in the company given to
    /// [`PartnerUserAgent::new`](crate::PartnerUserAgent::new).
    InvalidCompany,
    /// A `-` in the company given to [`PartnerUserAgent::new`](crate::PartnerUserAgent::new).
    HyphenInCompany,
    /// A byte that is not a token character in the product given to
    /// [`PartnerUserAgent::new`](crate::PartnerUserAgent::new).
    InvalidProduct,
    /// A byte that is not a token character in the version given to
    /// [`PartnerUserAgent::new`](crate::PartnerUserAgent::new).
    InvalidVersion,
    /// A header value whose bytes are not UTF-8 text.
    NotUtf8,
}

impl PartnerErrorKind {
    /// The rule a value broke, in words: the one table of messages, read by the error's
    /// `Display` and, at compile time, by a failing `PartnerUserAgent::from_static`. The rules of
    /// the first product start with "not a partner User-Agent", as their messages do.
    pub(crate) const fn rule(self) -> &'static str {
        match self {
            PartnerErrorKind::Syntax => {
                "not a valid RFC 9110 User-Agent: products are tokens separated by spaces, \
                 comments are in balanced parentheses after a product, and no space, tab or \
                 control byte starts or ends the value"
            }
            PartnerErrorKind::MissingPrefix => {
                "not a partner User-Agent: the first product does not start with \"MdePartner-\""
            }
            PartnerErrorKind::PrefixCase => {
                "not a partner User-Agent: the first product starts with \"MdePartner-\" in other letter case; the prefix \
                 is case-sensitive"
            }
            PartnerErrorKind::LegacyPrefix => {
                "not a partner User-Agent: the first product starts with \"MdatpPartner-\", the legacy prefix of \
                 Microsoft's earlier partner guide, which gets no partner credit; today's guide \
                 asks for \"MdePartner-\""
            }
            PartnerErrorKind::EmptyCompany => "not a partner User-Agent: the company name after \"MdePartner-\" is empty",
            PartnerErrorKind::MissingProduct => {
                "not a partner User-Agent: no \"-\" and product name after the company (a space ends a product: names \
                 cannot contain spaces)"
            }
            PartnerErrorKind::EmptyProduct => "not a partner User-Agent: the product name is empty",
            PartnerErrorKind::MissingVersion => {
                "not a partner User-Agent: the partner product has no \"/\" and version (a space ends a product: names \
                 cannot contain spaces)"
            }
            PartnerErrorKind::EmptyVersion => "the version is empty",
            PartnerErrorKind::InvalidCompany => {
                "a company name is made of letters, digits and !#$%&'*+-.^_`|~, without \"-\""
            }
            PartnerErrorKind::HyphenInCompany => {
                "a company name cannot contain \"-\": the partner User-Agent splits at the \
                 first \"-\" after \"MdePartner-\", so the rest would be read as the product; \
                 leave the hyphen out"
            }
            PartnerErrorKind::InvalidProduct => {
                "a product name is made of letters, digits and !#$%&'*+-.^_`|~"
            }
            PartnerErrorKind::InvalidVersion => {
                "a version is made of letters, digits and !#$%&'*+-.^_`|~"
            }
            PartnerErrorKind::NotUtf8 => "a partner User-Agent must be UTF-8 text",
        }
    }
}

/// A value that is not a partner User-Agent, with where and why.
///
/// The message names the rule, the offset, what was found and what a partner User-Agent needs
/// there; it is complete in itself, so the error has no [`source`](std::error::Error::source).
/// For a value that is not valid RFC 9110 at all, [`syntax_error`](Self::syntax_error) gives
/// the grammar's own error. Values are shown quoted and cut to 200 bytes.
///
/// # Examples
///
/// ```
/// use mde_partner_ua::{PartnerErrorKind, PartnerUserAgent};
///
/// let err = "MdePartner-Contoso-ContosoCognito/1.0.0 ".parse::<PartnerUserAgent>().unwrap_err();
/// assert_eq!(err.kind(), PartnerErrorKind::Syntax);
/// assert_eq!(err.offset(), 39);
/// assert!(err.syntax_error().is_some());
/// assert!(std::error::Error::source(&err).is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerError {
    kind: PartnerErrorKind,
    offset: usize,
    detail: Detail,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Detail {
    None,
    /// The byte at the offset.
    Byte(u8),
    Syntax(SyntaxError),
    /// Boxed: only a valid value that is not a partner one pays for what its message shows.
    Products(Box<Products>),
}

/// What a message about the first product shows of the value.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Products {
    first: Excerpt<96>,
    first_end: usize,
    /// The white space byte at `first_end`, when there is one.
    first_end_byte: u8,
    /// The product right after the first one, when white space alone separates them.
    next: Option<Excerpt<32>>,
    /// Where a partner product stands later in the value, when it is not first.
    partner_later: Option<usize>,
}

impl PartnerError {
    pub(crate) const fn new(kind: PartnerErrorKind, offset: usize) -> Self {
        PartnerError {
            kind,
            offset,
            detail: Detail::None,
        }
    }

    pub(crate) const fn with_byte(kind: PartnerErrorKind, offset: usize, byte: u8) -> Self {
        PartnerError {
            kind,
            offset,
            detail: Detail::Byte(byte),
        }
    }

    /// The error for `value`, refused by the partner rule for `refusal`. Allocates once for a
    /// valid value that is not a partner one, nothing otherwise.
    pub(crate) fn refused(value: &[u8], refusal: Refusal) -> Self {
        match refusal {
            Refusal::Syntax(syntax) => PartnerError {
                kind: PartnerErrorKind::Syntax,
                offset: syntax.offset(),
                detail: Detail::Syntax(syntax.noting_rfc2616(value)),
            },
            Refusal::NotPartner {
                kind,
                offset,
                first,
            } => PartnerError {
                kind,
                offset,
                detail: Detail::Products(Box::new(Products::of(value, kind, first))),
            },
        }
    }

    /// Which rule the value broke.
    ///
    /// ```
    /// # use mde_partner_ua::{PartnerErrorKind, PartnerUserAgent};
    /// let err = "MdePartner-Contoso-ContosoCognito".parse::<PartnerUserAgent>().unwrap_err();
    /// assert_eq!(err.kind(), PartnerErrorKind::MissingVersion);
    /// ```
    pub const fn kind(&self) -> PartnerErrorKind {
        self.kind
    }

    /// The offset of the byte where the value went wrong, or its length when it ended too soon.
    /// For [`PartnerUserAgent::new`](crate::PartnerUserAgent::new), the offset in the part
    /// named by the kind.
    ///
    /// ```
    /// # use mde_partner_ua::PartnerUserAgent;
    /// let err = "MdePartner-Contoso-ContosoCognito".parse::<PartnerUserAgent>().unwrap_err();
    /// assert_eq!(err.offset(), 33);
    /// let err = PartnerUserAgent::new("Contoso Ltd", "Cognito", "1").unwrap_err();
    /// assert_eq!(err.offset(), 7);
    /// ```
    pub const fn offset(&self) -> usize {
        self.offset
    }

    /// For [`PartnerErrorKind::Syntax`], the grammar's error.
    ///
    /// ```
    /// # use mde_partner_ua::{grammar::SyntaxErrorKind, PartnerUserAgent};
    /// let err = "MdePartner-Contoso-Cognito/1.0 (Linux".parse::<PartnerUserAgent>().unwrap_err();
    /// assert_eq!(err.syntax_error().unwrap().kind(), SyntaxErrorKind::UnclosedComment);
    /// ```
    pub const fn syntax_error(&self) -> Option<&SyntaxError> {
        match &self.detail {
            Detail::Syntax(syntax) => Some(syntax),
            _ => None,
        }
    }
}

impl fmt::Display for PartnerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.detail {
            Detail::Syntax(syntax) => write!(f, "not a valid RFC 9110 User-Agent: {syntax}"),
            Detail::Products(products) => {
                // Pieces rather than a format string: classifying many values writes many of
                // these.
                f.write_str(self.kind.rule())?;
                products.fmt_context(f, self.kind, self.offset)
            }
            Detail::Byte(byte) => write!(
                f,
                "invalid {} at byte {}: found {}; {}",
                self.part_name(),
                self.offset,
                DescribeByte(*byte),
                self.kind.rule()
            ),
            Detail::None => match self.kind {
                PartnerErrorKind::EmptyCompany
                | PartnerErrorKind::EmptyProduct
                | PartnerErrorKind::EmptyVersion => f.write_str(self.kind.rule()),
                _ => write!(f, "{} (byte {})", self.kind.rule(), self.offset),
            },
        }
    }
}

impl PartnerError {
    fn part_name(&self) -> &'static str {
        match self.kind {
            PartnerErrorKind::InvalidCompany | PartnerErrorKind::HyphenInCompany => "company name",
            PartnerErrorKind::InvalidProduct => "product name",
            PartnerErrorKind::InvalidVersion => "version",
            _ => "text",
        }
    }
}

impl Products {
    fn of(value: &[u8], kind: PartnerErrorKind, first: FirstProduct) -> Self {
        Products {
            first: Excerpt::token(value, 0, first.end),
            first_end: first.end,
            first_end_byte: value.get(first.end).copied().unwrap_or(b' '),
            next: next_product(value, first.end),
            partner_later: match kind {
                PartnerErrorKind::MissingPrefix => later_partner_product(value),
                _ => None,
            },
        }
    }

    fn fmt_context(
        &self,
        f: &mut fmt::Formatter<'_>,
        kind: PartnerErrorKind,
        offset: usize,
    ) -> fmt::Result {
        // Few, long pieces: classifying many values writes many of these messages.
        f.write_str(" (first product \"")?;
        self.first.write_text(f)?;
        let truncated = self.first.truncated;
        match kind {
            PartnerErrorKind::PrefixCase | PartnerErrorKind::LegacyPrefix => {
                f.write_str(if truncated { "...\")" } else { "\")" })?;
            }
            _ => {
                f.write_str(if truncated {
                    "...\", byte "
                } else {
                    "\", byte "
                })?;
                write_number(f, offset)?;
            }
        }
        if kind == PartnerErrorKind::MissingPrefix {
            f.write_str(concat!(" differs)", expected!()))?;
        } else if kind != PartnerErrorKind::PrefixCase && kind != PartnerErrorKind::LegacyPrefix {
            f.write_str(concat!(")", expected!()))?;
        } else if kind == PartnerErrorKind::PrefixCase {
            f.write_str(expected!())?;
        }
        if kind == PartnerErrorKind::LegacyPrefix {
            let rest = self
                .first
                .bytes()
                .get(LEGACY_PREFIX.len()..)
                .unwrap_or_default();
            f.write_str(": send \"")?;
            f.write_str(PREFIX)?;
            Quoted::escape(f, rest)?;
            f.write_str(if self.first.truncated { "...\"" } else { "\"" })?;
            f.write_str(" instead")?;
        }
        if let Some(at) = self.partner_later {
            write!(
                f,
                "; a partner product stands at byte {at}, but it must be the first product"
            )?;
        }
        let space_ends_the_name = matches!(
            kind,
            PartnerErrorKind::MissingProduct | PartnerErrorKind::MissingVersion
        );
        if let (Some(next), true) = (&self.next, space_ends_the_name) {
            let white = match self.first_end_byte {
                b'\t' => "tab",
                _ => "space",
            };
            write!(
                f,
                "; the {white} at byte {} ends the first product, so {next} is a separate \
                 product, not part of the partner product: names cannot contain white space",
                self.first_end
            )?;
        }
        Ok(())
    }
}

/// The product that follows the first one, when only white space separates them.
fn next_product<const N: usize>(value: &[u8], first_end: usize) -> Option<Excerpt<N>> {
    let rest = value.get(first_end..)?;
    let start = first_end + rest.iter().position(|&b| !is_white(b))?;
    if start == first_end || value[start] == b'(' {
        return None;
    }
    let end = value[start..]
        .iter()
        .position(|&b| is_white(b))
        .map_or(value.len(), |len| start + len);
    Some(Excerpt::token(value, start, end))
}

/// The offset of a later product (not a comment) that looks like a partner product.
fn later_partner_product(value: &[u8]) -> Option<usize> {
    if !may_name_a_partner(value.get(1..)?) {
        return None;
    }
    grammar::elements(value)
        .skip(1)
        .find(|e| !e.is_comment && looks_like_partner_product(&value[e.start..e.end]))
        .map(|e| e.start)
}

/// A short copy of part of a value, for messages.
#[derive(Clone, PartialEq, Eq)]
struct Excerpt<const N: usize> {
    bytes: [u8; N],
    len: u8,
    truncated: bool,
}

impl<const N: usize> Excerpt<N> {
    /// A copy of a token of a valid value: tchar, so printable ASCII that needs no escape.
    fn token(value: &[u8], start: usize, end: usize) -> Self {
        let part = value.get(start..end.min(value.len())).unwrap_or_default();
        let shown = part.get(..N).unwrap_or(part);
        let mut bytes = [0; N];
        bytes[..shown.len()].copy_from_slice(shown);
        Excerpt {
            bytes,
            len: shown.len() as u8,
            truncated: shown.len() < part.len(),
        }
    }

    fn bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len).min(N)]
    }

    /// Writes the excerpt without quotes: a token needs no escape.
    fn write_text(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match std::str::from_utf8(self.bytes()) {
            Ok(text) if text.bytes().all(is_tchar_or_slash) => f.write_str(text),
            _ => Quoted::escape(f, self.bytes()),
        }
    }
}

/// Whether `byte` may stand in a product: tchar or its `/`.
fn is_tchar_or_slash(byte: u8) -> bool {
    is_tchar(byte) || byte == b'/'
}

impl<const N: usize> fmt::Display for Excerpt<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        self.write_text(f)?;
        f.write_str(if self.truncated { "...\"" } else { "\"" })
    }
}

impl<const N: usize> fmt::Debug for Excerpt<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// The message is complete in itself: no source.
impl std::error::Error for PartnerError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partner_error_is_small_enough_to_return_by_value() {
        assert!(std::mem::size_of::<PartnerError>() <= 64);
    }
}
