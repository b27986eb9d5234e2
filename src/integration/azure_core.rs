//! The layers as `azure_core` pipeline policies, for the clients of the Azure SDK for Rust.
//!
//! [`PartnerUserAgentLayer`] and [`ValidateUserAgentLayer`] implement
//! [`azure_core::http::policies::Policy`]. They stamp and check the request with the layers' own
//! code, through a small view of the azure request (its User-Agent and its URL's host), and put
//! the result back on the request.
//!
//! # Where to push the policy
//!
//! Push it to [`ClientOptions::per_call_policies`](azure_core::http::ClientOptions):
//!
//! ```
//! use std::sync::Arc;
//!
//! use azure_core::http::ClientOptions;
//! use mde_partner_ua::{PartnerUserAgent, PartnerUserAgentLayer};
//!
//! const UA: PartnerUserAgent = PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");
//!
//! let mut options = ClientOptions::default();
//! options.per_call_policies.push(Arc::new(PartnerUserAgentLayer::prepend(UA)));
//! // ...then hand `options` to the client library, in its own `...ClientOptions`.
//! ```
//!
//! A pipeline runs, in this order: the client library's per-call policies, among them its
//! `UserAgentPolicy`, which sets the whole User-Agent on every call; the per-call policies of
//! `ClientOptions`; the retry policy; the per-try policies; logging; the transport. Pushed
//! per call, the policy runs once per call, after `UserAgentPolicy`, so it sees the value the
//! client library set (to replace it, or to keep it after the partner value), and a refused call
//! stops before the retry policy: it is not retried, not logged as sent, and never reaches the
//! transport. Retries send the same request again, so every try carries the value stamped once.
//!
//! Pushed per try instead, the policy still stamps the right value (stamping twice gives the same
//! value), but runs on every try, and the retry policy wraps a refusal in an error of its own.
//!
//! # What each policy sends
//!
//! The client library's `UserAgentPolicy` always sets
//! `[{application_id} ]azsdk-rust-{crate}/{version} ({rustc}; {os}; {arch})`.
//!
//! - [`PartnerUserAgentLayer::new`] replaces it: exactly one field, the partner value.
//! - [`PartnerUserAgentLayer::prepend`] keeps it after the partner value, in one field:
//!   `MdePartner-Contoso-ContosoCognito/1.0.0 azsdk-rust-security_alerts/1.0.0 (1.88.0; linux; x86_64)`,
//!   with the application id, if any, before `azsdk-rust-...`.
//! - A [`PartnerUserAgent`] in the call's [`Context`] (`Context::with_value`, or the `context`
//!   of a client method's options) replaces the layer's value for that call.
//! - [`only_for`](PartnerUserAgentLayer::only_for) scopes the policy to the host of the request
//!   URL; requests to other hosts pass untouched.
//! - [`ValidateUserAgentLayer::reject`] answers a request whose User-Agent is not a partner one
//!   with an [`azure_core::Error`] of kind [`ErrorKind::Other`] whose source is the
//!   [`ValidateUserAgentError`](crate::ValidateUserAgentError); nothing is sent. Find it with
//!   `error.downcast_ref::<ValidateUserAgentError>()`, or, should a policy wrap it, by walking
//!   [`std::error::Error::source`].
//! - [`ValidateUserAgentLayer::warn`] logs and sends the request unchanged;
//!   [`ValidateUserAgentLayer::repair`] logs and sends the partner value alone.
//!
//! A User-Agent that cannot be an HTTP header value (one with control characters) is seen as
//! absent: no HTTP client can send it, and azure_core's own transport refuses to build such a
//! request.
//!
//! # Why not `application_id`
//!
//! `ClientOptions::user_agent.application_id` is the only User-Agent setting of azure_core, and
//! it cannot carry a partner value: `UserAgentPolicy` panics, when the client is built, for an
//! application id longer than 24 characters or with a character that is not an RFC 9110 token
//! character, and every partner value has a `/` (`MdePartner-{Company}-{Product}/{Version}`).

use std::sync::Arc;

use azure_core::error::ErrorKind;
use azure_core::http::headers::{HeaderValue as AzureHeaderValue, USER_AGENT as AZURE_USER_AGENT};
use azure_core::http::policies::{Policy, PolicyResult};
use azure_core::http::{Context, Request};
use http::header::USER_AGENT;
use http::{HeaderMap, HeaderValue};

use crate::{
    OutgoingRequest, PartnerUserAgent, PartnerUserAgentLayer, ValidateUserAgentError,
    ValidateUserAgentLayer,
};

/// What the layers see of an azure request: its User-Agent, as an `http` header map, and the
/// host of its URL.
struct View<'a> {
    headers: HeaderMap,
    host: Option<&'a str>,
}

impl OutgoingRequest for View<'_> {
    fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    fn headers_mut(&mut self) -> &mut HeaderMap {
        &mut self.headers
    }

    fn target_host(&self) -> Option<&str> {
        self.host
    }
}

