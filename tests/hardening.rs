//! Extreme values through the grammar and the layers, on a small stack.

use std::convert::Infallible;
use std::future::{ready, Future};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Instant;

use http::header::USER_AGENT;
use http::{HeaderValue, Request};
use mde_partner_ua::grammar;
use mde_partner_ua::{PartnerUserAgent, PartnerUserAgentLayer, ValidateUserAgentLayer};
use tower::{Layer, Service};

const UA: PartnerUserAgent =
    PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");

struct NoWake;

impl Wake for NoWake {
    fn wake(self: Arc<Self>) {}
}

/// A partner value of `len` bytes: the partner product and one long comment.
fn long_value(len: usize) -> Vec<u8> {
    let mut value = b"MdePartner-Contoso-ContosoCognito/1.0.0 (".to_vec();
    value.resize(len - 1, b'x');
    value.push(b')');
    value
}

fn nested_value(depth: usize) -> Vec<u8> {
    let mut value = b"MdePartner-Contoso-ContosoCognito/1.0.0 ".to_vec();
    value.extend(std::iter::repeat_n(b'(', depth));
    value.extend(std::iter::repeat_n(b')', depth));
    value
}

/// Runs `test` on a thread with a 256 KiB stack: any recursion per byte or per level would
/// overflow it.
fn on_small_stack(test: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(test)
        .unwrap()
        .join()
        .unwrap();
}

type Echo = fn(Request<()>) -> std::future::Ready<Result<Request<()>, Infallible>>;

/// Sends a request carrying `value` through `layer` and returns the fields that leave it.
fn through<L>(layer: L, value: &[u8]) -> Result<Vec<Vec<u8>>, tower::BoxError>
where
    L: Layer<tower::util::ServiceFn<Echo>>,
    L::Service: Service<Request<()>, Response = Request<()>>,
    <L::Service as Service<Request<()>>>::Error: Into<tower::BoxError>,
{
    let echo: Echo = |request| ready(Ok(request));
    let mut service = layer.layer(tower::service_fn(echo));
    let mut request = Request::new(());
    request
        .headers_mut()
        .insert(USER_AGENT, HeaderValue::from_bytes(value).unwrap());
    let waker = Waker::from(Arc::new(NoWake));
    let mut cx = Context::from_waker(&waker);
    let Poll::Ready(result) = std::pin::pin!(service.call(request)).as_mut().poll(&mut cx) else {
        panic!("the inner service answers at once");
    };
    let sent = result.map_err(Into::into)?;
    Ok(sent
        .headers()
        .get_all(USER_AGENT)
        .iter()
        .map(|value| value.as_bytes().to_vec())
        .collect())
}

#[test]
fn sixteen_mib_values_through_the_grammar_and_the_layers() {
    on_small_stack(|| {
        let value = long_value(16 << 20);
        assert!(grammar::validate(&value).is_ok());
        let sent = through(ValidateUserAgentLayer::reject(), &value).unwrap();
        assert_eq!(sent, std::slice::from_ref(&value));
        // As a caller value, kept after the partner value.
        let mut caller = b"curl/8.5.0 (".to_vec();
        caller.resize(16 << 20, b'y');
        caller.push(b')');
        let sent = through(PartnerUserAgentLayer::prepend(UA), &caller).unwrap();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].len(), UA.as_str().len() + 1 + caller.len());
        assert!(sent[0].starts_with(b"MdePartner-Contoso-ContosoCognito/1.0.0 curl/8.5.0 ("));
    });
}

#[test]
fn a_million_nested_comments_through_the_grammar_and_the_layers() {
    on_small_stack(|| {
        let value = nested_value(1_000_000);
        assert!(grammar::validate(&value).is_ok());
        assert_eq!(
            through(ValidateUserAgentLayer::reject(), &value).unwrap(),
            std::slice::from_ref(&value)
        );

        let unclosed = &value[..value.len() - 1];
        let error = through(ValidateUserAgentLayer::reject(), unclosed).unwrap_err();
        assert!(
            error.to_string().contains("1 parenthesis still open"),
            "{error}"
        );

        // Not glued on when invalid, kept when valid.
        let caller: Vec<u8> = [b"curl/8.5.0 ".as_slice(), &value[40..]].concat();
        let sent = through(PartnerUserAgentLayer::prepend(UA), &caller).unwrap();
        assert_eq!(sent[0].len(), UA.as_str().len() + 1 + caller.len());
        let sent = through(
            PartnerUserAgentLayer::prepend(UA),
            &caller[..caller.len() - 1],
        )
        .unwrap();
        assert_eq!(sent, [UA.as_str().as_bytes()]);
    });
}

#[test]
fn validation_time_grows_linearly_with_length() {
    // Measured and printed, not asserted: `cargo test --release --test hardening -- --nocapture`.
    for mib in [1, 4, 16] {
        let value = long_value(mib << 20);
        let start = Instant::now();
        assert!(grammar::validate(&value).is_ok());
        let long = start.elapsed();
        let value = nested_value(mib << 19);
        let start = Instant::now();
        assert!(grammar::validate(&value).is_ok());
        let nested = start.elapsed();
        println!("{mib:>2} MiB: comment {long:?}, nested {nested:?}");
    }
}
