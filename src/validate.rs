//! Validate the User-Agent the caller set: refuse, warn about or repair a request whose
//! User-Agent is not a partner User-Agent.
//!
//! # Example
//!
//! ```
//! use http::{header::USER_AGENT, Request, Response};
//! use mde_partner_ua::{UserAgentProblem, ValidateUserAgentError, ValidateUserAgentLayer};
//! use tower::{service_fn, BoxError, Service, ServiceBuilder, ServiceExt};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), BoxError> {
//! let client = service_fn(|_request: Request<()>| async {
//!     Ok::<_, BoxError>(Response::new("sent"))
//! });
//! let mut client = ServiceBuilder::new()
//!     .layer(ValidateUserAgentLayer::reject())
//!     .service(client);
//!
//! let request = Request::get("https://api.security.microsoft.com/api/alerts")
//!     .header(USER_AGENT, "MdePartner-Contoso Ltd-Cognito/1.0")
//!     .body(())?;
//! let error = client.ready().await?.call(request).await.unwrap_err();
//! let error = error.downcast_ref::<ValidateUserAgentError>().unwrap();
//! assert_eq!(error.problem(), UserAgentProblem::NotPartner);
//! # Ok(())
//! # }
//! ```
//!
//! # Modes
//!
//! A request passes when it has exactly one `User-Agent` field and that field is a partner
//! User-Agent. Otherwise, by mode:
//!
//! - [`ValidateUserAgentLayer::reject`]: the request is answered with a
//!   [`ValidateUserAgentError`] and the inner service is never called, so nothing is sent.
//! - [`ValidateUserAgentLayer::warn`]: a `tracing` warning with structured fields, and the
//!   request passes unchanged.
//! - [`ValidateUserAgentLayer::repair`]: a warning, and the request leaves with the given
//!   partner User-Agent in place of what it had.
//!
//! The service's error type is [`BoxError`], as with tower's own middleware; a refusal is a
//! [`ValidateUserAgentError`] inside it, found with `downcast_ref`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use http::header::USER_AGENT;
use http::{HeaderMap, HeaderValue};
use pin_project_lite::pin_project;
use tower::BoxError;
use tower_layer::Layer;
use tower_service::Service;

use crate::fmt::Quoted;
use crate::grammar::SyntaxError;
use crate::partner::rule;
use crate::{HostScope, OutgoingRequest, PartnerError, PartnerErrorKind, PartnerUserAgent};

/// What is done with a request whose User-Agent is not right.
#[derive(Debug, Clone)]
enum Mode {
    Reject,
    Warn,
    Repair(PartnerUserAgent),
}

/// Layer that validates the User-Agent of every request; see the [module documentation](self).
///
/// # Example
///
/// ```
/// use mde_partner_ua::{HostScope, ValidateUserAgentLayer};
///
/// let layer = ValidateUserAgentLayer::reject().only_for(HostScope::commercial());
/// ```
#[derive(Debug, Clone)]
pub struct ValidateUserAgentLayer {
    mode: Mode,
    scope: Option<HostScope>,
}

impl ValidateUserAgentLayer {
    fn with_mode(mode: Mode) -> Self {
        ValidateUserAgentLayer { mode, scope: None }
    }

    /// Refuses a request whose User-Agent is missing, in more than one field, not valid
    /// RFC 9110, or not a partner User-Agent: the inner service is never called.
    ///
    /// ```
    /// # use mde_partner_ua::ValidateUserAgentLayer;
    /// let layer = ValidateUserAgentLayer::reject();
    /// ```
    pub fn reject() -> Self {
        Self::with_mode(Mode::Reject)
    }

    /// Reports such a request with `tracing::warn!` and lets it pass unchanged.
    ///
    /// ```
    /// # use mde_partner_ua::ValidateUserAgentLayer;
    /// let layer = ValidateUserAgentLayer::warn();
    /// ```
    pub fn warn() -> Self {
        Self::with_mode(Mode::Warn)
    }

    /// Reports such a request with `tracing::warn!` and sends it with `user_agent` (or the
    /// request's own [`PartnerUserAgent`] extension) as its only User-Agent.
    ///
    /// ```
    /// # use mde_partner_ua::{PartnerUserAgent, ValidateUserAgentLayer};
    /// let layer = ValidateUserAgentLayer::repair(PartnerUserAgent::from_static("MdePartner-A-B/1"));
    /// ```
    pub fn repair(user_agent: PartnerUserAgent) -> Self {
        Self::with_mode(Mode::Repair(user_agent))
    }

