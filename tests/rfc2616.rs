//! Values valid under RFC 2616, section 14.43 (the rule Microsoft's guide names) and not under
//! RFC 9110: every verdict says so and what RFC 9110 needs, and prepend keeps them in RFC 9110
//! form.

mod reference;
mod support;

use std::convert::Infallible;
use std::future::{ready, Ready};
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::task::Poll;

use http::header::USER_AGENT;
use http::{HeaderValue, Request};
use mde_partner_ua::grammar::{self, SyntaxErrorKind};
use mde_partner_ua::{
    classify, Classification, PartnerErrorKind, PartnerUserAgent, PartnerUserAgentLayer,
    UserAgentProblem, ValidateUserAgentError, ValidateUserAgentLayer,
};
use reference::{reference, reference_rfc2616, without_white};
use tower::{BoxError, Layer, Service};

const UA: PartnerUserAgent =
    PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");

/// The values of the issue, what RFC 9110 needs instead, and their RFC 9110 form.
const EXAMPLES: [(&str, &str, &str); 6] = [
    (
        "Mozilla/5.0(Windows NT 10.0)",
        "RFC 9110 needs a space before the comment at byte 11",
        "Mozilla/5.0 (Windows NT 10.0)",
    ),
    (
        "foo / 1.0",
        "RFC 9110 needs no space around the '/' at byte 4",
        "foo/1.0",
    ),
    (
        "foo/ 1.0",
        "RFC 9110 needs no space around the '/' at byte 3",
        "foo/1.0",
    ),
    (
        "a/1(b)(c)d/2",
        "RFC 9110 needs a space before the comment at byte 3",
        "a/1 (b) (c) d/2",
    ),
    (
        "(Android)(10)(Samsung GT-I8530)",
        "RFC 9110 needs a product before the first comment",
        "(Android) (10) (Samsung GT-I8530)",
    ),
    (
        "Dalvik/2.1.0 (Linux; U)Mobile",
        "RFC 9110 needs a space after the comment that opened at byte 13, before byte 23",
        "Dalvik/2.1.0 (Linux; U) Mobile",
    ),
];

#[test]
fn the_references_agree_on_the_examples() {
    for (value, _, form) in EXAMPLES {
        assert!(reference_rfc2616(value.as_bytes()), "{value}");
        assert!(reference(value.as_bytes()).is_err(), "{value}");
        // After the partner product, as prepend sends it.
        let sent = format!("{UA} {form}");
        assert_eq!(reference(sent.as_bytes()), Ok(()), "{sent}");
        assert_eq!(
            without_white(form.as_bytes()),
            without_white(value.as_bytes())
        );
    }
}

#[test]
fn the_syntax_error_says_the_value_is_valid_under_rfc2616_and_what_rfc9110_needs() {
    for (value, needs, _) in EXAMPLES {
        let error = grammar::validate(value.as_bytes()).unwrap_err();
        assert!(error.is_valid_rfc2616(), "{value}");
        let message = error.to_string();
        assert!(
            message.contains("the value is valid under RFC 2616 (section 14.43)"),
            "{message}"
        );
        assert!(message.ends_with(needs), "{message}");
        assert_eq!(grammar::first_product(value.as_bytes()).unwrap_err(), error);
    }
    let error = grammar::validate(b"Mozilla/5.0(Windows NT 10.0)").unwrap_err();
    assert_eq!(error.kind(), SyntaxErrorKind::MissingSpaceBeforeComment);
    assert_eq!(
        error.to_string(),
        "invalid User-Agent at byte 11: found '(' (0x28); expected a space between the product \
         that starts at byte 0 and the comment; the value is valid under RFC 2616 (section \
         14.43), whose implied white space allows it; RFC 9110 needs a space before the comment \
         at byte 11"
    );
}

#[test]
fn values_invalid_under_both_say_nothing_of_rfc2616() {
    for value in [
        &b"a/1/2"[..],
        b"a (b",
        b" a",
        b"a ",
        b"a,b",
        b"",
        b"a (b\\)",
    ] {
        let error = grammar::validate(value).unwrap_err();
        assert!(!error.is_valid_rfc2616(), "{value:?}");
        assert!(!error.to_string().contains("RFC 2616"), "{error}");
    }
}

#[test]
fn a_quoted_control_byte_is_rfc2616_and_explained_as_such() {
    let error = grammar::validate(b"a (b\\\x01)").unwrap_err();
    assert_eq!(error.kind(), SyntaxErrorKind::ControlByte);
    assert!(error.is_valid_rfc2616());
    assert!(
        error
            .to_string()
            .ends_with("RFC 9110 needs no control byte at byte 5, even after a '\\'"),
        "{error}"
    );
}

