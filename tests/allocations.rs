//! Allocations per request, counted by a global allocator: none for replace and validate, one at
//! most for prepend with a caller value.
//!
//! One test function, so that no other test allocates while it counts.

mod support;

use std::alloc::System;
use std::convert::Infallible;
use std::future::{ready, Future, Ready};
use std::task::{Context, Poll};

use http::header::{HeaderValue, ACCEPT, USER_AGENT};
use http::Request;
use mde_partner_ua::{HostScope, PartnerUserAgent, PartnerUserAgentLayer, ValidateUserAgentLayer};
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};
use tower::{Layer, Service};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const UA: PartnerUserAgent =
    PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");
const REQUESTS: usize = 1_000;

/// An inner service that does nothing but hand the request back.
fn echo(request: Request<()>) -> Ready<Result<Request<()>, Infallible>> {
    ready(Ok(request))
}

/// A request to a Microsoft host whose header map has room, so that inserting a header does
/// not grow it: what is counted is the layer's work, not the map's.
fn request(user_agent: Option<&'static str>) -> Request<()> {
    let mut request = Request::get("https://api.security.microsoft.com/api/alerts")
        .body(())
        .unwrap();
    request.headers_mut().reserve(16);
    request
        .headers_mut()
        .insert(ACCEPT, HeaderValue::from_static("application/json"));
    if let Some(value) = user_agent {
        request
            .headers_mut()
            .insert(USER_AGENT, HeaderValue::from_static(value));
    }
    request
}

/// Allocations per request made by `service`, after a warm-up, for requests made by `make`.
fn allocations_per_request<S, E>(mut service: S, make: impl Fn() -> Request<()>) -> f64
where
    S: Service<Request<()>, Response = Request<()>, Error = E>,
    E: std::fmt::Debug,
{
    let waker = support::noop_waker();
    let mut cx = Context::from_waker(&waker);
    let mut send = |service: &mut S, request| {
        assert!(service.poll_ready(&mut cx).is_ready());
        let mut future = std::pin::pin!(service.call(request));
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(result) => result.unwrap(),
            Poll::Pending => panic!("the inner service is ready at once"),
        }
    };
    for _ in 0..10 {
        drop(send(&mut service, make()));
    }
    let requests: Vec<Request<()>> = (0..REQUESTS).map(|_| make()).collect();
    let mut sent = Vec::with_capacity(REQUESTS);
    let region = Region::new(GLOBAL);
    for request in requests {
        sent.push(send(&mut service, request));
    }
    let allocations = region.change().allocations;
    drop(sent);
    allocations as f64 / REQUESTS as f64
}

fn stamped(
    layer: PartnerUserAgentLayer,
) -> impl Service<Request<()>, Response = Request<()>, Error = Infallible> {
    layer.layer(tower::service_fn(echo))
}

#[test]
fn replace_and_validate_allocate_nothing_and_prepend_at_most_once() {
    // The counter counts: a service that formats a value per request allocates.
    let formatting = tower::service_fn(|mut request: Request<()>| {
        let value = format!("MdePartner-Contoso-ContosoCognito/{}", 1);
        request
            .headers_mut()
            .insert(USER_AGENT, HeaderValue::from_str(&value).unwrap());
        ready(Ok::<_, Infallible>(request))
    });
    assert!(allocations_per_request(formatting, || request(None)) >= 2.0);

    let runtime = PartnerUserAgent::new("Contoso", "ContosoCognito", "1.0.0").unwrap();
    let replace = |ua: &PartnerUserAgent, caller| {
        allocations_per_request(stamped(PartnerUserAgentLayer::new(ua.clone())), move || {
            request(caller)
        })
    };
    assert_eq!(
        replace(&UA, None),
        0.0,
        "replace, static value, no caller value"
    );
    assert_eq!(
        replace(&UA, Some("curl/8.5.0")),
        0.0,
        "replace, static value, caller value"
    );
    assert_eq!(
        replace(&runtime, None),
        0.0,
        "replace, run-time value, no caller value"
    );
    assert_eq!(
        replace(&runtime, Some("curl/8.5.0")),
        0.0,
        "replace, run-time value, caller value"
    );

    let scoped = PartnerUserAgentLayer::new(UA).only_for(HostScope::commercial());
    assert_eq!(
        allocations_per_request(stamped(scoped.clone()), || request(None)),
        0.0,
        "scoped, in scope"
    );
    let outside = || {
        let mut request = request(None);
        *request.uri_mut() = "http://127.0.0.1:8080/".parse().unwrap();
        request
    };
    // Building the URI above allocates before counting starts; skipping costs nothing.
    assert_eq!(
        allocations_per_request(stamped(scoped), outside),
        0.0,
        "scoped, out of scope"
    );

    let with_override = || {
        let mut request = request(None);
        request
            .extensions_mut()
            .insert(PartnerUserAgent::from_static("MdePartner-Contoso-Other/2"));
        request
    };
    assert_eq!(
        allocations_per_request(stamped(PartnerUserAgentLayer::new(UA)), with_override),
        0.0,
        "override"
    );

    let prepend = |caller| {
        allocations_per_request(stamped(PartnerUserAgentLayer::prepend(UA)), move || {
            request(caller)
        })
    };
    assert_eq!(prepend(None), 0.0, "prepend, no caller value");
    assert_eq!(prepend(Some("curl/8.5.0")), 1.0, "prepend, caller value");
    assert_eq!(
        prepend(Some("Mozilla/5.0(Windows NT 10.0) foo / 1.0")),
        1.0,
        "prepend, caller value valid under RFC 2616 only"
    );
    assert_eq!(prepend(Some("curl/8.5.0 (")), 0.0, "prepend, invalid value");
    assert_eq!(
        prepend(Some("MdePartner-Contoso-ContosoCognito/1.0.0 curl/8.5.0")),
        0.0,
        "prepend, already stamped"
    );

    let valid = || {
        request(Some(
            "MdePartner-Contoso-ContosoCognito/1.0.0 (Linux; x86_64) hyper/1.12.0",
        ))
    };
    for (name, layer) in [
        ("reject", ValidateUserAgentLayer::reject()),
        ("warn", ValidateUserAgentLayer::warn()),
    ] {
        let service = layer.layer(tower::service_fn(echo));
        assert_eq!(
            allocations_per_request(service, valid),
            0.0,
            "validate {name}, valid value"
        );
    }
}
