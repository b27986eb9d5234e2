//! The partner User-Agent value: `MdePartner-{Company}-{Product}/{Version}`.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use http::HeaderValue;

use crate::automaton::{self, Verdict};
use crate::grammar::{self, DescribeByte, Escaped, FirstProduct, Product, SyntaxError};

/// The prefix every partner User-Agent starts with, exactly as Microsoft spells it.
///
/// ```
/// use mde_partner_ua::{PartnerUserAgent, PREFIX};
///
/// let ua = PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");
/// assert!(ua.as_str().starts_with(PREFIX));
/// ```
pub const PREFIX: &str = "MdePartner-";

/// A valid Microsoft Defender for Endpoint partner User-Agent.
///
/// A value is a partner User-Agent when it is a valid [RFC 9110] User-Agent (see
/// [`grammar`](crate::grammar)) whose **first** product is
/// `MdePartner-{Company}-{Product}/{Version}`:
///
/// ```text
/// partner-product = "MdePartner-" company "-" product "/" version
/// company         = 1*( tchar except "-" )   ; the name splits at the first "-"
/// product         = 1*tchar                  ; may contain "-"
/// version         = token
/// ```
///
/// More products and comments may follow the partner product.
///
/// Examples: `MdePartner-Contoso-ContosoCognito/1.0.0` (Microsoft's own example),
/// `MdePartner-VMRay-VMRayAnalyzer/4.4.1`,
/// `MdePartner-JoeSecurity-JoeSecuritySandbox-AzureFunctionApp/4.4.1` (company `JoeSecurity`),
/// `MdePartner-Contoso-ContosoCognito/1.0.0 (Linux; x86_64) hyper/1.12.0`.
///
/// The value is checked once, when it is made; after that it is always valid, and
/// [`header_value`](Self::header_value) hands out a ready [`HeaderValue`]. A value made with
/// [`from_static`](Self::from_static) refers to static memory, so cloning its header value
/// copies a pointer and counts no references.
///
/// # Examples
///
/// ```
/// use mde_partner_ua::PartnerUserAgent;
///
/// // Checked at compile time:
/// const UA: PartnerUserAgent = PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");
/// assert_eq!(UA.company(), "Contoso");
///
/// // Checked at run time:
/// let ua = PartnerUserAgent::new("Contoso", "ContosoCognito", env!("CARGO_PKG_VERSION"))?;
/// assert_eq!(ua.product(), "ContosoCognito");
///
/// let ua: PartnerUserAgent = "MdePartner-Contoso-ContosoCognito/1.0.0 (Linux)".parse()?;
/// assert_eq!(ua.version(), "1.0.0");
///
/// let err = "MdePartner-Contoso Ltd-Cognito/1.0".parse::<PartnerUserAgent>().unwrap_err();
/// assert!(err.to_string().contains("`Ltd-Cognito/1.0` is a separate product"));
/// # Ok::<(), mde_partner_ua::PartnerError>(())
/// ```
///
/// [RFC 9110]: https://www.rfc-editor.org/rfc/rfc9110#section-10.1.5
#[derive(Clone)]
pub struct PartnerUserAgent {
    header: HeaderValue,
    text: Text,
    parts: Parts,
}

#[derive(Clone)]
enum Text {
    Static(&'static str),
    Shared(Arc<str>),
}

/// Offsets of the partner product's pieces in the value: the company is
/// `value[PREFIX.len()..company_end]`, the product `value[company_end + 1..name_end]`, the
/// version `value[name_end + 1..end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Parts {
    company_end: usize,
    name_end: usize,
    end: usize,
}

impl PartnerUserAgent {
    /// Builds `MdePartner-{company}-{product}/{version}` from its parts, checking each.
    ///
    /// The company is one or more token characters without `-`; the product and version are
    /// tokens (letters, digits and ``!#$%&'*+-.^_`|~``).
    ///
    /// # Errors
    ///
    /// A part that is empty, or holds a byte not allowed there (a space, a `/`, a `-` in the
    /// company...), gives a [`PartnerError`] that names the part, the byte and its offset in
    /// the part.
    ///
    /// # Examples
    ///
    /// ```
    /// use mde_partner_ua::{PartnerErrorKind, PartnerUserAgent};
    ///
    /// let ua = PartnerUserAgent::new("Contoso", "ContosoCognito", "1.0.0").unwrap();
    /// assert_eq!(ua.as_str(), "MdePartner-Contoso-ContosoCognito/1.0.0");
    ///
    /// let err = PartnerUserAgent::new("Contoso-Ltd", "Cognito", "1.0").unwrap_err();
    /// assert_eq!(err.kind(), PartnerErrorKind::HyphenInCompany);
    /// assert_eq!(err.offset(), 7);
    /// ```
    pub fn new(company: &str, product: &str, version: &str) -> Result<Self, PartnerError> {
        check_part(company, Part::Company)?;
        check_part(product, Part::Product)?;
        check_part(version, Part::Version)?;
        let text = format!("{PREFIX}{company}-{product}/{version}");
        Self::from_shared(Arc::from(text))
    }