    /// Checks only requests to the hosts of `scope`; other requests pass untouched. A request
    /// whose host the layer cannot tell (a relative URI without `Host`, as tonic's generated
    /// clients send) is checked, unless `scope` says
    /// [`UnknownHost::OutOfScope`](crate::UnknownHost::OutOfScope): a validator fails safe.
    ///
    /// ```
    /// # use mde_partner_ua::{HostScope, ValidateUserAgentLayer};
    /// let layer = ValidateUserAgentLayer::reject().only_for(HostScope::all_microsoft());
    /// ```
    pub fn only_for(mut self, scope: HostScope) -> Self {
        self.scope = Some(scope);
        self
    }

    /// Checks `request` by this layer's mode and scope: `Err` when it is to be refused; a warning
    /// or a repair otherwise. `per_request`, or else the request's own [`PartnerUserAgent`],
    /// replaces the repair value. The one place where requests are checked, for the service and
    /// the reqwest middleware alike.
    #[inline]
    pub(crate) fn check_request<R: OutgoingRequest>(
        &self,
        request: &mut R,
        per_request: Option<&PartnerUserAgent>,
    ) -> Result<(), Box<ValidateUserAgentError>> {
        if let Some(scope) = &self.scope {
            if !scope.covers(request) {
                return Ok(());
            }
        }
        let Err(error) = check(request.headers()) else {
            return Ok(());
        };
        match &self.mode {
            Mode::Reject => return Err(error),
            Mode::Warn => warn(&error, "sending a request whose User-Agent is not right"),
            Mode::Repair(user_agent) => {
                warn(&error, "replacing a User-Agent that is not right");
                let value = per_request
                    .or_else(|| request.partner_user_agent())
                    .unwrap_or(user_agent)
                    .header_value()
                    .clone();
                request.headers_mut().insert(USER_AGENT, value);
            }
        }
        Ok(())
    }
}

impl<S> Layer<S> for ValidateUserAgentLayer {
    type Service = ValidateUserAgent<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ValidateUserAgent {
            inner,
            layer: self.clone(),
        }
    }
}

/// Middleware that validates the User-Agent of every request; see the
/// [module documentation](self).
///
/// # Example
///
/// ```
/// use mde_partner_ua::ValidateUserAgent;
///
/// let client = tower::service_fn(|_request: http::Request<()>| async { Ok::<_, tower::BoxError>(()) });
/// let client = ValidateUserAgent::reject(client);
/// ```
#[derive(Debug, Clone)]
pub struct ValidateUserAgent<S> {
    inner: S,
    layer: ValidateUserAgentLayer,
}

impl<S> ValidateUserAgent<S> {
    /// Wraps `inner`, refusing requests without a partner User-Agent; see
    /// [`ValidateUserAgentLayer::reject`].
    pub fn reject(inner: S) -> Self {
        ValidateUserAgentLayer::reject().layer(inner)
    }

    /// Wraps `inner`, warning about requests without a partner User-Agent; see
    /// [`ValidateUserAgentLayer::warn`].
    pub fn warn(inner: S) -> Self {
        ValidateUserAgentLayer::warn().layer(inner)
    }

    /// Wraps `inner`, repairing requests without a partner User-Agent; see
    /// [`ValidateUserAgentLayer::repair`].
    pub fn repair(inner: S, user_agent: PartnerUserAgent) -> Self {
        ValidateUserAgentLayer::repair(user_agent).layer(inner)
    }

    define_inner_service_accessors!();
}

impl<S, R> Service<R> for ValidateUserAgent<S>
where
    S: Service<R>,
    S::Error: Into<BoxError>,
    R: OutgoingRequest,
{
    type Response = S::Response;
    type Error = BoxError;
    type Future = ResponseFuture<S::Future>;

    #[inline]
    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, mut request: R) -> Self::Future {
        match self.layer.check_request(&mut request, None) {
            Ok(()) => ResponseFuture::inner(self.inner.call(request)),
            Err(error) => ResponseFuture::rejected(error),
        }
    }
}

/// Checks that `headers` hold exactly one `User-Agent` field and that it is a partner one.
/// Allocates nothing unless the check fails; the error is boxed so that the checks of the
/// requests that pass move nothing large around.
#[inline]
fn check(headers: &HeaderMap) -> Result<(), Box<ValidateUserAgentError>> {
    let mut fields = headers.get_all(USER_AGENT).iter();
    let Some(value) = fields.next() else {
        return Err(Box::new(ValidateUserAgentError::new(
            UserAgentProblem::Missing,
            None,
        )));
    };
    if fields.next().is_some() {
        let mut error = ValidateUserAgentError::new(UserAgentProblem::MultipleFields, None);
        error.fields = 2 + fields.count();
        return Err(Box::new(error));
    }
    match rule::refusal(value.as_bytes()) {
        None => Ok(()),
        Some(refusal) => Err(Box::new(refused(value, refusal))),
    }
}

