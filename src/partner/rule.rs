//! The partner rule, in one place: which valid User-Agents are partner User-Agents, and why the
//! others are not. `new`, `from_static`, `parse`, `classify` and both layers all ask here.
//!
//! ```text
//! partner-product = "MdePartner-" company "-" product "/" version   ; the value's first product
//! company         = 1*( tchar except "-" )   ; the name splits at the first "-"
//! product         = 1*tchar                  ; may contain "-"
//! version         = token
//! ```

use crate::bytes::{is_tchar, starts_with_ignore_case, LEGACY_PREFIX, PREFIX};
use crate::grammar::{self, FirstProduct, SyntaxError};
use crate::partner::error::PartnerErrorKind;

/// Offsets of the partner product's pieces in a value: the company is
/// `value[PREFIX.len()..company_end]`, the product `value[company_end + 1..name_end]`, the
/// version `value[name_end + 1..end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Parts {
    pub(crate) company_end: usize,
    pub(crate) name_end: usize,
    pub(crate) end: usize,
}

/// Why a value is not a partner User-Agent, as found by [`check`]: small, and built in
/// `const` context, where [`PartnerError`](crate::PartnerError) adds what its message shows.
#[derive(Debug, Clone)]
pub(crate) enum Refusal {
    /// Not a valid RFC 9110 User-Agent.
    Syntax(SyntaxError),
    /// Valid, but its first product is not a partner product.
    NotPartner {
        kind: PartnerErrorKind,
        offset: usize,
        first: FirstProduct,
    },
}

/// Checks that `value` is a valid User-Agent whose first product is a partner product. The one
/// decision every part of the crate asks for: the grammar reads the first product once, and the
/// partner rule looks only at that product.
#[inline]
pub(crate) const fn check(value: &[u8]) -> Result<Parts, Refusal> {
    let first = match grammar::scan(value) {
        Ok(first) => first,
        Err(syntax) => return Err(Refusal::Syntax(syntax)),
    };
    match split(value, first) {
        Ok(parts) => Ok(parts),
        Err((kind, offset)) => Err(Refusal::NotPartner {
            kind,
            offset,
            first,
        }),
    }
}

/// Whether `byte` may stand in a company name.
#[inline]
pub(crate) const fn is_company_byte(byte: u8) -> bool {
    is_tchar(byte) && byte != b'-'
}

/// Splits the first product of a valid value into the partner parts.
const fn split(value: &[u8], first: FirstProduct) -> Result<Parts, (PartnerErrorKind, usize)> {
    let prefix = PREFIX.as_bytes();
    if let Some(differs) = mismatch(value, first.name_end, prefix) {
        let kind = if starts_with_ignore_case(value, first.name_end, LEGACY_PREFIX.as_bytes()) {
            PartnerErrorKind::LegacyPrefix
        } else if starts_with_ignore_case(value, first.name_end, prefix) {
            PartnerErrorKind::PrefixCase
        } else {
            PartnerErrorKind::MissingPrefix
        };
        return Err((kind, differs));
    }
    // The company runs to the next '-', which must come before the end of the name.
    let mut i = prefix.len();
    while i < first.name_end && is_company_byte(value[i]) {
        i += 1;
    }
    let company_end = i;
    if company_end == prefix.len() {
        return Err((PartnerErrorKind::EmptyCompany, company_end));
    }
    if company_end == first.name_end {
        return Err((PartnerErrorKind::MissingProduct, company_end));
    }
    if company_end + 1 == first.name_end {
        return Err((PartnerErrorKind::EmptyProduct, first.name_end));
    }
    if first.name_end == first.end {
        return Err((PartnerErrorKind::MissingVersion, first.end));
    }
    Ok(Parts {
        company_end,
        name_end: first.name_end,
        end: first.end,
    })
}

/// The offset of the first byte of `value[..len]` that differs from `prefix`, or `None` when
/// it starts with `prefix`.
const fn mismatch(value: &[u8], len: usize, prefix: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i < prefix.len() {
        if i == len || i == value.len() || value[i] != prefix[i] {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Whether the product `value[start..end]` (an element of a valid value) is a partner product
/// by its name: it starts with `MdePartner-` or the legacy `MdatpPartner-`, in any letter
/// case. A value should carry one such product, first.
pub(crate) fn looks_like_partner_product(product: &[u8]) -> bool {
    starts_with_ignore_case(product, product.len(), PREFIX.as_bytes())
        || starts_with_ignore_case(product, product.len(), LEGACY_PREFIX.as_bytes())
}
