//! Stamp the partner User-Agent on every outgoing request.
//!
//! # Example
//!
//! ```
//! use http::{header::USER_AGENT, Request, Response};
//! use mde_partner_ua::{PartnerUserAgent, PartnerUserAgentLayer};
//! use std::convert::Infallible;
//! use tower::{service_fn, Service, ServiceBuilder, ServiceExt};
//!
//! const UA: PartnerUserAgent = PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Infallible> {
//! // Stands for an HTTP client: answers with the User-Agent it was given.
//! let client = service_fn(|request: Request<()>| async move {
//!     Ok::<_, Infallible>(Response::new(request.headers()[USER_AGENT].clone()))
//! });
//!
//! let mut client = ServiceBuilder::new()
//!     .layer(PartnerUserAgentLayer::new(UA))
//!     .service(client);
//!
//! let request = Request::get("https://api.security.microsoft.com/api/alerts")
//!     .header(USER_AGENT, "curl/8.5.0")
//!     .body(())
//!     .unwrap();
//! let response = client.ready().await?.call(request).await?;
//! assert_eq!(response.body(), "MdePartner-Contoso-ContosoCognito/1.0.0");
//! # Ok(())
//! # }
//! ```
//!
//! # Policies
//!
//! - [`PartnerUserAgentLayer::new`] replaces: every request leaves with exactly one
//!   `User-Agent` field, the partner value, whatever the caller set.
//! - [`PartnerUserAgentLayer::prepend`] keeps what the caller set after the partner value, in
//!   one field: `MdePartner-Contoso-ContosoCognito/1.0.0 curl/8.5.0`; see
//!   [the merge](PartnerUserAgentLayer::prepend) for the details.
//! - A [`PartnerUserAgent`] in a request's extensions replaces the layer's value for that
//!   request, under either policy.
//! - [`PartnerUserAgentLayer::only_for`] limits the layer to the hosts of a [`HostScope`]; a
//!   request whose host the layer cannot tell (tonic's relative URIs) is stamped unless the
//!   scope says [`UnknownHost::OutOfScope`](crate::UnknownHost::OutOfScope).

use std::fmt;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::header::USER_AGENT;
use http::{HeaderMap, HeaderValue};
use tower_layer::Layer;
use tower_service::Service;

use crate::bytes::is_white;
use crate::fmt::Quoted;
use crate::grammar::{self, SyntaxError};
use crate::partner::rule::{looks_like_partner_product, may_name_a_partner};
use crate::rfc2616;
use crate::{HostScope, OutgoingRequest, PartnerUserAgent};

/// Fields past this many are dropped by [`PartnerUserAgentLayer::prepend`] with a warning.
const MAX_MERGED_FIELDS: usize = 64;

/// How the partner value is put on a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Policy {
    Replace,
    Prepend,
}

/// Layer that stamps the partner User-Agent on every request; see the
/// [module documentation](self).
///
/// # Example
///
/// ```
/// use mde_partner_ua::{HostScope, PartnerUserAgent, PartnerUserAgentLayer};
///
/// const UA: PartnerUserAgent = PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");
/// let layer = PartnerUserAgentLayer::prepend(UA).only_for(HostScope::commercial());
/// ```
#[derive(Debug, Clone)]
pub struct PartnerUserAgentLayer {
    user_agent: PartnerUserAgent,
    policy: Policy,
    scope: Option<HostScope>,
    /// Replace, with no scope: decided when the layer is built, read once per request.
    replaces_everywhere: bool,
}

impl PartnerUserAgentLayer {
    fn with_policy(user_agent: PartnerUserAgent, policy: Policy) -> Self {
        PartnerUserAgentLayer {
            user_agent,
            policy,
            scope: None,
            replaces_everywhere: policy == Policy::Replace,
        }
    }

    /// Replaces: every request leaves with exactly one `User-Agent` field, equal to
    /// `user_agent`, whatever the caller set.
    ///
    /// ```
    /// # use mde_partner_ua::{PartnerUserAgent, PartnerUserAgentLayer};
    /// let layer = PartnerUserAgentLayer::new(PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0"));
    /// ```
    pub fn new(user_agent: PartnerUserAgent) -> Self {
        Self::with_policy(user_agent, Policy::Replace)
    }

