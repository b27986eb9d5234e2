//! The partner User-Agent value: `MdePartner-{Company}-{Product}/{Version}`.

pub(crate) mod error;
pub(crate) mod rule;

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use bytes::Bytes;
use http::HeaderValue;

use crate::bytes::{is_tchar, PREFIX};
use error::{PartnerError, PartnerErrorKind};
use rule::Parts;

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
/// assert!(err.to_string().contains(r#""Ltd-Cognito/1.0" is a separate product"#));
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

/// The text of a value made at run time, as the bytes its header value shares.
struct SharedText(Arc<str>);

impl AsRef<[u8]> for SharedText {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

#[derive(Clone)]
enum Text {
    Static(&'static str),
    Shared(Arc<str>),
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
    /// its header value points at the static string. Like it, it takes visible ASCII, spaces
    /// and tabs only: a value with text beyond ASCII in a comment, which RFC 9110 allows, is
    /// made at run time with [`parse`](str::parse) or `TryFrom`.
    ///
    /// # Panics
    ///
    /// Panics if `value` is not a partner User-Agent, or holds a byte outside visible ASCII,
    /// with a message that names the rule. In a `const` item that panic is a compile error, so
    /// an invalid value never reaches a running program:
    ///
    /// ```compile_fail
    /// use mde_partner_ua::PartnerUserAgent;
    ///
    /// const UA: PartnerUserAgent = PartnerUserAgent::from_static("MdePartner-Contoso Ltd-Cognito/1.0");
    /// ```
    ///
    /// ```compile_fail
    /// use mde_partner_ua::PartnerUserAgent;
    ///
    /// // error: PartnerUserAgent::from_static takes visible ASCII, spaces and tabs only [...]
    /// const UA: PartnerUserAgent = PartnerUserAgent::from_static("MdePartner-A-B/1 (Zürich)");
    /// ```
    ///
    /// # Examples
    ///
    /// ```
    /// use mde_partner_ua::PartnerUserAgent;
    ///
    /// const UA: PartnerUserAgent = PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");
    /// assert_eq!(UA.header_value(), "MdePartner-Contoso-ContosoCognito/1.0.0");
    ///
    /// // Text beyond ASCII, at run time:
    /// let ua: PartnerUserAgent = "MdePartner-A-B/1 (Zürich)".parse().unwrap();
    /// assert_eq!(ua.company(), "A");
    /// ```
    pub const fn from_static(value: &'static str) -> Self {
        let bytes = value.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] >= 0x80 {
                panic!(
                    "PartnerUserAgent::from_static takes visible ASCII, spaces and tabs only, as \
                     HeaderValue::from_static does: this value holds a byte beyond ASCII; make it \
                     at run time with parse or TryFrom, which take such text in comments"
                );
            }
            i += 1;
        }
        let parts = match rule::check(bytes) {
            Ok(parts) => parts,
            Err(rule::Refusal::Syntax(_)) => panic!("{}", PartnerErrorKind::Syntax.rule()),
            Err(rule::Refusal::NotPartner { kind, .. }) => panic!("{}", kind.rule()),
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
            .map_err(|error| fail(EnvReason::Invalid(Box::new(error))))
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
        let parts = parts(text.as_bytes())?;
        // The header value shares the text rather than copying it. The grammar refuses every
        // byte that a header value refuses, so this cannot fail.
        let shared = Bytes::from_owner(SharedText(text.clone()));
        let header = HeaderValue::from_maybe_shared(shared)
            .map_err(|_| PartnerError::new(PartnerErrorKind::Syntax, 0))?;
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

/// Checks one part given to [`PartnerUserAgent::new`], to name the part and the byte in the
/// error; the whole value then goes through the partner rule like any other.
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
        let kind = if !is_tchar(byte) {
            invalid
        } else if matches!(part, Part::Company) && !rule::is_company_byte(byte) {
            PartnerErrorKind::HyphenInCompany
        } else {
            continue;
        };
        return Err(PartnerError::with_byte(kind, offset, byte));
    }
    Ok(())
}

/// The partner parts of `value`, or why it is not a partner User-Agent.
fn parts(value: &[u8]) -> Result<Parts, PartnerError> {
    rule::check(value).map_err(|refusal| PartnerError::refused(value, refusal))
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
                let parts = parts(bytes)?;
                Ok(PartnerUserAgent {
                    header: header.clone(),
                    text: Text::Shared(Arc::from(text)),
                    parts,
                })
            }
            Err(utf8) => {
                // Report a grammar error first when there is one: it is the more useful.
                parts(bytes)?;
                let offset = utf8.valid_up_to();
                Err(match bytes.get(offset) {
                    Some(&byte) => PartnerError::with_byte(PartnerErrorKind::NotUtf8, offset, byte),
                    None => PartnerError::new(PartnerErrorKind::NotUtf8, offset),
                })
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

/// Compares the text, as [`HeaderValue`] does, with `str`, `&str` and `String` on either side.
///
/// ```
/// # use mde_partner_ua::PartnerUserAgent;
/// let ua = PartnerUserAgent::from_static("MdePartner-A-B/1");
/// assert!(ua == "MdePartner-A-B/1" && "MdePartner-A-B/1" == ua);
/// assert!(ua == String::from("MdePartner-A-B/1") && String::from("MdePartner-A-B/1") == ua);
/// assert!(ua != *"MdePartner-A-B/2");
/// ```
impl PartialEq<str> for PartnerUserAgent {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for PartnerUserAgent {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for PartnerUserAgent {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<PartnerUserAgent> for str {
    fn eq(&self, other: &PartnerUserAgent) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<PartnerUserAgent> for &str {
    fn eq(&self, other: &PartnerUserAgent) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<PartnerUserAgent> for String {
    fn eq(&self, other: &PartnerUserAgent) -> bool {
        self == other.as_str()
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
    Invalid(Box<PartnerError>),
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