    /// Makes a partner User-Agent from a static string, checking it at compile time when used
    /// in a `const`.
    ///
    /// Like [`HeaderValue::from_static`], this is the way to a value that costs nothing to use:
    /// its header value points at the static string.
    ///
    /// # Panics
    ///
    /// Panics if `value` is not a partner User-Agent. In a `const` item that panic is a compile
    /// error, so an invalid value never reaches a running program:
    ///
    /// ```compile_fail
    /// use mde_partner_ua::PartnerUserAgent;
    ///
    /// const UA: PartnerUserAgent = PartnerUserAgent::from_static("MdePartner-Contoso Ltd-Cognito/1.0");
    /// ```
    ///
    /// # Examples
    ///
    /// ```
    /// use mde_partner_ua::PartnerUserAgent;
    ///
    /// const UA: PartnerUserAgent = PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");
    /// assert_eq!(UA.header_value(), "MdePartner-Contoso-ContosoCognito/1.0.0");
    /// ```
    pub const fn from_static(value: &'static str) -> Self {
        let parts = match partner_parts(value.as_bytes()) {
            Ok(parts) => parts,
            Err(e) => panic!("{}", e.kind.static_message()),
        };
        PartnerUserAgent {
            header: HeaderValue::from_static(value),
            text: Text::Static(value),
            parts,
        }
    }

    /// Reads a partner User-Agent from the environment variable `name`.
    ///
    /// # Errors
    ///
    /// A [`FromEnvError`] that names the variable and says whether it is unset, not Unicode,
    /// or not a partner User-Agent (and then why).
    ///
    /// # Examples
    ///
    /// ```
    /// use mde_partner_ua::PartnerUserAgent;
    ///
    /// let err = PartnerUserAgent::from_env("MDE_PARTNER_USER_AGENT_IS_NOT_SET").unwrap_err();
    /// assert_eq!(err.variable(), "MDE_PARTNER_USER_AGENT_IS_NOT_SET");
    /// assert_eq!(
    ///     err.to_string(),
    ///     "environment variable MDE_PARTNER_USER_AGENT_IS_NOT_SET is not set"
    /// );
    /// ```
    pub fn from_env(name: &str) -> Result<Self, FromEnvError> {
        let fail = |reason| FromEnvError {
            variable: name.to_owned(),
            reason,
        };
        let value = std::env::var_os(name).ok_or_else(|| fail(EnvReason::NotSet))?;
        let value = value
            .into_string()
            .map_err(|_| fail(EnvReason::NotUnicode))?;
        value
            .parse()
            .map_err(|error| fail(EnvReason::Invalid(error)))
    }

    /// This value followed by a space and `rest`: more products and comments after the partner
    /// product, such as the product of the HTTP client underneath.
    ///
    /// # Errors
    ///
    /// A [`PartnerError`] when `rest` is not itself a valid User-Agent (products and comments),
    /// with offsets in the combined value.
    ///
    /// ```
    /// use mde_partner_ua::PartnerUserAgent;
    ///
    /// const UA: PartnerUserAgent = PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");
    /// let ua = UA.followed_by("reqwest/0.13.5 (Linux)")?;
    /// assert_eq!(ua.as_str(), "MdePartner-Contoso-ContosoCognito/1.0.0 reqwest/0.13.5 (Linux)");
    /// assert!(UA.followed_by("(only a comment) x").is_ok());
    /// assert!(UA.followed_by("not valid ").is_err());
    /// # Ok::<(), mde_partner_ua::PartnerError>(())
    /// ```
    pub fn followed_by(&self, rest: &str) -> Result<Self, PartnerError> {
        let text = format!("{} {rest}", self.as_str());
        Self::from_shared(Arc::from(text))
    }

    fn from_shared(text: Arc<str>) -> Result<Self, PartnerError> {
        let parts = partner_parts(text.as_bytes())?;
        let header = HeaderValue::from_str(&text).map_err(|_| control_byte_error(&text))?;
        Ok(PartnerUserAgent {
            header,
            text: Text::Shared(text),
            parts,
        })
    }