#[cold]
fn refused(value: &HeaderValue, refusal: rule::Refusal) -> ValidateUserAgentError {
    let reason = PartnerError::refused(value.as_bytes(), refusal);
    let problem = match reason.kind() {
        PartnerErrorKind::Syntax => UserAgentProblem::NotRfc9110,
        _ => UserAgentProblem::NotPartner,
    };
    let mut error = ValidateUserAgentError::new(problem, Some(value.clone()));
    error.reason = Some(reason);
    error
}

/// One warning, bounded whatever the request carried: the value is a quoted excerpt of at most
/// 200 bytes, and the message the error's own, which quotes it the same way.
#[cold]
fn warn(error: &ValidateUserAgentError, action: &str) {
    tracing::warn!(
        problem = ?error.problem,
        fields = error.fields,
        offset = error.reason.as_ref().map(PartnerError::offset),
        value = error.value.as_ref().map(|value| tracing::field::debug(Quoted(value.as_bytes()))),
        "{action}: {error}"
    );
}

/// Which rule a request's User-Agent broke; see [`ValidateUserAgentError::problem`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UserAgentProblem {
    /// The request has no `User-Agent` field.
    Missing,
    /// The request has more than one `User-Agent` field; a receiver reads them as one
    /// comma-joined value, which is not a valid User-Agent.
    MultipleFields,
    /// The value is not a valid RFC 9110 User-Agent. The message says when it is still valid
    /// under RFC 2616, the rule Microsoft's guide names, and what RFC 9110 needs instead.
    NotRfc9110,
    /// The value is a valid User-Agent, but its first product is not a partner product.
    NotPartner,
}

/// A request refused by [`ValidateUserAgentLayer::reject`], with which rule its User-Agent
/// broke, where, and the value.
///
/// # Example
///
/// ```
/// use http::header::USER_AGENT;
/// use mde_partner_ua::{PartnerErrorKind, UserAgentProblem, ValidateUserAgentError, ValidateUserAgentLayer};
/// use tower::{BoxError, Service, ServiceExt};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let client = tower::service_fn(|_r: http::Request<()>| async { Ok::<_, BoxError>(()) });
/// let mut client = tower::Layer::layer(&ValidateUserAgentLayer::reject(), client);
/// let request = http::Request::get("https://api.security.microsoft.com/api/alerts")
///     .header(USER_AGENT, "MdePartner-Contoso-ContosoCognito/1.0.0 (Linux")
///     .body(())
///     .unwrap();
/// let error: BoxError = client.ready().await.unwrap().call(request).await.unwrap_err();
/// let error = error.downcast_ref::<ValidateUserAgentError>().unwrap();
/// assert_eq!(error.problem(), UserAgentProblem::NotRfc9110);
/// assert_eq!(error.fields(), 1);
/// assert_eq!(error.value().unwrap(), "MdePartner-Contoso-ContosoCognito/1.0.0 (Linux");
/// assert_eq!(error.partner_error().unwrap().kind(), PartnerErrorKind::Syntax);
/// assert_eq!(error.syntax_error().unwrap().offset(), 46);
/// assert!(error.to_string().contains("opened at byte 40"));
/// # }
/// ```
///
/// The message is complete in itself (the rule, the byte, the value quoted and cut to 200
/// bytes), so the error has no [`source`](std::error::Error::source); `Debug` shows the same
/// bounded excerpt of the value.
#[derive(Clone)]
pub struct ValidateUserAgentError {
    problem: UserAgentProblem,
    fields: usize,
    value: Option<HeaderValue>,
    reason: Option<PartnerError>,
}

impl ValidateUserAgentError {
    fn new(problem: UserAgentProblem, value: Option<HeaderValue>) -> Self {
        let fields = usize::from(value.is_some());
        ValidateUserAgentError {
            problem,
            fields,
            value,
            reason: None,
        }
    }

    /// Which rule the User-Agent broke.
    pub fn problem(&self) -> UserAgentProblem {
        self.problem
    }

    /// How many `User-Agent` fields the request had.
    pub fn fields(&self) -> usize {
        self.fields
    }

    /// The value refused, when there was exactly one field.
    pub fn value(&self) -> Option<&HeaderValue> {
        self.value.as_ref()
    }

