//! What any bytes are: a partner User-Agent, another valid User-Agent, or not a User-Agent.

use std::fmt;

use crate::bytes::PREFIX;
use crate::grammar::{Product, SyntaxError};
use crate::partner::rule::{self, Refusal};
use crate::PartnerError;

/// What a value is, for any bytes: a partner User-Agent, another valid User-Agent, or not a
/// User-Agent at all.
///
/// # Examples
///
/// ```
/// use mde_partner_ua::{classify, Classification};
///
/// match classify(b"MdePartner-Contoso-ContosoCognito/1.0.0 hyper/1.12.0") {
///     Classification::Partner(partner) => assert_eq!(partner.company(), "Contoso"),
///     other => panic!("{other:?}"),
/// }
/// match classify(b"curl/8.5.0") {
///     Classification::Rfc9110 { first_product, .. } => assert_eq!(first_product.name(), "curl"),
///     other => panic!("{other:?}"),
/// }
/// assert!(matches!(classify(b"curl/8.5.0\r\n"), Classification::Invalid(_)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Classification<'a> {
    /// A partner User-Agent.
    Partner(PartnerProduct<'a>),
    /// A valid RFC 9110 User-Agent that is not a partner one.
    Rfc9110 {
        /// The value's first product.
        first_product: Product<'a>,
        /// Why it is not a partner User-Agent.
        reason: PartnerError,
    },
    /// Not a valid RFC 9110 User-Agent. The error says when the value is still valid under
    /// RFC 2616 ([`SyntaxError::is_valid_rfc2616`]), and what RFC 9110 needs instead.
    Invalid(SyntaxError),
}

/// Classifies any bytes; see [`Classification`]. Allocates nothing for a partner value or an
/// invalid one, and once for the reason of a valid value that is not a partner one.
///
/// ```
/// use mde_partner_ua::{classify, Classification};
///
/// assert!(matches!(classify(b"MdePartner-Contoso-ContosoCognito/1.0.0"), Classification::Partner(_)));
/// ```
pub fn classify(value: &[u8]) -> Classification<'_> {
    match rule::check(value) {
        Ok(parts) => {
            // The partner product is tchar, which is ASCII: one look makes it text.
            let first = ascii(value, 0, parts.end);
            let part = |start: usize, end: usize| first.get(start..end).unwrap_or_default();
            Classification::Partner(PartnerProduct {
                company: part(PREFIX.len(), parts.company_end),
                product: part(parts.company_end + 1, parts.name_end),
                version: part(parts.name_end + 1, parts.end),
            })
        }
        Err(Refusal::Syntax(syntax)) => Classification::Invalid(syntax.noting_rfc2616(value)),
        Err(refusal @ Refusal::NotPartner { first, .. }) => Classification::Rfc9110 {
            first_product: first.product(value),
            reason: PartnerError::refused(value, refusal),
        },
    }
}

/// `value[start..end]`, bytes the partner rule found to be tchar, which are ASCII.
fn ascii(value: &[u8], start: usize, end: usize) -> &str {
    value
        .get(start..end)
        .and_then(|bytes| std::str::from_utf8(bytes).ok())
        .unwrap_or_default()
}

/// The parts of a partner product found by [`classify`].
///
/// ```
/// use mde_partner_ua::{classify, Classification};
///
/// if let Classification::Partner(p) = classify(b"MdePartner-VMRay-VMRayAnalyzer/4.4.1") {
///     assert_eq!((p.company(), p.product(), p.version()), ("VMRay", "VMRayAnalyzer", "4.4.1"));
///     assert_eq!(p.to_string(), "MdePartner-VMRay-VMRayAnalyzer/4.4.1");
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartnerProduct<'a> {
    company: &'a str,
    product: &'a str,
    version: &'a str,
}

impl<'a> PartnerProduct<'a> {
    /// The company name.
    ///
    /// ```
    /// # use mde_partner_ua::{classify, Classification};
    /// # if let Classification::Partner(p) = classify(b"MdePartner-VMRay-VMRayAnalyzer/4.4.1") {
    /// assert_eq!(p.company(), "VMRay");
    /// # } else { unreachable!() }
    /// ```
    pub fn company(&self) -> &'a str {
        self.company
    }

    /// The product name.
    ///
    /// ```
    /// # use mde_partner_ua::{classify, Classification};
    /// # if let Classification::Partner(p) = classify(b"MdePartner-VMRay-VMRayAnalyzer/4.4.1") {
    /// assert_eq!(p.product(), "VMRayAnalyzer");
    /// # } else { unreachable!() }
    /// ```
    pub fn product(&self) -> &'a str {
        self.product
    }

    /// The version.
    ///
    /// ```
    /// # use mde_partner_ua::{classify, Classification};
    /// # if let Classification::Partner(p) = classify(b"MdePartner-VMRay-VMRayAnalyzer/4.4.1") {
    /// assert_eq!(p.version(), "4.4.1");
    /// # } else { unreachable!() }
    /// ```
    pub fn version(&self) -> &'a str {
        self.version
    }
}

impl fmt::Display for PartnerProduct<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{PREFIX}{}-{}/{}",
            self.company, self.product, self.version
        )
    }
}