    /// The whole value.
    ///
    /// ```
    /// # use mde_partner_ua::PartnerUserAgent;
    /// let ua = PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0 (Linux)");
    /// assert_eq!(ua.as_str(), "MdePartner-Contoso-ContosoCognito/1.0.0 (Linux)");
    /// ```
    pub fn as_str(&self) -> &str {
        match &self.text {
            Text::Static(text) => text,
            Text::Shared(text) => text,
        }
    }

    /// The company name: what stands between `MdePartner-` and the next `-`.
    ///
    /// ```
    /// # use mde_partner_ua::PartnerUserAgent;
    /// let ua = PartnerUserAgent::from_static("MdePartner-JoeSecurity-JoeSecuritySandbox-AzureFunctionApp/4.4.1");
    /// assert_eq!(ua.company(), "JoeSecurity");
    /// ```
    pub fn company(&self) -> &str {
        self.slice(PREFIX.len(), self.parts.company_end)
    }

    /// The product name: what stands between the company's `-` and the `/`.
    ///
    /// ```
    /// # use mde_partner_ua::PartnerUserAgent;
    /// let ua = PartnerUserAgent::from_static("MdePartner-JoeSecurity-JoeSecuritySandbox-AzureFunctionApp/4.4.1");
    /// assert_eq!(ua.product(), "JoeSecuritySandbox-AzureFunctionApp");
    /// ```
    pub fn product(&self) -> &str {
        self.slice(self.parts.company_end + 1, self.parts.name_end)
    }

    /// The version of the partner product.
    ///
    /// ```
    /// # use mde_partner_ua::PartnerUserAgent;
    /// let ua = PartnerUserAgent::from_static("MdePartner-VMRay-VMRayAnalyzer/4.4.1");
    /// assert_eq!(ua.version(), "4.4.1");
    /// ```
    pub fn version(&self) -> &str {
        self.slice(self.parts.name_end + 1, self.parts.end)
    }

    /// The partner product alone, `MdePartner-{Company}-{Product}/{Version}`, without what
    /// follows it.
    ///
    /// ```
    /// # use mde_partner_ua::PartnerUserAgent;
    /// let ua = PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0 (Linux) hyper/1.12.0");
    /// assert_eq!(ua.partner_product(), "MdePartner-Contoso-ContosoCognito/1.0.0");
    /// ```
    pub fn partner_product(&self) -> &str {
        self.slice(0, self.parts.end)
    }

    /// The value as a header value, built once when the value was made.
    ///
    /// Clone it to put it on a request: for a value from
    /// [`from_static`](Self::from_static) that clone copies a pointer.
    ///
    /// ```
    /// use http::header::USER_AGENT;
    /// use mde_partner_ua::PartnerUserAgent;
    ///
    /// const UA: PartnerUserAgent = PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");
    /// let request = http::Request::builder()
    ///     .header(USER_AGENT, UA.header_value().clone())
    ///     .body(())
    ///     .unwrap();
    /// assert_eq!(request.headers()[USER_AGENT], "MdePartner-Contoso-ContosoCognito/1.0.0");
    /// ```
    pub fn header_value(&self) -> &HeaderValue {
        &self.header
    }

    fn slice(&self, start: usize, end: usize) -> &str {
        // The offsets come from the check that made this value and fall on ASCII bytes.
        self.as_str().get(start..end).unwrap_or_default()
    }
}

/// Which part of `MdePartner-{Company}-{Product}/{Version}` [`PartnerUserAgent::new`] checks.
#[derive(Clone, Copy)]
enum Part {
    Company,
    Product,
    Version,
}

fn check_part(part_value: &str, part: Part) -> Result<(), PartnerError> {
    let (empty, invalid) = match part {
        Part::Company => (
            PartnerErrorKind::EmptyCompany,
            PartnerErrorKind::InvalidCompany,
        ),
        Part::Product => (
            PartnerErrorKind::EmptyProduct,
            PartnerErrorKind::InvalidProduct,
        ),
        Part::Version => (
            PartnerErrorKind::EmptyVersion,
            PartnerErrorKind::InvalidVersion,
        ),
    };
    if part_value.is_empty() {
        return Err(PartnerError::new(empty, 0));
    }
    for (offset, &byte) in part_value.as_bytes().iter().enumerate() {
        let kind = if !grammar::is_tchar(byte) {
            invalid
        } else if byte == b'-' && matches!(part, Part::Company) {
            PartnerErrorKind::HyphenInCompany
        } else {
            continue;
        };
        let mut error = PartnerError::new(kind, offset);
        error.detail = Detail::Byte(byte);
        return Err(error);
    }
    Ok(())
}