    /// Why the value is not a partner User-Agent, with the offset of the byte at fault.
    pub fn partner_error(&self) -> Option<&PartnerError> {
        self.reason.as_ref()
    }

    /// For [`UserAgentProblem::NotRfc9110`], the grammar's error.
    pub fn syntax_error(&self) -> Option<&SyntaxError> {
        self.reason.as_ref().and_then(PartnerError::syntax_error)
    }
}

impl ValidateUserAgentError {}

impl fmt::Display for ValidateUserAgentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problem {
            UserAgentProblem::Missing => f.write_str(
                "the request has no User-Agent; Microsoft Defender for Endpoint asks for \
                 MdePartner-{Company}-{Product}/{Version} on every call",
            ),
            UserAgentProblem::MultipleFields => write!(
                f,
                "the request has {} User-Agent fields, which a server reads as one \
                 comma-joined value that is not a valid User-Agent; send a single field",
                self.fields
            ),
            UserAgentProblem::NotRfc9110 | UserAgentProblem::NotPartner => {
                f.write_str("the request's User-Agent ")?;
                if let Some(value) = &self.value {
                    write!(f, "{} ", Quoted(value.as_bytes()))?;
                }
                match &self.reason {
                    Some(reason) => write!(f, "is {reason}"),
                    None => f.write_str("is not a partner User-Agent"),
                }
            }
        }
    }
}

/// Shows the value as the message does: quoted, at most 200 bytes.
impl fmt::Debug for ValidateUserAgentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ValidateUserAgentError")
            .field("problem", &self.problem)
            .field("fields", &self.fields)
            .field("value", &self.value.as_ref().map(|v| Quoted(v.as_bytes())))
            .field("reason", &self.reason)
            .finish()
    }
}

pin_project! {
    /// Response future of [`ValidateUserAgent`]: the inner service's, or a refusal.
    pub struct ResponseFuture<F> {
        #[pin]
        kind: Kind<F>,
    }
}

pin_project! {
    #[project = KindProj]
    enum Kind<F> {
        Inner {
            #[pin]
            future: F,
        },
        Rejected {
            error: Option<Box<ValidateUserAgentError>>,
        },
    }
}

impl<F> ResponseFuture<F> {
    fn inner(future: F) -> Self {
        ResponseFuture {
            kind: Kind::Inner { future },
        }
    }

    fn rejected(error: Box<ValidateUserAgentError>) -> Self {
        ResponseFuture {
            kind: Kind::Rejected { error: Some(error) },
        }
    }
}

impl<F, T, E> Future for ResponseFuture<F>
where
    F: Future<Output = Result<T, E>>,
    E: Into<BoxError>,
{
    type Output = Result<T, BoxError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().kind.project() {
            KindProj::Inner { future } => future.poll(cx).map_err(Into::into),
            KindProj::Rejected { error } => {
                let error = error.take().expect("future polled after completion");
                Poll::Ready(Err(error))
            }
        }
    }
}

impl<F> fmt::Debug for ResponseFuture<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Inner { .. } => f.debug_struct("ResponseFuture").finish_non_exhaustive(),
            Kind::Rejected { error } => f
                .debug_struct("ResponseFuture")
                .field("rejected", error)
                .finish(),
        }
    }
}

/// The message is complete in itself: no source.
impl std::error::Error for ValidateUserAgentError {}

#[cfg(test)]
mod tests {
    use super::*;
    use http::Request;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use tower::{service_fn, ServiceExt};

    const UA_TEXT: &str = "MdePartner-Contoso-ContosoCognito/1.0.0";
    const UA: PartnerUserAgent = PartnerUserAgent::from_static(UA_TEXT);

    /// Sends `request` through `layer`; returns what reached the inner service, if anything.
    async fn send(
        layer: ValidateUserAgentLayer,
        request: Request<()>,
    ) -> (Result<Vec<Vec<u8>>, BoxError>, usize) {
        let calls = Arc::new(AtomicUsize::new(0));
        let inner_calls = calls.clone();
        let inner = service_fn(move |request: Request<()>| {
            inner_calls.fetch_add(1, Ordering::SeqCst);
            let fields = request
                .headers()
                .get_all(USER_AGENT)
                .iter()
                .map(|value| value.as_bytes().to_vec())
                .collect();
            async move { Ok::<_, std::convert::Infallible>(fields) }
        });
        let result = layer.layer(inner).oneshot(request).await;
        (result, calls.load(Ordering::SeqCst))
    }