    /// Prepends: the partner value first, then what the caller's request carried, in one field
    /// joined by a single space. The value sent carries no partner product of the caller's: the
    /// partner value's comes first, and the caller's are dropped:
    ///
    /// - No caller value: the request leaves with exactly `user_agent`.
    /// - Several caller fields are merged, in order, into the one field; the first 64 are read,
    ///   and fields past the 64th are dropped.
    /// - A caller field that is valid under RFC 2616, section 14.43 (the rule Microsoft's guide
    ///   names) but not under RFC 9110 (`Mozilla/5.0(Windows NT 10.0)`, `foo / 1.0`,
    ///   `(Android)(10)`) is kept in RFC 9110 form: its products and comments in order, with one
    ///   space between elements and none around a `/`; only white space changes.
    /// - A caller field that is valid under neither is dropped.
    /// - A caller value that starts with `user_agent` itself (a retried request, a layer applied
    ///   twice) loses that start, so it is not sent twice: applying the layer again changes
    ///   nothing.
    /// - Every other product of the caller's that names itself a partner product
    ///   (`MdePartner-…`, or the legacy `MdatpPartner-…`, in any letter case) is dropped with the
    ///   comments right after it, wherever it stands: a request never carries two partner
    ///   products.
    /// - What remains of an RFC 9110 caller value is kept byte for byte.
    ///
    /// Anything dropped or rewritten is reported in one `tracing` warning per request, with
    /// counts, the reasons and quoted excerpts of at most 200 bytes of the first field dropped
    /// and the first rewritten. Allocates once per request that carries a caller value to merge,
    /// nothing otherwise.
    ///
    /// ```
    /// # use http::header::USER_AGENT;
    /// # use mde_partner_ua::{PartnerUserAgent, PartnerUserAgentLayer};
    /// # use tower::{Layer, ServiceExt};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// const UA: PartnerUserAgent = PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");
    /// let echo = tower::service_fn(|r: http::Request<()>| async move {
    ///     Ok::<_, std::convert::Infallible>(r.headers()[USER_AGENT].clone())
    /// });
    /// let send = |caller: &'static str| {
    ///     let request = http::Request::get("/").header(USER_AGENT, caller).body(()).unwrap();
    ///     PartnerUserAgentLayer::prepend(UA).layer(echo.clone()).oneshot(request)
    /// };
    /// assert_eq!(send("curl/8.5.0").await.unwrap(), "MdePartner-Contoso-ContosoCognito/1.0.0 curl/8.5.0");
    /// assert_eq!(
    ///     send("Mozilla/5.0(Windows NT 10.0)").await.unwrap(),
    ///     "MdePartner-Contoso-ContosoCognito/1.0.0 Mozilla/5.0 (Windows NT 10.0)",
    /// );
    /// assert_eq!(
    ///     send("curl/8.5.0 MdatpPartner-Contoso-ContosoCognito/1.0.0 (old)").await.unwrap(),
    ///     "MdePartner-Contoso-ContosoCognito/1.0.0 curl/8.5.0",
    /// );
    /// # }
    /// ```
    pub fn prepend(user_agent: PartnerUserAgent) -> Self {
        Self::with_policy(user_agent, Policy::Prepend)
    }

    /// Acts only on requests to the hosts of `scope`; other requests pass untouched. A request
    /// whose host the layer cannot tell (a relative URI without `Host`, as tonic's generated
    /// clients send) is stamped, unless `scope` says
    /// [`UnknownHost::OutOfScope`](crate::UnknownHost::OutOfScope).
    ///
    /// ```
    /// # use mde_partner_ua::{HostScope, PartnerUserAgent, PartnerUserAgentLayer};
    /// let layer = PartnerUserAgentLayer::new(PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0"))
    ///     .only_for(HostScope::commercial().with(HostScope::gcc()));
    /// ```
    pub fn only_for(mut self, scope: HostScope) -> Self {
        self.scope = Some(scope);
        self.replaces_everywhere = false;
        self
    }

    /// Puts the partner value on `request`, by this layer's policy and scope; `per_request`, or
    /// else the request's own [`PartnerUserAgent`], replaces the layer's value. The one place
    /// where requests are stamped, for the service and the reqwest middleware alike.
    #[inline]
    pub(crate) fn stamp<R: OutgoingRequest>(
        &self,
        request: &mut R,
        per_request: Option<&PartnerUserAgent>,
    ) {
        // Replacing everywhere, the common case, is an insert and nothing more.
        if self.replaces_everywhere {
            let value = per_request
                .or_else(|| request.partner_user_agent())
                .unwrap_or(&self.user_agent)
                .header_value()
                .clone();
            request.headers_mut().insert(USER_AGENT, value);
        } else {
            self.stamp_scoped_or_merged(request, per_request);
        }
    }

    fn stamp_scoped_or_merged<R: OutgoingRequest>(
        &self,
        request: &mut R,
        per_request: Option<&PartnerUserAgent>,
    ) {
        if let Some(scope) = &self.scope {
            if !scope.covers(request) {
                return;
            }
        }
        let user_agent = per_request
            .or_else(|| request.partner_user_agent())
            .unwrap_or(&self.user_agent);
        let value = match self.policy {
            Policy::Replace => Some(user_agent.header_value().clone()),
            Policy::Prepend => prepended(request.headers(), user_agent),
        };
        if let Some(value) = value {
            request.headers_mut().insert(USER_AGENT, value);
        }
    }
}

impl<S> Layer<S> for PartnerUserAgentLayer {
    type Service = SetPartnerUserAgent<S>;