/// An error for a value that passed the grammar but is refused as a header value. The grammar
/// refuses every byte that [`HeaderValue`] refuses, so this is a second line of defence.
#[cold]
fn control_byte_error(value: &str) -> PartnerError {
    let offset = value
        .bytes()
        .position(|b| (b < 0x20 && b != b'\t') || b == 0x7f)
        .unwrap_or(value.len());
    let mut error = PartnerError::new(PartnerErrorKind::Syntax, offset);
    error.syntax = grammar::validate(value.as_bytes()).err();
    error
}

/// Checks that `value` is a valid User-Agent whose first product is a partner product.
const fn partner_parts(value: &[u8]) -> Result<Parts, PartnerError> {
    let first = match grammar::scan(value) {
        Ok(first) => first,
        Err(syntax) => {
            let mut error = PartnerError::new(PartnerErrorKind::Syntax, syntax.offset());
            error.syntax = Some(syntax);
            return Err(error);
        }
    };
    match split_partner_product(value, first) {
        Ok(parts) => Ok(parts),
        Err((kind, offset)) => {
            let mut error = PartnerError::new(kind, offset);
            error.detail = Detail::Products {
                first: Excerpt::new(value, 0, first.end),
                next: next_product(value, first.end),
                partner_later: match kind {
                    PartnerErrorKind::MissingPrefix => later_partner_product(value, first.end),
                    _ => None,
                },
            };
            Err(error)
        }
    }
}

