//! The promises around the grammar: requests whose host is unknown, what is logged and printed
//! of a caller's value, how errors show their cause, the legacy prefix, and `from_static`.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::task::Poll;

use http::header::{HOST, USER_AGENT};
use http::{HeaderValue, Request};
use mde_partner_ua::{
    classify, Classification, HostScope, PartnerErrorKind, PartnerUserAgent, PartnerUserAgentLayer,
    UnknownHost, UserAgentProblem, ValidateUserAgentError, ValidateUserAgentLayer,
};
use support::{poll_once, ua_fields};
use tower::{BoxError, Layer, Service};

const UA_TEXT: &str = "MdePartner-Contoso-ContosoCognito/1.0.0";
const UA: PartnerUserAgent = PartnerUserAgent::from_static(UA_TEXT);

/// Sends `request` through `layer` over an inner service that records what reached it.
fn send<L>(layer: L, request: Request<()>) -> (Result<(), BoxError>, Option<Vec<Vec<u8>>>)
where
    L: Layer<tower::util::ServiceFn<Box<dyn FnMut(Request<()>) -> Ready + Send>>>,
    L::Service: Service<Request<()>, Response = (), Error = BoxError>,
{
    let seen = Arc::new(Mutex::new(None));
    let record = seen.clone();
    let inner: Box<dyn FnMut(Request<()>) -> Ready + Send> = Box::new(move |request| {
        *record.lock().unwrap() = Some(ua_fields(request.headers()));
        std::future::ready(Ok(()))
    });
    let mut service = layer.layer(tower::service_fn(inner));
    let result = match poll_once(service.call(request)) {
        Poll::Ready(result) => result,
        Poll::Pending => panic!("the layers finish in one poll over a ready service"),
    };
    let seen = seen.lock().unwrap().take();
    (result, seen)
}

type Ready = std::future::Ready<Result<(), BoxError>>;

fn relative(host: Option<&str>, user_agent: Option<&str>) -> Request<()> {
    let mut request = Request::get("/grpc.health.v1.Health/Check");
    if let Some(host) = host {
        request = request.header(HOST, host);
    }
    if let Some(value) = user_agent {
        request = request.header(USER_AGENT, value);
    }
    request.body(()).unwrap()
}

#[test]
fn scoped_layers_stamp_and_check_a_request_whose_host_is_unknown() {
    let scope = HostScope::all_microsoft;
    for host in [
        None,
        Some("graph.microsoft.com "),
        Some("\tgraph.microsoft.com"),
    ] {
        let (result, seen) = send(
            PartnerUserAgentLayer::new(UA).only_for(scope()),
            relative(host, None),
        );
        assert!(result.is_ok());
        assert_eq!(seen.unwrap(), [UA_TEXT.as_bytes()], "Host {host:?}");
    }
    // Unknown, or malformed, hosts are checked by a scoped validator: nothing leaves.
    for host in [
        None,
        Some("evil.example@graph.microsoft.com"),
        Some("graph.microsoft.com:abc"),
        Some("graph.microsoft.com "),
    ] {
        let (result, seen) = send(
            ValidateUserAgentLayer::reject().only_for(scope()),
            relative(host, Some("curl/8.5.0")),
        );
        let error = result.unwrap_err();
        let error = error.downcast_ref::<ValidateUserAgentError>().unwrap();
        assert_eq!(error.problem(), UserAgentProblem::NotPartner);
        assert_eq!(seen, None, "Host {host:?} reached the inner service");
    }
    // Outside the scope, and only when asked, unknown hosts pass untouched.
    let outside = || scope().on_unknown_host(UnknownHost::OutOfScope);
    let (result, seen) = send(
        ValidateUserAgentLayer::reject().only_for(outside()),
        relative(None, Some("curl/8.5.0")),
    );
    assert!(result.is_ok());
    assert_eq!(seen.unwrap(), [b"curl/8.5.0"]);
    let (_, seen) = send(
        PartnerUserAgentLayer::new(UA).only_for(outside()),
        relative(None, None),
    );
    assert_eq!(seen.unwrap(), Vec::<Vec<u8>>::new());
    // A malformed `Host` is never read as a Microsoft host.
    let (_, seen) = send(
        PartnerUserAgentLayer::new(UA).only_for(outside()),
        relative(Some("evil.example@graph.microsoft.com"), None),
    );
    assert_eq!(seen.unwrap(), Vec::<Vec<u8>>::new());
}

