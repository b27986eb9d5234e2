//! One case of `benches/instructions.sh`, run `N` times: `user-build CASE N`.
//!
//! Whole-process instruction counts for N, 2N and 3N runs, differenced, give the cost of one run
//! with start-up cancelled out; the script subtracts the `noop` case (or the `noop-ua` case for
//! requests that carry a User-Agent) to leave what the layer adds.

use std::convert::Infallible;
use std::future::{ready, Future, Ready};
use std::hint::black_box;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use http::header::{HeaderValue, ACCEPT, USER_AGENT};
use http::Request;
use mde_partner_ua::{
    PartnerUserAgent, PartnerUserAgentLayer, ValidateUserAgentLayer,
};
use tower::{Layer, Service};
use tower_http::set_header::SetRequestHeaderLayer;

const UA: PartnerUserAgent =
    PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");
const STATIC: HeaderValue = HeaderValue::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");
/// The 68-byte value of a hyper client behind the partner product.
const VALUE_68: HeaderValue = HeaderValue::from_static(
    "MdePartner-Contoso-ContosoCognito/1.0.0 (Linux; x86_64) hyper/1.12.0",
);
const CURL: HeaderValue = HeaderValue::from_static("curl/8.5.0");

struct NoWake;

impl Wake for NoWake {
    fn wake(self: Arc<Self>) {}
}

/// The inner service: does nothing, answers at once.
#[derive(Clone, Copy)]
struct Noop;

impl<B> Service<Request<B>> for Noop {
    type Response = http::Response<()>;
    type Error = Infallible;
    type Future = Ready<Result<http::Response<()>, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        black_box(&request);
        ready(Ok(http::Response::new(())))
    }
}

/// The hand-written baseline: insert a `const` header value, then call the inner service.
#[derive(Clone, Copy)]
struct Insert<S>(S);

impl<S: Service<Request<B>>, B> Service<Request<B>> for Insert<S> {
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<B>) -> S::Future {
        request.headers_mut().insert(USER_AGENT, STATIC.clone());
        self.0.call(request)
    }
}

/// The floor for any value held at run time: insert a clone of a header value kept in the
/// service, which clones through the `Bytes` vtable.
#[derive(Clone)]
struct InsertHeld<S>(S, HeaderValue);

impl<S: Service<Request<B>>, B> Service<Request<B>> for InsertHeld<S> {
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<B>) -> S::Future {
        request.headers_mut().insert(USER_AGENT, self.1.clone());
        self.0.call(request)
    }
}

/// A request as a client builds one.
fn request(user_agent: Option<HeaderValue>) -> Request<()> {
    let mut request = Request::get("https://api.security.microsoft.com/api/alerts")
        .header(ACCEPT, HeaderValue::from_static("application/json"))
        .body(())
        .unwrap();
    if let Some(value) = user_agent {
        request.headers_mut().insert(USER_AGENT, value);
    }
    request
}

fn run<S, E>(mut service: S, user_agent: Option<HeaderValue>, n: usize)
where
    S: Service<Request<()>, Error = E>,
    S::Response: std::fmt::Debug,
    E: std::fmt::Debug,
{
    let waker = Waker::from(Arc::new(NoWake));
    let mut cx = Context::from_waker(&waker);
    for _ in 0..n {
        let request = request(user_agent.clone());
        assert!(service.poll_ready(&mut cx).is_ready());
        let future = pin!(service.call(request));
        match future.poll(&mut cx) {
            Poll::Ready(result) => {
                black_box(result.unwrap());
            }
            Poll::Pending => unreachable!("the inner service answers at once"),
        }
    }
}

/// `MdePartner-…/1.0.0`, then repeating products, comments and nested comments, padded to
/// 65,536 bytes by a last product.
fn mixed_64k() -> String {
    let mut value = String::from("MdePartner-Contoso-ContosoCognito/1.0.0");
    let mut i = 0;
    while value.len() < 65_536 - 200 {
        value.push_str(&format!(" Agent-{i}/{}.{}", i % 10, i % 97));
        value.push_str(&format!(" (Linux; x86_64; build {i})"));
        value.push_str(" (nested (level (deeper \\) quoted)) done)");
        value.push_str(&format!(" tok_{i}~x"));
        i += 1;
    }
    value.push(' ');
    let pad = 65_536 - value.len();
    value.push_str(&"p".repeat(pad));
    value
}

fn main() {
    let mut args = std::env::args().skip(1);
    let case = args.next().expect("usage: user-build CASE N");
    let n: usize = args.next().and_then(|n| n.parse().ok()).expect("N");
    let runtime_ua = PartnerUserAgent::new("Contoso", "ContosoCognito", "1.0.0").unwrap();
    match case.as_str() {
        "noop" => run(Noop, None, n),
        "noop-ua" => run(Noop, Some(VALUE_68), n),
        "noop-curl" => run(Noop, Some(CURL), n),
        "insert" => run(Insert(Noop), None, n),
        "insert-held" => run(InsertHeld(Noop, black_box(STATIC)), None, n),
        "tower-http" => run(
            SetRequestHeaderLayer::overriding(USER_AGENT, STATIC).layer(Noop),
            None,
            n,
        ),
        "replace-static" => run(PartnerUserAgentLayer::new(UA).layer(Noop), None, n),
        "replace-runtime" => run(PartnerUserAgentLayer::new(runtime_ua).layer(Noop), None, n),
        "prepend-curl" => run(PartnerUserAgentLayer::prepend(UA).layer(Noop), Some(CURL), n),
        "reject-68" => run(ValidateUserAgentLayer::reject().layer(Noop), Some(VALUE_68), n),
        "parse-64k" | "parse-64k-base" => {
            let value = mixed_64k();
            assert_eq!(value.len(), 65_536);
            for _ in 0..n {
                if case == "parse-64k" {
                    let parsed = black_box(value.as_str()).parse::<PartnerUserAgent>();
                    black_box(parsed.unwrap());
                } else {
                    black_box(black_box(value.as_str()).to_owned());
                }
            }
        }
        "validate-flat-64k" | "validate-mixed-64k" | "validate-deep-64k" => {
            let value = match case.as_str() {
                "validate-flat-64k" => {
                    let mut value = String::from("MdePartner-Contoso-ContosoCognito/1.0.0 (");
                    value.push_str(&"x".repeat(65_535 - value.len()));
                    value.push(')');
                    value
                }
                "validate-mixed-64k" => mixed_64k(),
                _ => {
                    let depth = (65_536 - 18) / 2;
                    let mut value = String::from("MdePartner-A-B/1 ");
                    value.push_str(&"(".repeat(depth));
                    value.push_str(&")".repeat(depth));
                    value
                }
            };
            for _ in 0..n {
                black_box(mde_partner_ua::grammar::validate(black_box(value.as_bytes())).unwrap());
            }
        }
        other => panic!("unknown case {other}"),
    }
}