/// Splits the first product of a valid value into the partner parts.
const fn split_partner_product(
    value: &[u8],
    first: FirstProduct,
) -> Result<Parts, (PartnerErrorKind, usize)> {
    let prefix = PREFIX.as_bytes();
    let mut i = 0;
    while i < prefix.len() {
        if i == first.name_end || value[i] != prefix[i] {
            let kind = if starts_with_ignore_case(value, first.name_end, prefix) {
                PartnerErrorKind::PrefixCase
            } else {
                PartnerErrorKind::MissingPrefix
            };
            return Err((kind, i));
        }
        i += 1;
    }
    // The company runs to the next '-', which must come before the end of the name.
    while i < first.name_end && value[i] != b'-' {
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

const fn starts_with_ignore_case(value: &[u8], len: usize, prefix: &[u8]) -> bool {
    if len < prefix.len() {
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

/// The offset of a product that starts with `MdePartner-` after `from`, if any.
const fn later_partner_product(value: &[u8], from: usize) -> Option<usize> {
    let prefix = PREFIX.as_bytes();
    let mut start = from;
    while start + prefix.len() <= value.len() {
        if start > 0 && (value[start - 1] == b' ' || value[start - 1] == b'\t') {
            let mut i = 0;
            while i < prefix.len() && value[start + i] == prefix[i] {
                i += 1;
            }
            if i == prefix.len() {
                return Some(start);
            }
        }
        start += 1;
    }
    None
}

/// The product that follows the first one, when only white space separates them.
const fn next_product(value: &[u8], first_end: usize) -> Option<(usize, Excerpt)> {
    let mut i = first_end;
    while i < value.len() && (value[i] == b' ' || value[i] == b'\t') {
        i += 1;
    }
    if i == first_end || i == value.len() || value[i] == b'(' {
        return None;
    }
    let start = i;
    while i < value.len() && value[i] != b' ' && value[i] != b'\t' {
        i += 1;
    }
    Some((first_end, Excerpt::new(value, start, i)))
}

/// Reads a value as a partner User-Agent.
///
/// ```
/// use mde_partner_ua::{PartnerErrorKind, PartnerUserAgent};
///
/// let ua: PartnerUserAgent = "MdePartner-Contoso-ContosoCognito/1.0.0".parse().unwrap();
/// assert_eq!(ua.company(), "Contoso");
///
/// let err = "mdepartner-Contoso-ContosoCognito/1.0.0".parse::<PartnerUserAgent>().unwrap_err();
/// assert_eq!(err.kind(), PartnerErrorKind::PrefixCase);
/// ```
impl FromStr for PartnerUserAgent {
    type Err = PartnerError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::from_shared(Arc::from(value))
    }
}

/// ```
/// use mde_partner_ua::PartnerUserAgent;
///
/// let ua = PartnerUserAgent::try_from("MdePartner-VMRay-VMRayAnalyzer/4.4.1").unwrap();
/// assert_eq!(ua.company(), "VMRay");
/// ```
impl TryFrom<&str> for PartnerUserAgent {
    type Error = PartnerError;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        value.parse()
    }
}

/// ```
/// use mde_partner_ua::PartnerUserAgent;
///
/// let ua = PartnerUserAgent::try_from(String::from("MdePartner-VMRay-VMRayAnalyzer/4.4.1")).unwrap();
/// assert_eq!(ua.product(), "VMRayAnalyzer");
/// ```
impl TryFrom<String> for PartnerUserAgent {
    type Error = PartnerError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::from_shared(Arc::from(value))
    }
}

/// Reads a header value as a partner User-Agent. The value must be UTF-8 (bytes above 0x7F,
/// which the grammar allows in comments, must form UTF-8 text).
///
/// ```
/// use http::HeaderValue;
/// use mde_partner_ua::PartnerUserAgent;
///
/// let header = HeaderValue::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");
/// let ua = PartnerUserAgent::try_from(&header).unwrap();
/// assert_eq!(ua.header_value(), &header);
/// ```
impl TryFrom<&HeaderValue> for PartnerUserAgent {
    type Error = PartnerError;

    fn try_from(header: &HeaderValue) -> Result<Self, Self::Error> {
        let bytes = header.as_bytes();
        match std::str::from_utf8(bytes) {
            Ok(text) => {
                let parts = partner_parts(bytes)?;
                Ok(PartnerUserAgent {
                    header: header.clone(),
                    text: Text::Shared(Arc::from(text)),
                    parts,
                })
            }
            Err(utf8) => {
                // Report a grammar error first when there is one: it is the more useful.
                partner_parts(bytes)?;
                let offset = utf8.valid_up_to();
                let mut error = PartnerError::new(PartnerErrorKind::NotUtf8, offset);
                if let Some(&byte) = bytes.get(offset) {
                    error.detail = Detail::Byte(byte);
                }
                Err(error)
            }
        }
    }
}

/// ```
/// use http::HeaderValue;
/// use mde_partner_ua::PartnerUserAgent;
///
/// let header = HeaderValue::from(PartnerUserAgent::from_static("MdePartner-VMRay-VMRayAnalyzer/4.4.1"));
/// assert_eq!(header, "MdePartner-VMRay-VMRayAnalyzer/4.4.1");
/// ```
impl From<PartnerUserAgent> for HeaderValue {
    fn from(value: PartnerUserAgent) -> Self {
        value.header
    }
}

/// ```
/// # use mde_partner_ua::PartnerUserAgent;
/// fn show(value: impl AsRef<str>) -> String { value.as_ref().to_owned() }
/// assert_eq!(show(PartnerUserAgent::from_static("MdePartner-A-B/1")), "MdePartner-A-B/1");
/// ```
impl AsRef<str> for PartnerUserAgent {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

/// ```
/// # use mde_partner_ua::PartnerUserAgent;
/// assert_eq!(PartnerUserAgent::from_static("MdePartner-A-B/1").to_string(), "MdePartner-A-B/1");
/// ```
impl fmt::Display for PartnerUserAgent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// ```
/// # use mde_partner_ua::PartnerUserAgent;
/// let ua = PartnerUserAgent::from_static("MdePartner-A-B/1");
/// assert_eq!(format!("{ua:?}"), r#"PartnerUserAgent("MdePartner-A-B/1")"#);
/// ```
impl fmt::Debug for PartnerUserAgent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PartnerUserAgent")
            .field(&self.as_str())
            .finish()
    }
}

