//! Extreme values through the grammar and the layers, on a small stack.

mod support;

use std::convert::Infallible;
use std::future::ready;
use std::task::Poll;
use std::time::{Duration, Instant};

use http::header::USER_AGENT;
use http::{HeaderValue, Request};
use mde_partner_ua::grammar;
use mde_partner_ua::{PartnerUserAgent, PartnerUserAgentLayer, ValidateUserAgentLayer};
use tower::{Layer, Service};

const UA: PartnerUserAgent =
    PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");

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
    let Poll::Ready(result) = support::poll_once(service.call(request)) else {
        panic!("the inner service answers at once");
    };
    let sent = result.map_err(Into::into)?;
    Ok(support::ua_fields(sent.headers()))
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

/// The shortest of five runs of `f`, to leave out what other work on the machine adds.
fn shortest(mut f: impl FnMut()) -> Duration {
    (0..5)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap()
}

#[test]
fn validation_time_grows_linearly_with_length_and_depth() {
    // Eight times the bytes takes about eight times as long; a quadratic scan would take 64
    // times. The bound leaves room for caches and a busy machine, not for a square.
    for (name, make) in [
        ("one long comment", long_value as fn(usize) -> Vec<u8>),
        ("nested comments", |len| nested_value(len / 2)),
    ] {
        let small = make(1 << 20);
        let large = make(8 << 20);
        let small_time = shortest(|| assert!(grammar::validate(&small).is_ok()));
        let large_time = shortest(|| assert!(grammar::validate(&large).is_ok()));
        let ratio = large_time.as_secs_f64() / small_time.as_secs_f64().max(1e-9);
        println!("{name}: 1 MiB {small_time:?}, 8 MiB {large_time:?}, ratio {ratio:.1}");
        assert!(
            ratio < 24.0,
            "{name}: 8x the length took {ratio:.1}x the time"
        );
    }
}
