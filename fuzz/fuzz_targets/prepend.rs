//! Arbitrary caller fields through the prepending layer: the request always leaves with one
//! field, a valid partner User-Agent that starts with the layer's partner product and carries no
//! other partner product, all held against the reference of the tests.
#![no_main]

#[path = "../../tests/reference/mod.rs"]
mod reference;

use std::convert::Infallible;
use std::future::{ready, Future};
use std::task::{Context, Poll, Waker};

use http::header::USER_AGENT;
use http::{HeaderValue, Request};
use libfuzzer_sys::fuzz_target;
use mde_partner_ua::{PartnerUserAgent, PartnerUserAgentLayer};
use tower::{Layer, Service};

const PRODUCT: &str = "MdePartner-Contoso-ContosoCognito/1.0.0";
const UA: PartnerUserAgent = PartnerUserAgent::from_static(PRODUCT);

fuzz_target!(|data: &[u8]| {
    // Fields separated by NUL, which no header value can hold.
    let mut request = Request::new(());
    let mut kept = Vec::new();
    for field in data.split(|&b| b == 0).take(80) {
        if let Ok(value) = HeaderValue::from_bytes(field) {
            request.headers_mut().append(USER_AGENT, value);
            kept.push(field);
        }
    }
    let mut service =
        PartnerUserAgentLayer::prepend(UA).layer(tower::service_fn(|request: Request<()>| {
            ready(Ok::<_, Infallible>(request))
        }));
    let mut cx = Context::from_waker(Waker::noop());
    let Poll::Ready(Ok(sent)) = std::pin::pin!(service.call(request)).as_mut().poll(&mut cx) else {
        panic!("the inner service answers at once");
    };
    let fields: Vec<&HeaderValue> = sent.headers().get_all(USER_AGENT).iter().collect();
    assert_eq!(fields.len(), 1, "{kept:?}");
    let value = fields[0].as_bytes();
    let parts = reference::reference_partner(value);
    assert_eq!(
        parts,
        Some(("Contoso".into(), "ContosoCognito".into(), "1.0.0".into())),
        "{value:?}"
    );
    let product = PRODUCT.as_bytes();
    assert!(value.starts_with(product));
    assert!(matches!(
        value.get(product.len()),
        None | Some(b' ' | b'\t')
    ));
    // One partner product, first.
    let products = reference::products(value);
    assert_eq!(
        products
            .iter()
            .filter(|p| reference::names_a_partner(p))
            .count(),
        1,
        "{value:?}"
    );
    // Every valid field among the first 64 without a partner product is in the value, in order.
    let mut rest = value;
    for field in kept
        .iter()
        .take(64)
        .filter(|f| reference::reference(f).is_ok())
    {
        if reference::products(field)
            .iter()
            .any(|p| reference::names_a_partner(p))
        {
            continue;
        }
        match rest.windows(field.len()).position(|w| w == *field) {
            Some(at) => rest = &rest[at + field.len()..],
            None => panic!("caller field {field:?} missing from {value:?}"),
        }
    }
});