#[test]
fn classify_and_partner_errors_name_rfc2616() {
    for (value, needs, _) in EXAMPLES {
        let Classification::Invalid(error) = classify(value.as_bytes()) else {
            panic!("{value} is not RFC 9110");
        };
        assert!(error.to_string().ends_with(needs), "{error}");
        let error = value.parse::<PartnerUserAgent>().unwrap_err();
        assert_eq!(error.kind(), PartnerErrorKind::Syntax);
        assert!(error.syntax_error().unwrap().is_valid_rfc2616());
        let message = error.to_string();
        assert!(
            message.starts_with("not a valid RFC 9110 User-Agent: ")
                && message.contains("valid under RFC 2616")
                && message.ends_with(needs),
            "{message}"
        );
    }
    // A partner value written to RFC 2616.
    let error = "MdePartner-Contoso-ContosoCognito/1.0.0(Linux)"
        .parse::<PartnerUserAgent>()
        .unwrap_err();
    assert!(error
        .to_string()
        .ends_with("RFC 9110 needs a space before the comment at byte 39"));
}

type Echo = fn(Request<()>) -> Ready<Result<Request<()>, Infallible>>;

/// Sends a request carrying `fields` through `layer`; the fields that leave it, or the error.
fn through<L>(layer: L, fields: &[&str]) -> Result<Vec<String>, BoxError>
where
    L: Layer<tower::util::ServiceFn<Echo>>,
    L::Service: Service<Request<()>, Response = Request<()>>,
    <L::Service as Service<Request<()>>>::Error: Into<BoxError>,
{
    let echo: Echo = |request| ready(Ok(request));
    let mut service = layer.layer(tower::service_fn(echo));
    let mut request = Request::new(());
    for field in fields {
        let value = HeaderValue::from_str(field).unwrap();
        request.headers_mut().append(USER_AGENT, value);
    }
    let Poll::Ready(result) = support::poll_once(service.call(request)) else {
        panic!("the echo service answers at once");
    };
    let sent = result.map_err(Into::into)?;
    Ok(sent
        .headers()
        .get_all(USER_AGENT)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect())
}

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

/// Runs `f` with a subscriber that writes into a buffer; returns the lines written.
fn captured(f: impl FnOnce()) -> Vec<String> {
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

#[test]
fn the_validating_layer_names_rfc2616_in_its_error_and_its_warning() {
    let value = "MdePartner-Contoso-ContosoCognito/1.0.0(Linux)";
    let error = through(ValidateUserAgentLayer::reject(), &[value]).unwrap_err();
    let error = error.downcast_ref::<ValidateUserAgentError>().unwrap();
    assert_eq!(error.problem(), UserAgentProblem::NotRfc9110);
    assert!(error.syntax_error().unwrap().is_valid_rfc2616());
    assert!(
        error
            .to_string()
            .ends_with("RFC 9110 needs a space before the comment at byte 39"),
        "{error}"
    );
    let lines = captured(|| {
        let sent = through(ValidateUserAgentLayer::warn(), &[value]).unwrap();
        assert_eq!(sent, [value]);
    });
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(lines[0].contains("valid under RFC 2616"), "{}", lines[0]);
    assert!(
        lines[0].contains("RFC 9110 needs a space before the comment at byte 39"),
        "{}",
        lines[0]
    );
}

#[test]
fn prepend_keeps_the_examples_in_rfc9110_form_with_one_warning() {
    for (value, needs, form) in EXAMPLES {
        let lines = captured(|| {
            let sent = through(PartnerUserAgentLayer::prepend(UA), &[value]).unwrap();
            assert_eq!(sent, [format!("{UA} {form}")]);
        });
        assert_eq!(lines.len(), 1, "{lines:#?}");
        let line = &lines[0];
        assert!(
            line.contains("rewritten_fields=1") && line.contains("valid under RFC 2616"),
            "{line}"
        );
        assert!(line.contains(needs), "{line}");
    }
}

#[test]
fn prepend_reports_what_it_dropped_and_what_it_rewrote_in_one_warning() {
    let lines = captured(|| {
        let sent = through(
            PartnerUserAgentLayer::prepend(UA),
            &["curl/8 (x", "foo / 1.0", "a(b)", "hyper/1"],
        )
        .unwrap();
        assert_eq!(sent, [format!("{UA} foo/1.0 a (b) hyper/1")]);
    });
    assert_eq!(lines.len(), 1, "{lines:#?}");
    let line = &lines[0];
    for part in [
        "invalid_fields=1",
        "rewritten_fields=2",
        r#"first_dropped="curl/8 (x""#,
        r#"first_rewritten="foo / 1.0""#,
        "kept 2 caller fields valid under RFC 2616 but not RFC 9110 in RFC 9110 form",
    ] {
        assert!(line.contains(part), "{part} in {line}");
    }
}

#[test]
fn an_rfc9110_caller_value_is_kept_exactly_and_no_warning_is_logged() {
    let value = "Mozilla/5.0 (Windows NT 10.0; Win64; x64)\t AppleWebKit/537.36";
    let lines = captured(|| {
        let sent = through(PartnerUserAgentLayer::prepend(UA), &[value]).unwrap();
        assert_eq!(sent, [format!("{UA} {value}")]);
    });
    assert!(lines.is_empty(), "{lines:#?}");
}