/// What is to be done with the azure request's User-Agent once the view has been stamped or
/// checked.
enum Change {
    Keep,
    Remove,
    Set(String),
}

/// Runs `act` on a view of `request`, then writes the view's User-Agent back on `request` when
/// it changed.
fn through_view<T>(request: &mut Request, act: impl FnOnce(&mut View<'_>) -> T) -> T {
    let (outcome, change) = {
        let before = request
            .headers()
            .get_optional_str(&AZURE_USER_AGENT)
            .and_then(|value| HeaderValue::from_str(value).ok());
        let mut view = View {
            headers: HeaderMap::new(),
            host: request.url().host_str(),
        };
        if let Some(value) = &before {
            view.headers.insert(USER_AGENT, value.clone());
        }
        let outcome = act(&mut view);
        (outcome, change(before.as_ref(), &view.headers))
    };
    match change {
        Change::Keep => {}
        Change::Remove => {
            request.headers_mut().remove(AZURE_USER_AGENT);
        }
        Change::Set(value) => {
            request.insert_header(AZURE_USER_AGENT, AzureHeaderValue::from(value))
        }
    }
    outcome
}

/// How the User-Agent went from `before` to what `after` holds. An azure request holds one value
/// per header name; several fields, should there ever be any, go as the one value a server would
/// read them as, joined by commas.
fn change(before: Option<&HeaderValue>, after: &HeaderMap) -> Change {
    let mut fields = after.get_all(USER_AGENT).iter();
    let Some(first) = fields.next() else {
        return match before {
            Some(_) => Change::Remove,
            None => Change::Keep,
        };
    };
    let mut value = text(first);
    let mut several = false;
    for field in fields {
        several = true;
        value.push_str(", ");
        value.push_str(&text(field));
    }
    if !several && before == Some(first) {
        return Change::Keep;
    }
    Change::Set(value)
}

/// A header value as text. The values here are the azure request's own text, the partner value,
/// or both joined, so they are UTF-8; anything else would be shown lossily rather than lost.
fn text(value: &HeaderValue) -> String {
    String::from_utf8_lossy(value.as_bytes()).into_owned()
}

/// Calls the next policy of the pipeline.
async fn next_policy(
    ctx: &Context<'_>,
    request: &mut Request,
    next: &[Arc<dyn Policy>],
) -> PolicyResult {
    match next.split_first() {
        Some((policy, rest)) => policy.send(ctx, request, rest).await,
        None => Err(azure_core::Error::with_message(
            ErrorKind::Other,
            "the partner User-Agent policy is the last policy of the pipeline; \
             a transport policy must come after it",
        )),
    }
}

/// Stamps the partner User-Agent on every call of an Azure SDK pipeline: push it to
/// `ClientOptions::per_call_policies`.
///
/// The client library's `UserAgentPolicy` has set `[{application_id} ]azsdk-rust-...` before this
/// policy runs: [`new`](PartnerUserAgentLayer::new) sends the partner value alone,
/// [`prepend`](PartnerUserAgentLayer::prepend) the partner value then that value, in one field.
/// A [`PartnerUserAgent`] in the call's [`Context`] replaces the layer's value for that call, and
/// [`only_for`](PartnerUserAgentLayer::only_for) looks at the host of the request URL.
///
/// Per call, not per try: per-call policies of `ClientOptions` run once per call, after the
/// client library's `UserAgentPolicy` and before the retry policy, logging and the transport;
/// every retry then sends the request as stamped. The User-Agent setting of azure_core,
/// `ClientOptions::user_agent.application_id`, cannot carry a partner value: `UserAgentPolicy`
/// panics for one longer than 24 characters or with a `/`, which every partner value has.
///
/// # Example
///
/// ```
/// use std::sync::Arc;
///
/// use azure_core::http::headers::{Headers, USER_AGENT};
/// use azure_core::http::policies::{Policy, PolicyResult};
/// use azure_core::http::{
///     AsyncRawResponse, ClientOptions, Context, Method, Pipeline, Request, StatusCode, Transport,
///     Url,
/// };
/// use mde_partner_ua::{PartnerUserAgent, PartnerUserAgentLayer};
///
/// const UA: PartnerUserAgent = PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");
///
/// /// Stands for the HTTP transport: answers with the User-Agent it was given.
/// #[derive(Debug)]
/// struct Echo;
///
/// #[async_trait::async_trait]
/// impl Policy for Echo {
///     async fn send(&self, _: &Context, request: &mut Request, _: &[Arc<dyn Policy>]) -> PolicyResult {
///         let sent = request.headers().get_optional_string(&USER_AGENT).unwrap_or_default();
///         Ok(AsyncRawResponse::from_bytes(StatusCode::Ok, Headers::new(), sent))
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> azure_core::Result<()> {
/// let mut options = ClientOptions::default();
/// options.per_call_policies.push(Arc::new(PartnerUserAgentLayer::prepend(UA)));
/// options.transport = Some(Transport::with_policy(Arc::new(Echo)));
/// // As a client library builds its pipeline.
/// let pipeline = Pipeline::new(Some("azure_security_alerts"), Some("1.0.0"), options, Vec::new(), Vec::new(), None);
///
/// let url = Url::parse("https://api.security.microsoft.com/api/alerts")?;
/// let mut request = Request::new(url, Method::Get);
/// let sent = pipeline.send(&Context::new(), &mut request, None).await?.into_body().into_string()?;
/// assert!(sent.starts_with("MdePartner-Contoso-ContosoCognito/1.0.0 azsdk-rust-security_alerts/1.0.0 ("));
///
/// // Another partner product for one call.
/// let other = PartnerUserAgent::from_static("MdePartner-Contoso-ContosoSentinel/2.1");
/// let ctx = Context::new().with_value(other);
/// let sent = pipeline.send(&ctx, &mut Request::new(request.url().clone(), Method::Get), None).await?;
/// assert!(sent.into_body().into_string()?.starts_with("MdePartner-Contoso-ContosoSentinel/2.1 azsdk-rust-"));
/// # Ok(())
/// # }
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "azure-core")))]
#[async_trait::async_trait]
impl Policy for PartnerUserAgentLayer {
    // As the trait has it: with `Context<'_>`, async-trait's lifetimes would not match.
    #[allow(elided_lifetimes_in_paths)]
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        through_view(request, |view| {
            self.stamp(view, ctx.value::<PartnerUserAgent>());
        });
        next_policy(ctx, request, next).await
    }
}

