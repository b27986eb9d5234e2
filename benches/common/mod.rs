//! The services and inputs that the benchmarks compare, shared by the time and the instruction
//! benchmarks so that both measure exactly the same code.

#![allow(dead_code)]

use std::convert::Infallible;
use std::future::{ready, Future, Ready};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use http::header::{HeaderValue, ACCEPT, AUTHORIZATION, USER_AGENT};
use http::Request;
use mde_partner_ua::{HostScope, PartnerUserAgent, PartnerUserAgentLayer, ValidateUserAgentLayer};
use tower::{Layer, Service};
use tower_http::set_header::SetRequestHeaderLayer;

pub const UA_TEXT: &str = "MdePartner-Contoso-ContosoCognito/1.0.0";
pub const UA: PartnerUserAgent = PartnerUserAgent::from_static(UA_TEXT);

/// A 67-byte partner value, as a client with an OS comment and its HTTP stack sends it.
pub const VALUE_67: &str = "MdePartner-Contoso-ContosoCognito/1.0.0 (Linux; x86_64) hyper/1.12.0";

pub type Req = Request<()>;
/// The inner service's answer: an empty response, as small as a client's answer is, so that
/// moving it costs what it costs in a real stack.
pub type Res = http::Response<()>;

/// A request as a Defender client sends it; `user_agent` is what the caller set.
pub fn request(user_agent: Option<&'static str>) -> Req {
    let mut request = Request::get("https://api.security.microsoft.com/api/machines?$top=100")
        .body(())
        .expect("a valid request");
    let headers = request.headers_mut();
    headers.reserve(16);
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    headers.insert(
        AUTHORIZATION,
        HeaderValue::from_static("Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9"),
    );
    if let Some(value) = user_agent {
        headers.insert(USER_AGENT, HeaderValue::from_static(value));
    }
    request
}

struct NoWake;

impl Wake for NoWake {
    fn wake(self: Arc<Self>) {}
}

pub fn waker() -> Waker {
    Waker::from(Arc::new(NoWake))
}