    fn layer(&self, inner: S) -> Self::Service {
        SetPartnerUserAgent {
            inner,
            layer: self.clone(),
        }
    }
}

/// Middleware that stamps the partner User-Agent on every request; see the
/// [module documentation](self).
///
/// It only changes the request, so its future is the inner service's.
///
/// # Example
///
/// ```
/// use mde_partner_ua::{PartnerUserAgent, SetPartnerUserAgent};
/// use tower::service_fn;
///
/// let client = service_fn(|_request: http::Request<()>| async { Ok::<_, std::convert::Infallible>(()) });
/// let client = SetPartnerUserAgent::new(client, PartnerUserAgent::from_static("MdePartner-A-B/1"));
/// ```
#[derive(Debug, Clone)]
pub struct SetPartnerUserAgent<S> {
    inner: S,
    layer: PartnerUserAgentLayer,
}

impl<S> SetPartnerUserAgent<S> {
    /// Wraps `inner`, replacing the User-Agent of every request; see
    /// [`PartnerUserAgentLayer::new`].
    pub fn new(inner: S, user_agent: PartnerUserAgent) -> Self {
        PartnerUserAgentLayer::new(user_agent).layer(inner)
    }

    /// Wraps `inner`, prepending to the User-Agent of every request; see
    /// [`PartnerUserAgentLayer::prepend`].
    pub fn prepend(inner: S, user_agent: PartnerUserAgent) -> Self {
        PartnerUserAgentLayer::prepend(user_agent).layer(inner)
    }

    define_inner_service_accessors!();
}

impl<S, R> Service<R> for SetPartnerUserAgent<S>
where
    S: Service<R>,
    R: OutgoingRequest,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    #[inline]
    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    #[inline]
    fn call(&mut self, mut request: R) -> Self::Future {
        self.layer.stamp(&mut request, None);
        self.inner.call(request)
    }
}

/// The value that puts `user_agent` before what `headers` carry (see
/// [`PartnerUserAgentLayer::prepend`]), or `None` when the one field there is right as it is.
fn prepended(headers: &HeaderMap, user_agent: &PartnerUserAgent) -> Option<HeaderValue> {
    let ours = user_agent.header_value().as_bytes();
    // Looked up once, walked as often as needed.
    let all = headers.get_all(USER_AGENT);
    let mut fields = all.iter();
    let Some(first) = fields.next() else {
        return Some(user_agent.header_value().clone());
    };
    let only_field = fields.next().is_none();
    let mut merge = Merge::new(ours);
    for (i, field) in all.iter().enumerate() {
        merge.count(i, field.as_bytes());
    }
    if let Some(report) = &merge.report {
        report.warn();
    } else if only_field && first.as_bytes().starts_with(ours) {
        // The caller's one field is ours, followed by nothing or by what it keeps as it is.
        return None;
    }
    if merge.len == 0 {
        return Some(user_agent.header_value().clone());
    }
    let mut merged = Vec::with_capacity(ours.len() + merge.len);
    merged.extend_from_slice(ours);
    for (i, field) in all.iter().enumerate() {
        merge.copy(i, field.as_bytes(), &mut merged);
    }
    // Valid User-Agents joined by single spaces make a valid User-Agent, which is always a valid
    // header value; should that ever fail, the partner value alone is still right.
    Some(
        HeaderValue::from_maybe_shared(Bytes::from(merged))
            .unwrap_or_else(|_| user_agent.header_value().clone()),
    )
}

/// The caller's fields as [`PartnerUserAgentLayer::prepend`] merges them: how long the merged
/// value is, how each field is kept, and what was dropped or rewritten, for the one warning.
struct Merge<'a> {
    ours: &'a [u8],
    /// Bytes of the merged value after `ours`, separating spaces included.
    len: usize,
    /// How each of the first 64 fields is kept, bit `i` for field `i`: valid RFC 9110, and then
    /// whole (naming no partner product); or valid under RFC 2616 only.
    rfc9110: u64,
    whole: u64,
    rfc2616: u64,
    report: Option<Report<'a>>,
}

/// What [`Merge`] dropped or rewrote: counts, and the first field of each with why.
struct Report<'a> {
    excess: usize,
    invalid: usize,
    partner_products: usize,
    rewritten: usize,
    first_dropped: Option<(&'a [u8], Reason)>,
    first_rewritten: Option<(&'a [u8], SyntaxError)>,
}

enum Reason {
    Invalid(SyntaxError),
    PartnerProduct,
    Excess,
}

/// How a caller field that is kept is read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    /// A valid RFC 9110 User-Agent that names no partner product: kept whole, byte for byte.
    Whole,
    /// A valid RFC 9110 User-Agent: kept byte for byte, but for its partner products.
    Rfc9110,
    /// Valid under RFC 2616 only: its products and comments are kept, in order, with RFC 9110's
    /// white space (one space between elements, none around a `/`).
    Rfc2616,
}