/// Two values are equal when their text is equal, however they were made.
///
/// ```
/// # use mde_partner_ua::PartnerUserAgent;
/// let made = PartnerUserAgent::new("A", "B", "1").unwrap();
/// assert_eq!(made, PartnerUserAgent::from_static("MdePartner-A-B/1"));
/// ```
impl PartialEq for PartnerUserAgent {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for PartnerUserAgent {}

/// Hashes the text, consistent with [`PartialEq`].
///
/// ```
/// # use mde_partner_ua::PartnerUserAgent;
/// let mut set = std::collections::HashSet::new();
/// set.insert(PartnerUserAgent::from_static("MdePartner-A-B/1"));
/// assert!(set.contains(&PartnerUserAgent::new("A", "B", "1").unwrap()));
/// ```
impl std::hash::Hash for PartnerUserAgent {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

/// ```
/// # use mde_partner_ua::PartnerUserAgent;
/// assert!(PartnerUserAgent::from_static("MdePartner-A-B/1") == *"MdePartner-A-B/1");
/// ```
impl PartialEq<str> for PartnerUserAgent {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

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
#[non_exhaustive]
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
    /// Not a valid RFC 9110 User-Agent.
    Invalid(SyntaxError),
}

/// Classifies any bytes; see [`Classification`]. Allocates nothing.
///
/// ```
/// use mde_partner_ua::{classify, Classification};
///
/// assert!(matches!(classify(b"MdePartner-Contoso-ContosoCognito/1.0.0"), Classification::Partner(_)));
/// ```
pub fn classify(value: &[u8]) -> Classification<'_> {
    match partner_parts(value) {
        Ok(parts) => Classification::Partner(PartnerProduct {
            company: ascii(value, PREFIX.len(), parts.company_end),
            product: ascii(value, parts.company_end + 1, parts.name_end),
            version: ascii(value, parts.name_end + 1, parts.end),
        }),
        Err(error) => match error.syntax {
            Some(syntax) => Classification::Invalid(syntax),
            None => match grammar::first_product(value) {
                Ok(first_product) => Classification::Rfc9110 {
                    first_product,
                    reason: error,
                },
                Err(syntax) => Classification::Invalid(syntax),
            },
        },
    }
}

fn ascii(value: &[u8], start: usize, end: usize) -> &str {
    // Partner parts are tchar, which is ASCII.
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
    /// Nothing between `MdePartner-` and the next `-`.
    EmptyCompany,
    /// No `-` and product name after the company.
    MissingProduct,
    /// Nothing between the company's `-` and the `/`.
    EmptyProduct,
    /// The partner product has no `/{Version}`.
    MissingVersion,
    /// An empty version given to [`PartnerUserAgent::new`].
    EmptyVersion,
    /// A byte that is not a token character in the company given to [`PartnerUserAgent::new`].
    InvalidCompany,
    /// A `-` in the company given to [`PartnerUserAgent::new`].
    HyphenInCompany,
    /// A byte that is not a token character in the product given to [`PartnerUserAgent::new`].
    InvalidProduct,
    /// A byte that is not a token character in the version given to [`PartnerUserAgent::new`].
    InvalidVersion,
    /// A header value whose bytes are not UTF-8 text.
    NotUtf8,
}

impl PartnerErrorKind {
    /// The message for a [`PartnerUserAgent::from_static`] that fails at compile time, where
    /// nothing can be formatted.
    const fn static_message(self) -> &'static str {
        match self {
            PartnerErrorKind::Syntax => "PartnerUserAgent::from_static: not a valid RFC 9110 User-Agent (products are tokens separated by single spaces; no leading, trailing or control bytes; balanced comments)",
            PartnerErrorKind::MissingPrefix => "PartnerUserAgent::from_static: the first product does not start with `MdePartner-`",
            PartnerErrorKind::PrefixCase => "PartnerUserAgent::from_static: the prefix is case-sensitive: write `MdePartner-`",
            PartnerErrorKind::EmptyCompany => "PartnerUserAgent::from_static: the company name after `MdePartner-` is empty",
            PartnerErrorKind::MissingProduct => "PartnerUserAgent::from_static: no `-{Product}` after the company (spaces end a product: names cannot contain them)",
            PartnerErrorKind::EmptyProduct => "PartnerUserAgent::from_static: the product name is empty",
            PartnerErrorKind::MissingVersion | PartnerErrorKind::EmptyVersion => "PartnerUserAgent::from_static: the partner product has no `/{Version}` (spaces end a product: names cannot contain them)",
            PartnerErrorKind::InvalidCompany | PartnerErrorKind::HyphenInCompany | PartnerErrorKind::InvalidProduct | PartnerErrorKind::InvalidVersion | PartnerErrorKind::NotUtf8 => "PartnerUserAgent::from_static: not a partner User-Agent",
        }
    }
}