    fn request(user_agents: &[&str]) -> Request<()> {
        let mut request = Request::get("https://api.security.microsoft.com/api/alerts")
            .body(())
            .unwrap();
        for value in user_agents {
            let value = HeaderValue::from_str(value).unwrap();
            request.headers_mut().append(USER_AGENT, value);
        }
        request
    }

    fn refusal(result: Result<Vec<Vec<u8>>, BoxError>) -> ValidateUserAgentError {
        let error = result.unwrap_err();
        error
            .downcast_ref::<ValidateUserAgentError>()
            .unwrap()
            .clone()
    }

    #[tokio::test]
    async fn reject_passes_a_single_partner_value() {
        let (result, calls) = send(ValidateUserAgentLayer::reject(), request(&[UA_TEXT])).await;
        assert_eq!(result.unwrap(), [UA_TEXT.as_bytes()]);
        assert_eq!(calls, 1);
    }

    #[tokio::test]
    async fn reject_refuses_each_problem_without_calling_the_inner_service() {
        let cases: [(&[&str], UserAgentProblem); 5] = [
            (&[], UserAgentProblem::Missing),
            (&[UA_TEXT, "curl/8.5.0"], UserAgentProblem::MultipleFields),
            (
                &["MdePartner-Contoso-ContosoCognito/1.0.0 (Linux"],
                UserAgentProblem::NotRfc9110,
            ),
            (&["curl/8.5.0"], UserAgentProblem::NotPartner),
            (
                &["MdePartner-Contoso Ltd-Cognito/1.0"],
                UserAgentProblem::NotPartner,
            ),
        ];
        for (fields, problem) in cases {
            let (result, calls) = send(ValidateUserAgentLayer::reject(), request(fields)).await;
            let error = refusal(result);
            assert_eq!(error.problem(), problem, "{fields:?}");
            assert_eq!(error.fields(), fields.len(), "{fields:?}");
            assert_eq!(calls, 0, "{fields:?} reached the inner service");
        }
    }

    #[tokio::test]
    async fn a_refusal_says_which_rule_which_byte_and_which_value() {
        let value = "MdePartner-Contoso-ContosoCognito/1.0.0 (Linux";
        let (result, _) = send(ValidateUserAgentLayer::reject(), request(&[value])).await;
        let error = refusal(result);
        assert_eq!(error.problem(), UserAgentProblem::NotRfc9110);
        assert_eq!(error.value().unwrap(), value);
        assert_eq!(error.partner_error().unwrap().offset(), value.len());
        assert_eq!(
            error.syntax_error().unwrap().kind(),
            crate::grammar::SyntaxErrorKind::UnclosedComment
        );
        let message = error.to_string();
        assert!(message.contains(value), "{message}");
        assert!(message.contains("opened at byte 40"), "{message}");

        let (result, _) = send(ValidateUserAgentLayer::reject(), request(&["a/1", "b/2"])).await;
        let message = refusal(result).to_string();
        assert!(message.contains("2 User-Agent fields"), "{message}");
    }

    #[tokio::test]
    async fn warn_lets_every_request_pass_unchanged() {
        for fields in [&[][..], &["curl/8.5.0"], &["a/1", "b/2"]] {
            let (result, calls) = send(ValidateUserAgentLayer::warn(), request(fields)).await;
            let sent: Vec<Vec<u8>> = fields.iter().map(|f| f.as_bytes().to_vec()).collect();
            assert_eq!(result.unwrap(), sent);
            assert_eq!(calls, 1);
        }
    }

    #[tokio::test]
    async fn repair_replaces_what_is_not_right_and_keeps_what_is() {
        for fields in [&[][..], &["curl/8.5.0"], &["a/1", "b/2"], &["x (y"]] {
            let (result, _) = send(ValidateUserAgentLayer::repair(UA), request(fields)).await;
            assert_eq!(result.unwrap(), [UA_TEXT.as_bytes()], "{fields:?}");
        }
        let other = "MdePartner-Other-Product/2 curl/8.5.0";
        let (result, _) = send(ValidateUserAgentLayer::repair(UA), request(&[other])).await;
        assert_eq!(result.unwrap(), [other.as_bytes()]);
    }

    #[tokio::test]
    async fn a_scoped_validator_lets_other_hosts_pass() {
        let layer = ValidateUserAgentLayer::reject().only_for(HostScope::commercial());
        let request = Request::get("http://127.0.0.1:8080/").body(()).unwrap();
        let (result, calls) = send(layer, request).await;
        assert!(result.is_ok());
        assert_eq!(calls, 1);
    }
}