/// Sends `request` through `service`, whose future is ready at once.
#[inline(always)]
pub fn send<S>(service: &mut S, request: Req, cx: &mut Context<'_>) -> S::Response
where
    S: Service<Req>,
    S::Error: std::fmt::Debug,
{
    let _ = service.poll_ready(cx);
    let mut future = std::pin::pin!(service.call(request));
    match future.as_mut().poll(cx) {
        Poll::Ready(result) => result.expect("the services here do not fail"),
        Poll::Pending => unreachable!("the inner service is ready at once"),
    }
}

thread_local! {
    /// Where the inner service keeps the requests it receives, so that dropping them is not
    /// part of what is measured; [`keep_room_for`] makes room before measuring.
    static RECEIVED: std::cell::RefCell<Vec<Req>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Makes room for `requests` more requests in the inner service, and drops those it kept.
pub fn keep_room_for(requests: usize) {
    RECEIVED.with(|received| {
        let mut received = received.borrow_mut();
        received.clear();
        received.reserve(requests);
    });
}

/// The last request the inner service kept, to drop outside what is measured.
pub fn take_received() -> Option<Req> {
    RECEIVED.with(|received| received.borrow_mut().pop())
}

/// The inner service: keeps the request and answers at once with an empty response.
pub fn echo(request: Req) -> Ready<Result<Res, Infallible>> {
    RECEIVED.with(|received| received.borrow_mut().push(request));
    ready(Ok(http::Response::new(())))
}

pub type Echo = tower::util::ServiceFn<fn(Req) -> Ready<Result<Res, Infallible>>>;

pub fn noop() -> Echo {
    tower::service_fn(echo as fn(Req) -> Ready<Result<Res, Infallible>>)
}

static STATIC_VALUE: HeaderValue = HeaderValue::from_static(UA_TEXT);

/// (b) What a careful hand-written client does: insert a static value.
pub fn hand_insert(mut request: Req) -> Ready<Result<Res, Infallible>> {
    request
        .headers_mut()
        .insert(USER_AGENT, STATIC_VALUE.clone());
    echo(request)
}

/// (d) What many SDKs do: format the value on every request.
pub fn format_per_request(mut request: Req) -> Ready<Result<Res, Infallible>> {
    let (company, product, version) = ("Contoso", "ContosoCognito", "1.0.0");
    let value = format!("MdePartner-{company}-{product}/{version}");
    let value = HeaderValue::from_str(&value).expect("a valid value");
    request.headers_mut().insert(USER_AGENT, value);
    echo(request)
}

/// (c) tower-http's `SetRequestHeaderLayer::overriding` with the same static value.
pub fn tower_http_overriding() -> impl Service<Req, Response = Res, Error = Infallible> {
    SetRequestHeaderLayer::overriding(USER_AGENT, STATIC_VALUE.clone()).layer(noop())
}

pub fn ours(layer: PartnerUserAgentLayer) -> impl Service<Req, Response = Res, Error = Infallible> {
    layer.layer(noop())
}

pub fn replace_static() -> PartnerUserAgentLayer {
    PartnerUserAgentLayer::new(UA)
}

pub fn replace_runtime() -> PartnerUserAgentLayer {
    let ua = PartnerUserAgent::new("Contoso", "ContosoCognito", "1.0.0").expect("a valid value");
    PartnerUserAgentLayer::new(ua)
}

pub fn prepend() -> PartnerUserAgentLayer {
    PartnerUserAgentLayer::prepend(UA)
}

pub fn scoped() -> PartnerUserAgentLayer {
    PartnerUserAgentLayer::new(UA).only_for(HostScope::all_microsoft())
}

/// A request to a host outside every preset scope.
pub fn request_elsewhere() -> Req {
    let mut request = request(None);
    *request.uri_mut() = http::Uri::from_static("https://example.com/api/machines");
    request
}

/// A request that carries its own partner value in its extensions.
pub fn request_with_override() -> Req {
    let mut request = request(None);
    request
        .extensions_mut()
        .insert(PartnerUserAgent::from_static(
            "MdePartner-Contoso-ContosoSentinel/2.1",
        ));
    request
}

pub fn validate_reject() -> impl Service<Req, Response = Res, Error = tower::BoxError> {
    ValidateUserAgentLayer::reject().layer(noop())
}

/// A value of `len` bytes: the 67-byte partner value, then products and comments.
pub fn value_of_len(len: usize) -> Vec<u8> {
    let mut value = VALUE_67.as_bytes().to_vec();
    let tail = b" reqwest/0.13.5 (x86_64-unknown-linux-gnu; rustc 1.95) tokio/1.54";
    while value.len() < len {
        value.extend_from_slice(tail);
    }
    value.truncate(len);
    // Cut back to a valid value: never inside a comment or on a space.
    while mde_partner_ua::grammar::validate(&value).is_err() {
        value.pop();
    }
    value
}

/// Comments nested `depth` deep after a partner product.
pub fn nested(depth: usize) -> Vec<u8> {
    let mut value = UA_TEXT.as_bytes().to_vec();
    value.push(b' ');
    value.extend(std::iter::repeat_n(b'(', depth));
    value.extend(std::iter::repeat_n(b')', depth));
    value
}

/// User-Agents as a Defender proxy or log sees them: browsers, bots, SDKs, partner values and
/// broken ones.
pub const MIX: &[&[u8]] = &[
    b"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    b"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15",
    b"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    b"curl/8.5.0",
    b"python-requests/2.31.0",
    b"Go-http-client/2.0",
    b"azsdk-python-identity/1.15.0 Python/3.11.7 (Linux-6.1.0-x86_64-with-glibc2.36)",
    b"MdePartner-Contoso-ContosoCognito/1.0.0",
    b"MdePartner-VMRay-VMRayAnalyzer/4.4.1",
    b"MdePartner-JoeSecurity-JoeSecuritySandbox-AzureFunctionApp/4.4.1",
    b"MdePartner-Contoso-ContosoCognito/1.0.0 (Linux; x86_64) hyper/1.12.0",
    b"MdePartner-Contoso Ltd-Cognito/1.0",
    b"MdePartner-Contoso-ContosoCognito/1.0.0, curl/8.5.0",
    b"mdepartner-contoso-cognito/1.0",
    b"Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
    b"Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
];