/// A value that is not a partner User-Agent, with where and why.
///
/// The message names the offset, what was found and what a partner User-Agent needs there. For
/// a value that is not valid RFC 9110 at all, [`syntax_error`](Self::syntax_error) (also the
/// error's [`source`](std::error::Error::source)) gives the grammar's own error.
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
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[error("{}", Message(self))]
pub struct PartnerError {
    kind: PartnerErrorKind,
    offset: usize,
    #[source]
    syntax: Option<SyntaxError>,
    detail: Detail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Detail {
    None,
    /// The byte at the offset.
    Byte(u8),
    /// The first product, and the product after it with the offset of the space between.
    Products {
        first: Excerpt,
        next: Option<(usize, Excerpt)>,
        /// Where a partner product stands later in the value, when it is not first.
        partner_later: Option<usize>,
    },
}

impl PartnerError {
    const fn new(kind: PartnerErrorKind, offset: usize) -> Self {
        PartnerError {
            kind,
            offset,
            syntax: None,
            detail: Detail::None,
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
    /// For [`PartnerUserAgent::new`], the offset in the part named by the kind.
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
        self.syntax.as_ref()
    }
}

struct Message<'a>(&'a PartnerError);

impl fmt::Display for Message<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let error = self.0;
        if let Some(syntax) = &error.syntax {
            return write!(f, "not a partner User-Agent: {syntax}");
        }
        let byte = match error.detail {
            Detail::Byte(byte) => Some(byte),
            _ => None,
        };
        let part = |f: &mut fmt::Formatter<'_>, name: &str, rule: &str| {
            write!(f, "invalid {name} at byte {}", error.offset)?;
            if let Some(byte) = byte {
                write!(f, ": found {}", DescribeByte(byte))?;
            }
            write!(f, "; {rule}")
        };
        const TOKEN: &str = "letters, digits and !#$%&'*+-.^_`|~";
        match error.kind {
            PartnerErrorKind::EmptyCompany if byte.is_none() && !error.has_products() => {
                f.write_str("the company name is empty")
            }
            PartnerErrorKind::EmptyProduct if !error.has_products() => {
                f.write_str("the product name is empty")
            }
            PartnerErrorKind::EmptyVersion => f.write_str("the version is empty"),
            PartnerErrorKind::InvalidCompany => part(
                f,
                "company name",
                &format!("a company name is made of {TOKEN}, without '-'"),
            ),
            PartnerErrorKind::HyphenInCompany => part(
                f,
                "company name",
                "a company name cannot contain '-': the partner User-Agent splits at the \
                 first '-' after `MdePartner-`, so the rest would be read as the product; \
                 leave the hyphen out",
            ),
            PartnerErrorKind::InvalidProduct => part(
                f,
                "product name",
                &format!("a product name is made of {TOKEN}"),
            ),
            PartnerErrorKind::InvalidVersion => {
                part(f, "version", &format!("a version is made of {TOKEN}"))
            }
            PartnerErrorKind::NotUtf8 => part(f, "text", "a partner User-Agent must be UTF-8 text"),
            _ => error.fmt_products(f),
        }
    }
}

impl PartnerError {
    fn has_products(&self) -> bool {
        matches!(self.detail, Detail::Products { .. })
    }

    fn fmt_products(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Detail::Products {
            first,
            next,
            partner_later,
        } = self.detail
        else {
            return f.write_str("not a partner User-Agent");
        };
        write!(f, "not a partner User-Agent: the first product `{first}` ")?;
        match self.kind {
            PartnerErrorKind::MissingPrefix => write!(
                f,
                "does not start with `{PREFIX}` (byte {} differs)",
                self.offset
            )?,
            PartnerErrorKind::PrefixCase => write!(
                f,
                "starts with `{PREFIX}` in other letter case; the prefix is case-sensitive"
            )?,
            PartnerErrorKind::EmptyCompany => {
                write!(f, "has an empty company name at byte {}", self.offset)?
            }
            PartnerErrorKind::MissingProduct => write!(
                f,
                "has no '-' and product name after the company (byte {})",
                self.offset
            )?,
            PartnerErrorKind::EmptyProduct => {
                write!(f, "has an empty product name at byte {}", self.offset)?
            }
            _ => write!(
                f,
                "has no '/' and version after the product name (byte {})",
                self.offset
            )?,
        }
        f.write_str("; expected MdePartner-{Company}-{Product}/{Version}, as in MdePartner-Contoso-ContosoCognito/1.0.0")?;
        if let Some(offset) = partner_later {
            write!(
                f,
                "; a partner product stands at byte {offset}, but it must be the first product"
            )?;
        }
        if let (
            Some((space, next)),
            PartnerErrorKind::MissingProduct | PartnerErrorKind::MissingVersion,
        ) = (next, self.kind)
        {
            write!(
                f,
                "; the space at byte {space} ends the first product, so `{next}` is a separate \
                 product, not part of the partner product: names cannot contain spaces"
            )?;
        }
        Ok(())
    }
}

