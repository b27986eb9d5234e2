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
//!   one field: `MdePartner-Contoso-ContosoCognito/1.0.0 curl/8.5.0`.
//! - A [`PartnerUserAgent`] in a request's extensions replaces the layer's value for that
//!   request, under either policy.
//! - [`PartnerUserAgentLayer::only_for`] limits the layer to the hosts of a [`HostScope`].

use std::fmt;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::header::USER_AGENT;
use http::{HeaderMap, HeaderValue};
use tower_layer::Layer;
use tower_service::Service;

use crate::grammar::{self, Escaped};
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
#[derive(Clone)]
pub struct PartnerUserAgentLayer {
    user_agent: PartnerUserAgent,
    policy: Policy,
    scope: Option<HostScope>,
}

impl PartnerUserAgentLayer {
    fn with_policy(user_agent: PartnerUserAgent, policy: Policy) -> Self {
        PartnerUserAgentLayer {
            user_agent,
            policy,
            scope: None,
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
    /// joined by a single space.
    ///
    /// - No caller value: the request leaves with exactly `user_agent`.
    /// - Several caller fields are merged, in order, into the one field.
    /// - A caller value that already starts with this partner product is left as it is, so a
    ///   retried request, or a layer applied twice, never carries the partner product twice.
    /// - A caller value that is not a valid RFC 9110 User-Agent is dropped with a
    ///   `tracing` warning that says why; the request still leaves with a valid value.
    ///
    /// Allocates once per request that carries a caller value, nothing otherwise.
    ///
    /// ```
    /// # use mde_partner_ua::{PartnerUserAgent, PartnerUserAgentLayer};
    /// let layer = PartnerUserAgentLayer::prepend(PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0"));
    /// ```
    pub fn prepend(user_agent: PartnerUserAgent) -> Self {
        Self::with_policy(user_agent, Policy::Prepend)
    }

    /// Acts only on requests to the hosts of `scope`; other requests pass untouched.
    ///
    /// ```
    /// # use mde_partner_ua::{HostScope, PartnerUserAgent, PartnerUserAgentLayer};
    /// let layer = PartnerUserAgentLayer::new(PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0"))
    ///     .only_for(HostScope::commercial().with(HostScope::gcc()));
    /// ```
    pub fn only_for(mut self, scope: HostScope) -> Self {
        self.scope = Some(scope);
        self
    }
}

impl PartnerUserAgentLayer {
    /// Puts the partner value on `request`, by this layer's policy and scope; `per_request`, or
    /// else the request's own [`PartnerUserAgent`], replaces the layer's value. The one place
    /// where requests are stamped, for the service and the reqwest middleware alike.
    #[inline]
    pub(crate) fn stamp<R: OutgoingRequest>(
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

impl fmt::Debug for PartnerUserAgentLayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PartnerUserAgentLayer")
            .field("user_agent", &self.user_agent)
            .field("policy", &self.policy)
            .field("scope", &self.scope)
            .finish()
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
#[derive(Clone)]
pub struct SetPartnerUserAgent<S> {
    inner: S,
    layer: PartnerUserAgentLayer,
}

impl<S> SetPartnerUserAgent<S> {
    /// Wraps `inner`, replacing the User-Agent of every request; see
    /// [`PartnerUserAgentLayer::new`].
    ///
    /// ```
    /// # use mde_partner_ua::{PartnerUserAgent, SetPartnerUserAgent};
    /// # let client = tower::service_fn(|_r: http::Request<()>| async { Ok::<_, std::convert::Infallible>(()) });
    /// let client = SetPartnerUserAgent::new(client, PartnerUserAgent::from_static("MdePartner-A-B/1"));
    /// ```
    pub fn new(inner: S, user_agent: PartnerUserAgent) -> Self {
        PartnerUserAgentLayer::new(user_agent).layer(inner)
    }

    /// Wraps `inner`, prepending to the User-Agent of every request; see
    /// [`PartnerUserAgentLayer::prepend`].
    ///
    /// ```
    /// # use mde_partner_ua::{PartnerUserAgent, SetPartnerUserAgent};
    /// # let client = tower::service_fn(|_r: http::Request<()>| async { Ok::<_, std::convert::Infallible>(()) });
    /// let client = SetPartnerUserAgent::prepend(client, PartnerUserAgent::from_static("MdePartner-A-B/1"));
    /// ```
    pub fn prepend(inner: S, user_agent: PartnerUserAgent) -> Self {
        PartnerUserAgentLayer::prepend(user_agent).layer(inner)
    }

    /// The layer that replaces the User-Agent, to use with `ServiceBuilder`.
    ///
    /// ```
    /// # use mde_partner_ua::{PartnerUserAgent, SetPartnerUserAgent};
    /// let layer = SetPartnerUserAgent::<()>::layer(PartnerUserAgent::from_static("MdePartner-A-B/1"));
    /// ```
    pub fn layer(user_agent: PartnerUserAgent) -> PartnerUserAgentLayer {
        PartnerUserAgentLayer::new(user_agent)
    }

    define_inner_service_accessors!(
        "# use mde_partner_ua::{PartnerUserAgent, SetPartnerUserAgent};\n\
         # let inner = tower::service_fn(|_r: http::Request<()>| async { Ok::<_, std::convert::Infallible>(()) });\n\
         let svc = SetPartnerUserAgent::new(inner, PartnerUserAgent::from_static(\"MdePartner-A-B/1\"));"
    );
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

impl<S: fmt::Debug> fmt::Debug for SetPartnerUserAgent<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SetPartnerUserAgent")
            .field("inner", &self.inner)
            .field("user_agent", &self.layer.user_agent)
            .field("policy", &self.layer.policy)
            .field("scope", &self.layer.scope)
            .finish()
    }
}

/// The value that puts `user_agent` before what `headers` carry, or `None` when the one field
/// there already starts with the partner product and is valid.
fn prepended(headers: &HeaderMap, user_agent: &PartnerUserAgent) -> Option<HeaderValue> {
    let partner_product = user_agent.partner_product().as_bytes();
    // Which of the caller's fields are kept (bit i for field i), and their length.
    let mut kept: u64 = 0;
    let mut count = 0;
    let mut len = 0;
    let mut head_is_caller = false;
    for (i, field) in headers.get_all(USER_AGENT).iter().enumerate() {
        count += 1;
        let bytes = field.as_bytes();
        if i >= MAX_MERGED_FIELDS {
            tracing::warn!(
                fields = i + 1,
                value = %Escaped(bytes),
                "dropping a User-Agent field: more than {MAX_MERGED_FIELDS} fields to merge"
            );
            continue;
        }
        if let Err(error) = grammar::validate(bytes) {
            tracing::warn!(
                rule = ?error.kind(),
                offset = error.offset(),
                value = %Escaped(bytes),
                "dropping the caller's User-Agent, which is not a valid RFC 9110 User-Agent: {error}"
            );
            continue;
        }
        if kept == 0 && starts_with_product(bytes, partner_product) {
            head_is_caller = true;
        } else {
            len += 1;
        }
        kept |= 1 << i;
        len += bytes.len();
    }
    if count == 0 || kept == 0 {
        return Some(user_agent.header_value().clone());
    }
    if head_is_caller && count == 1 {
        return None;
    }
    let head = user_agent.header_value().as_bytes();
    if !head_is_caller {
        len += head.len();
    }
    let mut merged = Vec::with_capacity(len);
    if !head_is_caller {
        merged.extend_from_slice(head);
    }
    for (i, field) in headers.get_all(USER_AGENT).iter().enumerate() {
        if i < MAX_MERGED_FIELDS && kept & (1 << i) != 0 {
            if !merged.is_empty() {
                merged.push(b' ');
            }
            merged.extend_from_slice(field.as_bytes());
        }
    }
    // Valid User-Agents joined by single spaces make a valid User-Agent, which is always a valid
    // header value; should that ever fail, the partner value alone is still right.
    Some(
        HeaderValue::from_maybe_shared(Bytes::from(merged))
            .unwrap_or_else(|_| user_agent.header_value().clone()),
    )
}

/// Whether `value` starts with the product `product`, followed by its end or white space.
fn starts_with_product(value: &[u8], product: &[u8]) -> bool {
    match value.strip_prefix(product) {
        Some([]) => true,
        Some([next, ..]) => *next == b' ' || *next == b'\t',
        None => false,
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
        // The middle field is not valid RFC 9110 (no space after the comment): dropped.
        assert_eq!(
            sent,
            ["MdePartner-Contoso-ContosoCognito/1.0.0 curl/8.5.0 hyper/1.12.0 (h2)"]
        );
    }

    #[tokio::test]
    async fn prepend_drops_an_invalid_caller_value() {
        for invalid in [&b"curl/8.5.0 "[..], b"a, b", b"(comment first)", b"x (\x80"] {
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
    async fn prepend_treats_a_longer_product_name_as_another_product() {
        // Starts with the same bytes but is another product: not "already stamped".
        let sent = sent(
            PartnerUserAgentLayer::prepend(UA),
            request(&[b"MdePartner-Contoso-ContosoCognito/1.0.0-beta"]),
        )
        .await;
        assert_eq!(
            sent,
            ["MdePartner-Contoso-ContosoCognito/1.0.0 MdePartner-Contoso-ContosoCognito/1.0.0-beta"]
        );
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

        let unknown_host = Request::get("/api/alerts").body(()).unwrap();
        assert_eq!(sent(layer(), unknown_host).await, Vec::<String>::new());
    }
}
