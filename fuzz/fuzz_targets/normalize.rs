//! Any bytes as one caller field through the prepending layer: the request always leaves with
//! one valid RFC 9110 field that starts with the partner product. An RFC 9110 caller value
//! follows it exactly; an RFC 2616 one follows it in RFC 9110 form, equal to it once white space
//! is removed, its elements in order with one space between them; all held against the references of the tests.
#![no_main]

#[path = "../../tests/reference/mod.rs"]
mod reference;

use std::convert::Infallible;
use std::future::{ready, Future};
use std::task::{Context, Poll, Waker};

use http::header::USER_AGENT;
use http::{HeaderValue, Request};
use libfuzzer_sys::fuzz_target;
use mde_partner_ua::{grammar, PartnerUserAgent, PartnerUserAgentLayer};
use tower::{Layer, Service};

const PRODUCT: &str = "MdePartner-Contoso-ContosoCognito/1.0.0";
const UA: PartnerUserAgent = PartnerUserAgent::from_static(PRODUCT);

fuzz_target!(|data: &[u8]| {
    let is_rfc9110 = reference::reference(data).is_ok();
    let is_rfc2616 = reference::reference_rfc2616(data);
    // Every RFC 9110 value is an RFC 2616 one, and the crate agrees on both.
    assert!(!is_rfc9110 || is_rfc2616, "{data:?}");
    match grammar::validate(data) {
        Ok(()) => assert!(is_rfc9110, "{data:?}"),
        Err(error) => {
            assert!(!is_rfc9110, "{data:?}");
            assert_eq!(error.is_valid_rfc2616(), is_rfc2616, "{data:?}");
            assert_eq!(
                error.to_string().contains("RFC 2616"),
                is_rfc2616,
                "{data:?}"
            );
        }
    }

    // Only what a header value can hold reaches the layer.
    let Ok(field) = HeaderValue::from_bytes(data) else {
        return;
    };
    let mut request = Request::new(());
    request.headers_mut().insert(USER_AGENT, field);
    let mut service =
        PartnerUserAgentLayer::prepend(UA).layer(tower::service_fn(|request: Request<()>| {
            ready(Ok::<_, Infallible>(request))
        }));
    let mut cx = Context::from_waker(Waker::noop());
    let Poll::Ready(Ok(sent)) = std::pin::pin!(service.call(request)).as_mut().poll(&mut cx) else {
        panic!("the inner service answers at once");
    };
    let fields: Vec<&HeaderValue> = sent.headers().get_all(USER_AGENT).iter().collect();
    assert_eq!(fields.len(), 1, "{data:?}");
    let value = fields[0].as_bytes();
    assert_eq!(reference::reference(value), Ok(()), "{value:?}");
    assert!(reference::reference_rfc2616(value), "{value:?}");
    let product = PRODUCT.as_bytes();
    assert!(value.starts_with(product), "{value:?}");
    assert!(matches!(
        value.get(product.len()),
        None | Some(b' ' | b'\t')
    ));

    // A caller value with a partner product of its own loses it; the rest is checked above.
    let partner_free = !data
        .windows(10)
        .any(|w| w.eq_ignore_ascii_case(b"mdepartner") || w.eq_ignore_ascii_case(b"mdatppartn"));
    if !partner_free {
        return;
    }
    let kept = value.get(product.len() + 1..).unwrap_or_default();
    if is_rfc9110 {
        assert_eq!(kept, data, "{value:?}");
    } else if is_rfc2616 {
        assert_eq!(
            reference::without_white(kept),
            reference::without_white(data),
            "{data:?} became {value:?}"
        );
        // Its elements in order, one space between them, none around a '/'.
        assert_eq!(
            kept,
            reference::elements_rfc2616(data).join(&b' '),
            "{data:?}"
        );
    } else {
        assert!(kept.is_empty(), "{data:?} became {value:?}");
    }
});