impl<'a> Merge<'a> {
    fn new(ours: &'a [u8]) -> Self {
        Merge {
            ours,
            len: 0,
            rfc9110: 0,
            whole: 0,
            rfc2616: 0,
            report: None,
        }
    }

    /// Counts field `i`: how much of it is kept, and what is dropped or rewritten.
    fn count(&mut self, i: usize, field: &'a [u8]) {
        if i >= MAX_MERGED_FIELDS {
            self.dropped(field, Reason::Excess, 1);
            return;
        }
        let mut rewritten_because = None;
        let form = match grammar::validate(field) {
            Ok(()) => {
                self.rfc9110 |= 1 << i;
                if may_name_a_partner(after_ours(self.ours, i, field)) {
                    Form::Rfc9110
                } else {
                    self.whole |= 1 << i;
                    Form::Whole
                }
            }
            // A quoted control byte is RFC 2616 that white space cannot fix; no header value
            // holds one anyway.
            Err(error) if error.is_valid_rfc2616() && !rfc2616::has_control_byte(field) => {
                self.rfc2616 |= 1 << i;
                rewritten_because = Some(error);
                Form::Rfc2616
            }
            Err(error) => {
                self.dropped(field, Reason::Invalid(error), 1);
                return;
            }
        };
        let mut partner_products = 0;
        let mut len = 0;
        each_span(self.ours, i, field, form, |span| match span {
            Span::PartnerProduct => partner_products += 1,
            kept => len += kept.len(),
        });
        self.len += len;
        if partner_products > 0 {
            self.dropped(field, Reason::PartnerProduct, partner_products);
        }
        // Reported as rewritten only when some of it is sent.
        if let (Some(error), true) = (rewritten_because, len > 0) {
            self.rewritten(field, error);
        }
    }

    /// Appends the spans of field `i` that are kept to `merged`, each after a space.
    fn copy(&self, i: usize, field: &[u8], merged: &mut Vec<u8>) {
        if i >= MAX_MERGED_FIELDS {
            return;
        }
        let bit = 1 << i;
        let form = if self.whole & bit != 0 {
            Form::Whole
        } else if self.rfc9110 & bit != 0 {
            Form::Rfc9110
        } else if self.rfc2616 & bit != 0 {
            Form::Rfc2616
        } else {
            return;
        };
        each_span(self.ours, i, field, form, |span| span.write(merged));
    }

    fn report(&mut self) -> &mut Report<'a> {
        self.report.get_or_insert(Report {
            excess: 0,
            invalid: 0,
            partner_products: 0,
            rewritten: 0,
            first_dropped: None,
            first_rewritten: None,
        })
    }

    fn dropped(&mut self, field: &'a [u8], reason: Reason, count: usize) {
        let report = self.report();
        match reason {
            Reason::Excess => report.excess += count,
            Reason::Invalid(_) => report.invalid += count,
            Reason::PartnerProduct => report.partner_products += count,
        }
        report.first_dropped.get_or_insert((field, reason));
    }

    fn rewritten(&mut self, field: &'a [u8], error: SyntaxError) {
        let report = self.report();
        report.rewritten += 1;
        report.first_rewritten.get_or_insert((field, error));
    }
}

impl Report<'_> {
    /// The one warning of a request from which something was dropped or rewritten: bounded,
    /// whatever the caller sent.
    #[cold]
    fn warn(&self) {
        tracing::warn!(
            invalid_fields = self.invalid,
            fields_past_64 = self.excess,
            partner_products = self.partner_products,
            rewritten_fields = self.rewritten,
            first_dropped = self
                .first_dropped
                .as_ref()
                .map(|(field, _)| tracing::field::debug(Quoted(field))),
            first_rewritten = self
                .first_rewritten
                .as_ref()
                .map(|(field, _)| tracing::field::debug(Quoted(field))),
            "{self}"
        );
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((_, reason)) = &self.first_dropped {
            f.write_str(
                "prepend dropped part of the caller's User-Agent; the first part dropped: ",
            )?;
            match reason {
                Reason::Invalid(error) => write!(f, "{error}")?,
                Reason::PartnerProduct => f.write_str(
                    "it holds a partner product other than the partner value, which replaces it",
                )?,
                Reason::Excess => f.write_str("only the first 64 fields are merged")?,
            }
        }
        if let Some((field, error)) = &self.first_rewritten {
            f.write_str(if self.first_dropped.is_some() {
                "; and prepend "
            } else {
                "prepend "
            })?;
            write!(
                f,
                "kept {} caller field{} valid under RFC 2616 but not RFC 9110 in RFC 9110 form, \
                 changing white space only; the first, {}: {error}",
                self.rewritten,
                if self.rewritten == 1 { "" } else { "s" },
                Quoted(field),
            )?;
        }
        Ok(())
    }
}