/// Checks the User-Agent of every call of an Azure SDK pipeline: push it to
/// `ClientOptions::per_call_policies`, after a [`PartnerUserAgentLayer`] if there is one.
///
/// [`reject`](ValidateUserAgentLayer::reject) answers a call whose User-Agent is not a partner
/// one with an [`azure_core::Error`] of kind [`ErrorKind::Other`] whose source is the
/// [`ValidateUserAgentError`], and nothing is sent; [`warn`](ValidateUserAgentLayer::warn) logs
/// and sends the call unchanged; [`repair`](ValidateUserAgentLayer::repair) logs and sends the
/// partner value alone, or the [`PartnerUserAgent`] in the call's [`Context`].
///
/// Pushed per call, it checks what the client library's `UserAgentPolicy` and the policies
/// before it left, once, and a refused call is neither retried nor logged as sent. Pushed per
/// try, the retry policy wraps the refusal in an error of its own: find the
/// [`ValidateUserAgentError`] by walking [`std::error::Error::source`].
///
/// # Example
///
/// ```
/// use std::sync::Arc;
///
/// use azure_core::http::policies::{Policy, PolicyResult};
/// use azure_core::http::{ClientOptions, Context, Method, Pipeline, Request, Transport, Url};
/// use mde_partner_ua::{UserAgentProblem, ValidateUserAgentError, ValidateUserAgentLayer};
///
/// /// Stands for the HTTP transport; never reached here.
/// #[derive(Debug)]
/// struct Unreachable;
///
/// #[async_trait::async_trait]
/// impl Policy for Unreachable {
///     async fn send(&self, _: &Context, _: &mut Request, _: &[Arc<dyn Policy>]) -> PolicyResult {
///         unreachable!("a refused call is never sent")
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> azure_core::Result<()> {
/// let mut options = ClientOptions::default();
/// options.per_call_policies.push(Arc::new(ValidateUserAgentLayer::reject()));
/// options.transport = Some(Transport::with_policy(Arc::new(Unreachable)));
/// let pipeline = Pipeline::new(Some("azure_security_alerts"), Some("1.0.0"), options, Vec::new(), Vec::new(), None);
///
/// // The client library's own `azsdk-rust-...` value is not a partner User-Agent.
/// let url = Url::parse("https://api.security.microsoft.com/api/alerts")?;
/// let error = pipeline.send(&Context::new(), &mut Request::new(url, Method::Get), None).await.unwrap_err();
/// let refusal = error.downcast_ref::<ValidateUserAgentError>().unwrap();
/// assert_eq!(refusal.problem(), UserAgentProblem::NotPartner);
/// # Ok(())
/// # }
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "azure-core")))]
#[async_trait::async_trait]
impl Policy for ValidateUserAgentLayer {
    // As the trait has it: with `Context<'_>`, async-trait's lifetimes would not match.
    #[allow(elided_lifetimes_in_paths)]
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        let checked = through_view(request, |view| {
            self.check_request(view, ctx.value::<PartnerUserAgent>())
        });
        match checked {
            Ok(()) => next_policy(ctx, request, next).await,
            Err(error) => Err(refusal(*error)),
        }
    }
}

/// The azure error of a refused call, with the refusal as its source.
fn refusal(error: ValidateUserAgentError) -> azure_core::Error {
    azure_core::Error::new(ErrorKind::Other, error)
}