/// Collects what a `tracing` fmt subscriber writes, per event.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl Write for Log {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Log {
    /// Runs `f` with this log as the subscriber and returns the lines written.
    fn capture(f: impl FnOnce()) -> Vec<String> {
        let log = Log::default();
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        tracing::subscriber::with_default(subscriber, f);
        let bytes = log.0.lock().unwrap().clone();
        String::from_utf8(bytes)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

fn request_with(fields: &[HeaderValue]) -> Request<()> {
    let mut request = Request::get("https://api.security.microsoft.com/api/alerts")
        .body(())
        .unwrap();
    for field in fields {
        request.headers_mut().append(USER_AGENT, field.clone());
    }
    request
}

#[test]
fn one_bounded_warning_per_request_whatever_the_caller_sent() {
    let mut huge_obs_text = b"curl/8 (".to_vec();
    huge_obs_text.resize(1 << 20, 0xff);
    let huge_obs_text = HeaderValue::from_bytes(&huge_obs_text).unwrap();
    let mut huge_valid = b"curl/8 (".to_vec();
    huge_valid.resize((1 << 20) - 1, b'x');
    huge_valid.push(b')');
    let huge_valid = HeaderValue::from_bytes(&huge_valid).unwrap();
    let many_invalid: Vec<HeaderValue> = (0..2_000)
        .map(|i| HeaderValue::from_str(&format!("bad,{i} (")).unwrap())
        .collect();
    let many_valid = vec![huge_valid.clone(); 100];

    let cases: [(&str, Vec<HeaderValue>); 4] = [
        ("1 MiB of obs-text", vec![huge_obs_text]),
        ("1 MiB, not a partner value", vec![huge_valid]),
        ("2,000 invalid fields", many_invalid),
        ("100 fields of 1 MiB", many_valid),
    ];
    for (name, fields) in cases {
        let lines = Log::capture(|| {
            let _ = send(PartnerUserAgentLayer::prepend(UA), request_with(&fields));
            let _ = send(ValidateUserAgentLayer::warn(), request_with(&fields));
            let _ = send(ValidateUserAgentLayer::repair(UA), request_with(&fields));
            let (result, _) = send(ValidateUserAgentLayer::reject(), request_with(&fields));
            let error = result.unwrap_err();
            assert!(error.to_string().len() <= 16 * 1024, "{name}: Display");
            assert!(format!("{error:?}").len() <= 16 * 1024, "{name}: Debug");
            assert!(format!("{error:#?}").len() <= 16 * 1024, "{name}: Debug");
        });
        // prepend (unless it dropped nothing), warn and repair: one line each at most.
        assert!((2..=3).contains(&lines.len()), "{name}: {lines:#?}");
        for line in &lines {
            assert!(line.len() <= 16 * 1024, "{name}: {} bytes", line.len());
        }
    }
}

/// The parts of a log line outside double quotes, with `\"` inside quotes taken as escaped.
fn unquoted(line: &str) -> String {
    let mut out = String::new();
    let (mut quoted, mut escaped) = (false, false);
    for c in line.chars() {
        match (quoted, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (_, false, '"') => quoted = !quoted,
            (false, _, c) => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn a_logged_value_cannot_pose_as_fields_of_the_event() {
    let forged = "curl/8 problem=None verdict=accepted";
    let lines = Log::capture(|| {
        let fields = [HeaderValue::from_static(forged)];
        let _ = send(ValidateUserAgentLayer::warn(), request_with(&fields));
        let fields = [HeaderValue::from_static("curl/8 (\"x\" verdict=accepted")];
        let _ = send(PartnerUserAgentLayer::prepend(UA), request_with(&fields));
    });
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert!(
        lines[0].contains(r#"value="curl/8 problem=None verdict=accepted""#),
        "{}",
        lines[0]
    );
    for line in &lines {
        let outside = unquoted(line);
        assert!(!outside.contains("verdict="), "{line}");
        assert!(outside.matches("problem=").count() <= 1, "{line}");
    }
}

#[test]
fn each_cause_is_shown_once_and_errors_have_no_source() {
    let value = "MdePartner-Contoso-ContosoCognito/1.0.0 (Linux";
    let (result, _) = send(
        ValidateUserAgentLayer::reject(),
        request_with(&[HeaderValue::from_static(value)]),
    );
    let error = result.unwrap_err();
    let refusal = error.downcast_ref::<ValidateUserAgentError>().unwrap();
    let syntax = refusal.syntax_error().unwrap().to_string();
    let mut chain = vec![error.to_string()];
    let mut cause = std::error::Error::source(&*error);
    while let Some(next) = cause {
        chain.push(next.to_string());
        cause = next.source();
    }
    assert_eq!(chain.len(), 1, "{chain:#?}");
    assert_eq!(chain.concat().matches(&syntax).count(), 1, "{chain:#?}");

    let parse = value.parse::<PartnerUserAgent>().unwrap_err();
    assert!(std::error::Error::source(&parse).is_none());
    assert_eq!(parse.to_string().matches(&syntax).count(), 1);
}

#[test]
fn the_legacy_prefix_is_named_with_the_exact_correction() {
    let legacy = "MdatpPartner-Contoso-ContosoCognito/1.0.0 (Linux)";
    let Classification::Rfc9110 { reason, .. } = classify(legacy.as_bytes()) else {
        panic!("a legacy value is a valid User-Agent, not a partner one");
    };
    assert_eq!(reason.kind(), PartnerErrorKind::LegacyPrefix);
    let message = reason.to_string();
    assert!(message.contains("legacy prefix"), "{message}");
    assert!(
        message.contains(r#"send "MdePartner-Contoso-ContosoCognito/1.0.0" instead"#),
        "{message}"
    );
    // A security partner's form: a tenant id is a valid version token.
    let tenant = "MdatpPartner-Contoso-ContosoCognito/8d7f2f3a-4c1e-4f8a-9b2d-1e2f3a4b5c6d";
    let error = tenant.parse::<PartnerUserAgent>().unwrap_err();
    assert!(
        error.to_string().contains(
            r#"send "MdePartner-Contoso-ContosoCognito/8d7f2f3a-4c1e-4f8a-9b2d-1e2f3a4b5c6d""#
        ),
        "{error}"
    );
    assert!(UA.followed_by("x/1").is_ok());

    let fields = [HeaderValue::from_static(legacy)];
    let (result, _) = send(ValidateUserAgentLayer::reject(), request_with(&fields));
    let message = result.unwrap_err().to_string();
    assert!(message.contains("legacy prefix"), "{message}");
    let lines = Log::capture(|| {
        let _ = send(ValidateUserAgentLayer::warn(), request_with(&fields));
    });
    assert!(lines[0].contains("legacy prefix"), "{lines:?}");
    let (_, seen) = send(ValidateUserAgentLayer::repair(UA), request_with(&fields));
    assert_eq!(seen.unwrap(), [UA_TEXT.as_bytes()]);
    // prepend sends ours and drops the legacy product with its comment.
    let fields = [HeaderValue::from_static(
        "MdatpPartner-Contoso-ContosoCognito/1.0.0 (Linux) curl/8",
    )];
    let (_, seen) = send(PartnerUserAgentLayer::prepend(UA), request_with(&fields));
    assert_eq!(seen.unwrap(), [format!("{UA_TEXT} curl/8").into_bytes()]);
}

#[test]
fn from_static_refuses_text_beyond_ascii_with_its_own_message() {
    let panic = std::panic::catch_unwind(|| {
        PartnerUserAgent::from_static("MdePartner-A-B/1 (Z\u{fc}rich)")
    })
    .unwrap_err();
    let message = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap();
    assert!(
        message.starts_with("PartnerUserAgent::from_static takes visible ASCII"),
        "{message}"
    );
    // The same text is a partner value at run time.
    let ua: PartnerUserAgent = "MdePartner-A-B/1 (Z\u{fc}rich)".parse().unwrap();
    assert_eq!(ua.company(), "A");
}