/// A piece of a caller field that is kept or dropped, as the merge sees it.
enum Span<'v> {
    /// Kept, byte for byte.
    Kept(&'v [u8]),
    /// An element of a field valid under RFC 2616 only, kept without its white space: a
    /// comment, or a product's name, then its version after a `/`.
    Rewritten(&'v [u8], Option<&'v [u8]>),
    /// A partner product, dropped with the comments right after it.
    PartnerProduct,
}

impl Span<'_> {
    /// How many bytes the span adds to the merged value, with the space before it.
    fn len(&self) -> usize {
        match self {
            Span::Kept(bytes) => 1 + bytes.len(),
            Span::Rewritten(name, version) => 1 + name.len() + version.map_or(0, |v| 1 + v.len()),
            Span::PartnerProduct => 0,
        }
    }

    /// Appends the span, after a space, to `merged`.
    fn write(&self, merged: &mut Vec<u8>) {
        match self {
            Span::Kept(bytes) => {
                merged.push(b' ');
                merged.extend_from_slice(bytes);
            }
            Span::Rewritten(name, version) => {
                merged.push(b' ');
                merged.extend_from_slice(name);
                if let Some(version) = version {
                    merged.push(b'/');
                    merged.extend_from_slice(version);
                }
            }
            Span::PartnerProduct => {}
        }
    }
}

/// The valid RFC 9110 field `i` without a start equal to `ours`, which only the first field
/// loses, and without counting it as dropped: a retried request, or a layer applied twice.
fn after_ours<'v>(ours: &[u8], i: usize, field: &'v [u8]) -> &'v [u8] {
    if i == 0 {
        if let Some(after) = field.strip_prefix(ours) {
            if after.first().is_none_or(|&b| is_white(b)) {
                return after;
            }
        }
    }
    field
}

/// The field `i`, valid under RFC 2616 only, without a start equal to `ours` that ends where an
/// element does (before white space, before a comment, or after one), as for [`after_ours`].
fn after_ours_rfc2616<'v>(ours: &[u8], i: usize, field: &'v [u8]) -> &'v [u8] {
    if i == 0 {
        if let Some(after) = field.strip_prefix(ours) {
            let ends_an_element = ours.last() == Some(&b')')
                || after.first().is_none_or(|&b| is_white(b) || b == b'(');
            if ends_an_element {
                return after;
            }
        }
    }
    field
}