/// A short copy of part of a value, for error messages, kept inline so errors never allocate.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Excerpt {
    bytes: [u8; Excerpt::CAPACITY],
    len: u8,
    truncated: bool,
}

impl Excerpt {
    const CAPACITY: usize = 40;

    const fn new(value: &[u8], start: usize, end: usize) -> Self {
        let mut bytes = [0; Self::CAPACITY];
        let mut len = 0;
        while len < Self::CAPACITY && start + len < end && start + len < value.len() {
            bytes[len] = value[start + len];
            len += 1;
        }
        Excerpt {
            bytes,
            len: len as u8,
            truncated: start + len < end,
        }
    }
}

impl fmt::Display for Excerpt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let len = usize::from(self.len).min(Self::CAPACITY);
        write!(f, "{}", Escaped(&self.bytes[..len]))?;
        if self.truncated {
            f.write_str("...")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Excerpt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{self}\"")
    }
}

/// A partner User-Agent could not be read from an environment variable.
///
/// ```
/// use mde_partner_ua::PartnerUserAgent;
///
/// std::env::set_var("DOC_EXAMPLE_MDE_UA", "MdePartner-Contoso/1.0");
/// let err = PartnerUserAgent::from_env("DOC_EXAMPLE_MDE_UA").unwrap_err();
/// assert!(err.to_string().starts_with("environment variable DOC_EXAMPLE_MDE_UA: not a partner User-Agent"));
/// assert!(err.partner_error().is_some());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("environment variable {variable}{reason}")]
pub struct FromEnvError {
    variable: String,
    reason: EnvReason,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum EnvReason {
    #[error(" is not set")]
    NotSet,
    #[error(" is not valid Unicode")]
    NotUnicode,
    #[error(": {0}")]
    Invalid(PartnerError),
}

impl FromEnvError {
    /// The name of the variable.
    ///
    /// ```
    /// # use mde_partner_ua::PartnerUserAgent;
    /// let err = PartnerUserAgent::from_env("DOC_EXAMPLE_UNSET_VARIABLE").unwrap_err();
    /// assert_eq!(err.variable(), "DOC_EXAMPLE_UNSET_VARIABLE");
    /// ```
    pub fn variable(&self) -> &str {
        &self.variable
    }

    /// Whether the variable is not set at all.
    ///
    /// ```
    /// # use mde_partner_ua::PartnerUserAgent;
    /// assert!(PartnerUserAgent::from_env("DOC_EXAMPLE_UNSET_VARIABLE").unwrap_err().is_not_set());
    /// ```
    pub fn is_not_set(&self) -> bool {
        matches!(self.reason, EnvReason::NotSet)
    }

    /// When the variable is set but is not a partner User-Agent, why.
    ///
    /// ```
    /// # use mde_partner_ua::PartnerUserAgent;
    /// assert!(PartnerUserAgent::from_env("DOC_EXAMPLE_UNSET_VARIABLE").unwrap_err().partner_error().is_none());
    /// ```
    pub fn partner_error(&self) -> Option<&PartnerError> {
        match &self.reason {
            EnvReason::Invalid(error) => Some(error),
            _ => None,
        }
    }
}

/// Whether `value` is a partner User-Agent. Builds no error, so a valid value costs only the
/// checks; [`partner_parts`] says why when it is not.
#[inline]
pub(crate) fn is_partner(value: &[u8]) -> bool {
    match automaton::verdict(value) {
        Verdict::Partner => true,
        Verdict::Valid => false,
        Verdict::Unknown => match grammar::exact_scan(value) {
            Ok(first) => split_partner_product(value, first).is_ok(),
            Err(_) => false,
        },
    }
}

/// Why `value` is not a partner User-Agent, or `None` when it is one. Allocates nothing.
pub(crate) fn partner_error(value: &[u8]) -> Option<PartnerError> {
    partner_parts(value).err()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partner_product_that_is_not_first_is_pointed_out() {
        let err = "curl/8.5.0 MdePartner-Contoso-ContosoCognito/1.0.0"
            .parse::<PartnerUserAgent>()
            .unwrap_err();
        assert_eq!(err.kind(), PartnerErrorKind::MissingPrefix);
        let message = err.to_string();
        assert!(
            message.contains("a partner product stands at byte 11, but it must be the first"),
            "{message}"
        );

        let err = "curl/8.5.0 (MdePartner-X-Y/1)"
            .parse::<PartnerUserAgent>()
            .unwrap_err();
        assert!(!err.to_string().contains("stands at"), "{err}");
    }
}