/// Walks field `i`, read in `form`, and hands out, in order, the spans kept and the partner
/// products dropped. The first field loses a start equal to `ours` without counting it as
/// dropped; any other partner product is dropped wherever it stands.
fn each_span<'v>(
    ours: &[u8],
    i: usize,
    field: &'v [u8],
    form: Form,
    mut each: impl FnMut(Span<'v>),
) {
    if form == Form::Rfc2616 {
        let rest = after_ours_rfc2616(ours, i, field);
        let mut dropping = false;
        for element in rfc2616::elements(rest) {
            if !element.is_comment {
                dropping = looks_like_partner_product(element.name(rest));
                if dropping {
                    each(Span::PartnerProduct);
                }
            }
            if !dropping {
                each(Span::Rewritten(element.name(rest), element.version(rest)));
            }
        }
        return;
    }
    let rest = after_ours(ours, i, field);
    if form == Form::Whole {
        // The usual case: nothing to drop, the field is kept whole.
        let start = rest
            .iter()
            .position(|&b| !is_white(b))
            .unwrap_or(rest.len());
        if start < rest.len() {
            each(Span::Kept(&rest[start..]));
        }
        return;
    }
    let mut run: Option<(usize, usize)> = None;
    let mut dropping = false;
    for element in grammar::elements(rest) {
        if !element.is_comment {
            dropping = looks_like_partner_product(&rest[element.start..element.end]);
            if dropping {
                if let Some((start, end)) = run.take() {
                    each(Span::Kept(&rest[start..end]));
                }
                each(Span::PartnerProduct);
            }
        }
        if !dropping {
            run = Some(match run {
                Some((start, _)) => (start, element.end),
                None => (element.start, element.end),
            });
        }
    }
    if let Some((start, end)) = run {
        each(Span::Kept(&rest[start..end]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::header::HOST;
    use http::Request;
    use std::convert::Infallible;
    use tower::{service_fn, ServiceExt};

    const UA: PartnerUserAgent =
        PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");

    /// Sends `request` through `layer` and returns the `User-Agent` fields that leave it.
    async fn sent(layer: PartnerUserAgentLayer, request: Request<()>) -> Vec<String> {
        let echo = service_fn(|request: Request<()>| async move { Ok::<_, Infallible>(request) });
        let request = layer.layer(echo).oneshot(request).await.unwrap();
        request
            .headers()
            .get_all(USER_AGENT)
            .iter()
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
            .collect()
    }

    fn request(user_agents: &[&[u8]]) -> Request<()> {
        let mut request = Request::get("https://api.security.microsoft.com/api/alerts")
            .body(())
            .unwrap();
        for value in user_agents {
            let value = HeaderValue::from_bytes(value).unwrap();
            request.headers_mut().append(USER_AGENT, value);
        }
        request
    }

    #[tokio::test]
    async fn replace_leaves_exactly_one_field_whatever_the_caller_set() {
        for fields in [&[][..], &[&b"curl/8.5.0"[..]], &[b"a/1", b"b/2", b"c (d"]] {
            let sent = sent(PartnerUserAgentLayer::new(UA), request(fields)).await;
            assert_eq!(sent, [UA.as_str()], "caller set {fields:?}");
        }
    }

    #[tokio::test]
    async fn prepend_puts_the_partner_value_first_in_one_field() {
        let sent = sent(
            PartnerUserAgentLayer::prepend(UA),
            request(&[b"curl/8.5.0"]),
        )
        .await;
        assert_eq!(sent, ["MdePartner-Contoso-ContosoCognito/1.0.0 curl/8.5.0"]);
    }

    #[tokio::test]
    async fn prepend_without_a_caller_value_sends_the_partner_value() {
        let sent = sent(PartnerUserAgentLayer::prepend(UA), request(&[])).await;
        assert_eq!(sent, [UA.as_str()]);
    }

    #[tokio::test]
    async fn prepend_merges_several_caller_fields_in_order() {
        let caller: &[&[u8]] = &[b"curl/8.5.0", b"(Linux; x86_64)x", b"hyper/1.12.0 (h2)"];
        let sent = sent(PartnerUserAgentLayer::prepend(UA), request(caller)).await;
        // The middle field is RFC 2616, not RFC 9110 (a comment first, no space after it): it
        // is kept in RFC 9110 form.
        assert_eq!(
            sent,
            ["MdePartner-Contoso-ContosoCognito/1.0.0 curl/8.5.0 (Linux; x86_64) x hyper/1.12.0 (h2)"]
        );
    }

    #[tokio::test]
    async fn prepend_drops_an_invalid_caller_value() {
        for invalid in [&b"curl/8.5.0 "[..], b"a, b", b"(unclosed", b"x (\x80"] {
            let sent = sent(PartnerUserAgentLayer::prepend(UA), request(&[invalid])).await;
            assert_eq!(sent, [UA.as_str()], "caller set {invalid:?}");
        }
    }

    #[tokio::test]
    async fn prepend_keeps_an_rfc2616_value_in_rfc9110_form() {
        let cases: [(&[&[u8]], &str); 7] = [
            (
                &[b"Mozilla/5.0(Windows NT 10.0)"],
                "Mozilla/5.0 (Windows NT 10.0)",
            ),
            (&[b"foo / 1.0"], "foo/1.0"),
            (&[b"a/1(b)(c)d/2"], "a/1 (b) (c) d/2"),
            (
                &[b"(Android)(10)(Samsung GT-I8530)"],
                "(Android) (10) (Samsung GT-I8530)",
            ),
            // White space inside a comment is the comment's own, and stays.
            (&[b"a \t/\t1\t(b  c)d"], "a/1 (b  c) d"),
            // Among RFC 9110 fields, which stay byte for byte.
            (&[b"x/1\t(y)", b"(z)w", b"v  u"], "x/1\t(y) (z) w v  u"),
            // A partner product goes with the comments after it, as in an RFC 9110 field.
            (&[b"a(b)MdePartner-X-Y/1(c)d"], "a (b) d"),
        ];
        for (caller, expected) in cases {
            let once = sent(PartnerUserAgentLayer::prepend(UA), request(caller)).await;
            assert_eq!(once, [format!("{} {expected}", UA.as_str())], "{caller:?}");
            let twice = sent(
                PartnerUserAgentLayer::prepend(UA),
                request(&[once[0].as_bytes()]),
            )
            .await;
            assert_eq!(twice, once, "applied twice to {caller:?}");
        }
    }

    #[tokio::test]
    async fn prepend_still_drops_a_value_invalid_under_both_rfcs() {
        for invalid in [&b"a/1/2"[..], b"a (b", b" a", b"a,b", b"a (b\\)"] {
            let sent = sent(PartnerUserAgentLayer::prepend(UA), request(&[invalid])).await;
            assert_eq!(sent, [UA.as_str()], "caller set {invalid:?}");
        }
    }

    #[tokio::test]
    async fn prepend_twice_or_on_a_retry_never_repeats_the_partner_product() {
        let once = sent(
            PartnerUserAgentLayer::prepend(UA),
            request(&[b"curl/8.5.0"]),
        )
        .await;
        let twice = sent(
            PartnerUserAgentLayer::prepend(UA),
            request(&[once[0].as_bytes()]),
        )
        .await;
        assert_eq!(twice, once);

        let with_extra = sent(
            PartnerUserAgentLayer::prepend(UA),
            request(&[
                b"MdePartner-Contoso-ContosoCognito/1.0.0 (retry)",
                b"curl/8.5.0",
            ]),
        )
        .await;
        assert_eq!(
            with_extra,
            ["MdePartner-Contoso-ContosoCognito/1.0.0 (retry) curl/8.5.0"]
        );
    }

    #[tokio::test]
    async fn an_rfc2616_caller_value_loses_a_start_equal_to_the_partner_value() {
        const WITH_PRODUCT: PartnerUserAgent = PartnerUserAgent::from_static("MdePartner-A-B/1 x");
        let cases: [(PartnerUserAgent, &[u8], &str); 4] = [
            (
                WITH_PRODUCT,
                b"MdePartner-A-B/1 x(y)",
                "MdePartner-A-B/1 x (y)",
            ),
            (
                WITH_PRODUCT,
                b"MdePartner-A-B/1 x foo / 2",
                "MdePartner-A-B/1 x foo/2",
            ),
            (
                UA,
                b"MdePartner-Contoso-ContosoCognito/1.0.0(retry)",
                "MdePartner-Contoso-ContosoCognito/1.0.0 (retry)",
            ),
            // Another partner product is still dropped, with its comment.
            (
                UA,
                b"MdePartner-X-Y/1(c)d/2",
                "MdePartner-Contoso-ContosoCognito/1.0.0 d/2",
            ),
        ];
        for (layer_value, caller, expected) in cases {
            let once = sent(
                PartnerUserAgentLayer::prepend(layer_value.clone()),
                request(&[caller]),
            )
            .await;
            assert_eq!(
                once,
                [expected],
                "caller set {:?}",
                String::from_utf8_lossy(caller)
            );
            let twice = sent(
                PartnerUserAgentLayer::prepend(layer_value),
                request(&[once[0].as_bytes()]),
            )
            .await;
            assert_eq!(twice, once);
        }
    }

    #[test]
    fn the_warning_says_rewritten_only_for_what_is_sent() {
        let headers = |value: &'static [u8]| {
            let mut headers = HeaderMap::new();
            headers.insert(
                USER_AGENT,
                HeaderValue::from_static(std::str::from_utf8(value).unwrap()),
            );
            headers
        };
        let counts = |value: &'static [u8]| {
            let headers = headers(value);
            let ua = UA;
            let mut merge = Merge::new(ua.as_str().as_bytes());
            for (i, field) in headers.get_all(USER_AGENT).iter().enumerate() {
                merge.count(i, field.as_bytes());
            }
            let report = merge.report.expect("a report");
            (
                report.rewritten,
                report.partner_products,
                report.to_string(),
            )
        };
        // All of it is a partner product: dropped, not kept.
        let (rewritten, dropped, message) = counts(b"MdePartner-X-Y/1(c)");
        assert_eq!((rewritten, dropped), (0, 1), "{message}");
        assert!(!message.contains("kept"), "{message}");
        let (rewritten, _, message) = counts(b"a/1(c)");
        assert_eq!(rewritten, 1);
        assert!(message.contains("kept 1 caller field"), "{message}");
    }

    #[tokio::test]
    async fn prepend_never_sends_a_second_partner_product() {
        const OTHER: PartnerUserAgent =
            PartnerUserAgent::from_static("MdePartner-Contoso-ContosoSentinel/2.0 (build-7)");
        let cases: [(PartnerUserAgent, &[&[u8]], &str); 7] = [
            // Starts with the same bytes but is another partner product.
            (
                UA,
                &[b"MdePartner-Contoso-ContosoCognito/1.0.0-beta"],
                "MdePartner-Contoso-ContosoCognito/1.0.0",
            ),
            (
                UA,
                &[b"curl/8 MdePartner-Contoso-ContosoCognito/1.0.0 (x) hyper/1"],
                "MdePartner-Contoso-ContosoCognito/1.0.0 curl/8 hyper/1",
            ),
            (
                UA,
                &[b"curl/8", b"MdePartner-Contoso-ContosoCognito/1.0.0"],
                "MdePartner-Contoso-ContosoCognito/1.0.0 curl/8",
            ),
            (
                UA,
                &[b"mdepartner-x-y/1 MDATPPARTNER-Contoso-ContosoCognito/1 (t) z/1"],
                "MdePartner-Contoso-ContosoCognito/1.0.0 z/1",
            ),
            // The layer's value keeps its own comment; the caller's start equal to it goes.
            (
                OTHER,
                &[b"MdePartner-Contoso-ContosoSentinel/2.0 (build-7) curl/8"],
                "MdePartner-Contoso-ContosoSentinel/2.0 (build-7) curl/8",
            ),
            (
                OTHER,
                &[b"MdePartner-Contoso-ContosoSentinel/2.0 curl/8"],
                "MdePartner-Contoso-ContosoSentinel/2.0 (build-7) curl/8",
            ),
            // Spans between dropped products keep their bytes.
            (
                UA,
                &[b"a/1\t(b)  MdePartner-A-B/1 (c)\tc/3  (d)"],
                "MdePartner-Contoso-ContosoCognito/1.0.0 a/1\t(b) c/3  (d)",
            ),
        ];
        for (layer_value, caller, expected) in cases {
            let once = sent(
                PartnerUserAgentLayer::prepend(layer_value.clone()),
                request(caller),
            )
            .await;
            assert_eq!(once, [expected], "caller set {caller:?}");
            let twice = sent(
                PartnerUserAgentLayer::prepend(layer_value),
                request(&[once[0].as_bytes()]),
            )
            .await;
            assert_eq!(twice, once, "applied twice to {caller:?}");
        }
    }

    #[tokio::test]
    async fn prepend_keeps_at_most_64_caller_fields() {
        let fields: Vec<Vec<u8>> = (0..70).map(|i| format!("p{i}").into_bytes()).collect();
        let fields: Vec<&[u8]> = fields.iter().map(Vec::as_slice).collect();
        let sent = sent(PartnerUserAgentLayer::prepend(UA), request(&fields)).await;
        assert_eq!(sent.len(), 1);
        let products: Vec<&str> = sent[0].split(' ').collect();
        assert_eq!(products.len(), 1 + MAX_MERGED_FIELDS);
        assert_eq!(products[0], UA.as_str());
        assert_eq!(products[64], "p63");
    }

    #[tokio::test]
    async fn a_value_stamped_before_with_a_tab_after_the_product_is_left_as_it_is() {
        // Found by fuzzing: white space after the partner product may be a tab.
        let caller: &[u8] = b"MdePartner-Contoso-ContosoCognito/1.0.0\t~~";
        let sent = sent(PartnerUserAgentLayer::prepend(UA), request(&[caller])).await;
        assert_eq!(sent, ["MdePartner-Contoso-ContosoCognito/1.0.0\t~~"]);
    }

    #[tokio::test]
    async fn the_64_field_limit_counts_every_field_valid_or_not() {
        // Found by fuzzing: 65 empty fields, then a valid one, which is past the limit.
        let mut fields: Vec<&[u8]> = vec![b""; 65];
        fields.push(b"~$o");
        let sent = sent(PartnerUserAgentLayer::prepend(UA), request(&fields)).await;
        assert_eq!(sent, [UA.as_str()]);
    }

    #[tokio::test]
    async fn a_partner_value_in_the_extensions_wins_for_that_request() {
        const OTHER: PartnerUserAgent =
            PartnerUserAgent::from_static("MdePartner-Contoso-ContosoSentinel/2.1");
        for layer in [
            PartnerUserAgentLayer::new(UA),
            PartnerUserAgentLayer::prepend(UA),
        ] {
            let mut request = request(&[]);
            request.extensions_mut().insert(OTHER);
            assert_eq!(sent(layer, request).await, [OTHER.as_str()]);
        }
        let mut request = request(&[b"MdePartner-Contoso-ContosoSentinel/2.1 curl/8.5.0"]);
        request.extensions_mut().insert(OTHER);
        let sent = sent(PartnerUserAgentLayer::prepend(UA), request).await;
        assert_eq!(sent, ["MdePartner-Contoso-ContosoSentinel/2.1 curl/8.5.0"]);
    }

    #[tokio::test]
    async fn scoped_layer_stamps_only_the_hosts_in_scope() {
        let layer = || PartnerUserAgentLayer::new(UA).only_for(HostScope::commercial());
        let outside = Request::get("https://example.com/")
            .header(USER_AGENT, "curl/8.5.0")
            .body(())
            .unwrap();
        assert_eq!(sent(layer(), outside).await, ["curl/8.5.0"]);

        let inside = Request::get("https://GRAPH.microsoft.com:443/v1.0/security/alerts_v2")
            .body(())
            .unwrap();
        assert_eq!(sent(layer(), inside).await, [UA.as_str()]);

        let relative = Request::get("/api/alerts")
            .header(HOST, "api.security.microsoft.com:443")
            .body(())
            .unwrap();
        assert_eq!(sent(layer(), relative).await, [UA.as_str()]);

        // A relative URI without `Host`, as tonic's generated clients send: fail safe.
        let unknown_host = || Request::get("/api/alerts").body(()).unwrap();
        assert_eq!(sent(layer(), unknown_host()).await, [UA.as_str()]);
        let trailing_space = Request::get("/api/alerts")
            .header(HOST, "graph.microsoft.com ")
            .body(())
            .unwrap();
        assert_eq!(sent(layer(), trailing_space).await, [UA.as_str()]);

        let only_known = PartnerUserAgentLayer::new(UA)
            .only_for(HostScope::commercial().on_unknown_host(crate::UnknownHost::OutOfScope));
        assert_eq!(sent(only_known, unknown_host()).await, Vec::<String>::new());
    }
}
