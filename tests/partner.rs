//! The partner User-Agent: real values, the common mistakes, and every way to make one.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use http::HeaderValue;
use mde_partner_ua::grammar::SyntaxErrorKind;
use mde_partner_ua::{classify, Classification, PartnerErrorKind, PartnerUserAgent};

const MICROSOFT_EXAMPLE: PartnerUserAgent =
    PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");

fn parts(value: &str) -> (String, String, String) {
    let ua: PartnerUserAgent = value
        .parse()
        .unwrap_or_else(|error| panic!("{value:?}: {error}"));
    (
        ua.company().into(),
        ua.product().into(),
        ua.version().into(),
    )
}

fn refused(value: &str) -> mde_partner_ua::PartnerError {
    match value.parse::<PartnerUserAgent>() {
        Ok(ua) => panic!("{value:?} was accepted as {ua:?}"),
        Err(error) => error,
    }
}

fn owned(company: &str, product: &str, version: &str) -> (String, String, String) {
    (company.into(), product.into(), version.into())
}

#[test]
fn microsofts_example_is_a_partner_value() {
    assert_eq!(MICROSOFT_EXAMPLE.company(), "Contoso");
    assert_eq!(MICROSOFT_EXAMPLE.product(), "ContosoCognito");
    assert_eq!(MICROSOFT_EXAMPLE.version(), "1.0.0");
    assert_eq!(
        MICROSOFT_EXAMPLE.header_value(),
        "MdePartner-Contoso-ContosoCognito/1.0.0"
    );
}

#[test]
fn values_seen_in_public_are_partner_values() {
    assert_eq!(
        parts("MdePartner-VMRay-VMRayAnalyzer/4.4.1"),
        owned("VMRay", "VMRayAnalyzer", "4.4.1")
    );
    assert_eq!(
        parts("MdePartner-JoeSecurity-JoeSecuritySandbox-AzureFunctionApp/4.4.1"),
        owned(
            "JoeSecurity",
            "JoeSecuritySandbox-AzureFunctionApp",
            "4.4.1"
        )
    );
}

#[test]
fn products_and_comments_may_follow_the_partner_product() {
    let value = "MdePartner-Contoso-ContosoCognito/1.0.0 (Linux; x86_64) hyper/1.12.0";
    let ua: PartnerUserAgent = value.parse().unwrap();
    assert_eq!(ua.as_str(), value);
    assert_eq!(
        ua.partner_product(),
        "MdePartner-Contoso-ContosoCognito/1.0.0"
    );
    assert_eq!(ua.version(), "1.0.0");
}

#[test]
fn a_space_in_the_company_name_says_the_rest_is_a_separate_product() {
    let error = refused("MdePartner-Contoso Ltd-Cognito/1.0");
    assert_eq!(error.kind(), PartnerErrorKind::MissingProduct);
    assert_eq!(error.offset(), 18);
    let message = error.to_string();
    assert!(
        message.contains("the space at byte 18 ends the first product"),
        "{message}"
    );
    assert!(
        message.contains("\"Ltd-Cognito/1.0\" is a separate product"),
        "{message}"
    );
}

#[test]
fn the_common_mistakes_are_refused_with_the_right_reason() {
    let cases = [
        (
            "MdePartner-Contoso-ContosoCognito",
            PartnerErrorKind::MissingVersion,
            33,
        ),
        (
            "MdePartner-Contoso/1.0",
            PartnerErrorKind::MissingProduct,
            18,
        ),
        (
            "mdepartner-Contoso-ContosoCognito/1.0.0",
            PartnerErrorKind::PrefixCase,
            0,
        ),
        (
            "MDEPARTNER-Contoso-ContosoCognito/1.0.0",
            PartnerErrorKind::PrefixCase,
            1,
        ),
        (
            "MdePartner--ContosoCognito/1.0.0",
            PartnerErrorKind::EmptyCompany,
            11,
        ),
        (
            "MdePartner-Contoso-/1.0.0",
            PartnerErrorKind::EmptyProduct,
            19,
        ),
        (
            "Contoso-ContosoCognito/1.0.0",
            PartnerErrorKind::MissingPrefix,
            0,
        ),
        (
            "curl/8.5.0 MdePartner-Contoso-ContosoCognito/1.0.0",
            PartnerErrorKind::MissingPrefix,
            0,
        ),
        ("MdePartner/1.0", PartnerErrorKind::MissingPrefix, 10),
    ];
    for (value, kind, offset) in cases {
        let error = refused(value);
        assert_eq!(
            (error.kind(), error.offset()),
            (kind, offset),
            "{value:?}: {error}"
        );
        assert!(error.syntax_error().is_none());
    }
}

#[test]
fn values_that_break_the_grammar_carry_the_grammar_error() {
    let cases = [
        // Two fields joined by a receiver.
        (
            "MdePartner-Contoso-ContosoCognito/1.0.0, curl/8.5.0",
            SyntaxErrorKind::InvalidProductByte,
            39,
        ),
        (
            "MdePartner-Contoso-ContosoCognito/1.0.0 ",
            SyntaxErrorKind::TrailingWhitespace,
            39,
        ),
        (
            " MdePartner-Contoso-ContosoCognito/1.0.0",
            SyntaxErrorKind::LeadingWhitespace,
            0,
        ),
        (
            "MdePartner-Contoso-ContosoCognito/1.0.0\r\nX-Injected: 1",
            SyntaxErrorKind::ControlByte,
            39,
        ),
        (
            "MdePartner-Contoso-ContosoCognito/1.0.0\n",
            SyntaxErrorKind::ControlByte,
            39,
        ),
        (
            "MdePartner-Contoso-ContosoCognito/1.0.0 (Linux",
            SyntaxErrorKind::UnclosedComment,
            46,
        ),
        (
            "MdePartner-Contoso-ContosoCognito/1.0.0 (Linux))",
            SyntaxErrorKind::UnmatchedParenthesis,
            47,
        ),
        (
            "MdePartner-Contoso-ContosoCognito/1.0.0 (Linux\\",
            SyntaxErrorKind::DanglingBackslash,
            46,
        ),
        (
            "MdePartner-Contoso-ContosoCognito/",
            SyntaxErrorKind::MissingVersion,
            34,
        ),
        (
            "MdePartner-Contoso Ltd-ContosoCognito/1.0.0/x",
            SyntaxErrorKind::InvalidProductByte,
            43,
        ),
        ("", SyntaxErrorKind::Empty, 0),
    ];
    for (value, kind, offset) in cases {
        let error = refused(value);
        assert_eq!(error.kind(), PartnerErrorKind::Syntax, "{value:?}");
        let syntax = error.syntax_error().unwrap();
        assert_eq!(
            (syntax.kind(), syntax.offset()),
            (kind, offset),
            "{value:?}: {error}"
        );
        assert_eq!(error.offset(), offset);
        // The grammar's message is shown once, in the error's own, which has no source.
        assert!(std::error::Error::source(&error).is_none());
        let message = error.to_string();
        assert_eq!(message.matches(&syntax.to_string()).count(), 1, "{message}");
    }
}

#[test]
fn a_tab_in_the_company_name_is_called_a_tab() {
    let message = refused("MdePartner-Contoso\tLtd-Cognito/1.0").to_string();
    assert!(
        message.contains("the tab at byte 18 ends the first product"),
        "{message}"
    );
}

#[test]
fn new_checks_each_part() {
    let ua = PartnerUserAgent::new("Contoso", "ContosoCognito", "1.0.0").unwrap();
    assert_eq!(ua, MICROSOFT_EXAMPLE);
    let cases = [
        (("", "P", "1"), PartnerErrorKind::EmptyCompany, 0),
        (("C", "", "1"), PartnerErrorKind::EmptyProduct, 0),
        (("C", "P", ""), PartnerErrorKind::EmptyVersion, 0),
        (
            ("Contoso Ltd", "P", "1"),
            PartnerErrorKind::InvalidCompany,
            7,
        ),
        (
            ("Contoso-Ltd", "P", "1"),
            PartnerErrorKind::HyphenInCompany,
            7,
        ),
        (("C", "Cognito/2", "1"), PartnerErrorKind::InvalidProduct, 7),
        (("C", "P", "1.0 beta"), PartnerErrorKind::InvalidVersion, 3),
        (("C", "P", "1.0\r\n"), PartnerErrorKind::InvalidVersion, 3),
        (("Société", "P", "1"), PartnerErrorKind::InvalidCompany, 4),
    ];
    for ((company, product, version), kind, offset) in cases {
        let error = PartnerUserAgent::new(company, product, version).unwrap_err();
        assert_eq!(
            (error.kind(), error.offset()),
            (kind, offset),
            "{company:?} {product:?} {version:?}"
        );
    }
    let message = PartnerUserAgent::new("Contoso-Ltd", "P", "1")
        .unwrap_err()
        .to_string();
    assert!(message.contains("cannot contain \"-\""), "{message}");
    assert!(message.contains("found '-' (0x2D)"), "{message}");
}

#[test]
fn every_constructor_gives_the_same_value() {
    let text = "MdePartner-Contoso-ContosoCognito/1.0.0";
    let made = [
        PartnerUserAgent::from_static(text),
        PartnerUserAgent::new("Contoso", "ContosoCognito", "1.0.0").unwrap(),
        text.parse().unwrap(),
        PartnerUserAgent::try_from(text).unwrap(),
        PartnerUserAgent::try_from(text.to_owned()).unwrap(),
        PartnerUserAgent::try_from(&HeaderValue::from_static(text)).unwrap(),
    ];
    for ua in &made {
        assert_eq!(ua, &made[0]);
        assert_eq!(ua.as_str(), text);
        assert_eq!(ua.to_string(), text);
        assert_eq!(ua.header_value(), text);
        assert_eq!(format!("{ua:?}"), format!("PartnerUserAgent({text:?})"));
        let mut a = DefaultHasher::new();
        let mut b = DefaultHasher::new();
        ua.hash(&mut a);
        made[0].hash(&mut b);
        assert_eq!(a.finish(), b.finish());
        assert_eq!(HeaderValue::from(ua.clone()), text);
    }
    assert_ne!(
        made[0],
        PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.1")
    );
}

#[test]
fn a_header_value_must_be_utf8_text() {
    let header = HeaderValue::from_bytes(b"MdePartner-A-B/1 (\xff)").unwrap();
    let error = PartnerUserAgent::try_from(&header).unwrap_err();
    assert_eq!(
        (error.kind(), error.offset()),
        (PartnerErrorKind::NotUtf8, 18)
    );
    let header = HeaderValue::from_bytes("MdePartner-A-B/1 (café)".as_bytes()).unwrap();
    assert_eq!(PartnerUserAgent::try_from(&header).unwrap().company(), "A");
    // A grammar error comes first when there is one.
    let header = HeaderValue::from_bytes(b"MdePartner-A-B/1 (\xff").unwrap();
    let error = PartnerUserAgent::try_from(&header).unwrap_err();
    assert_eq!(error.kind(), PartnerErrorKind::Syntax);
}

#[test]
fn from_env_names_the_variable() {
    let name = "MDE_PARTNER_UA_TEST_FROM_ENV_VALID";
    std::env::set_var(name, "MdePartner-Contoso-ContosoCognito/1.0.0");
    assert_eq!(PartnerUserAgent::from_env(name).unwrap(), MICROSOFT_EXAMPLE);

    let name = "MDE_PARTNER_UA_TEST_FROM_ENV_INVALID";
    std::env::set_var(name, "MdePartner-Contoso Ltd-Cognito/1.0");
    let error = PartnerUserAgent::from_env(name).unwrap_err();
    assert_eq!(error.variable(), name);
    assert!(!error.is_not_set());
    assert_eq!(
        error.partner_error().unwrap().kind(),
        PartnerErrorKind::MissingProduct
    );
    assert!(error
        .to_string()
        .starts_with(&format!("environment variable {name}: ")));

    let name = "MDE_PARTNER_UA_TEST_FROM_ENV_UNSET";
    let error = PartnerUserAgent::from_env(name).unwrap_err();
    assert!(error.is_not_set());
    assert_eq!(
        error.to_string(),
        format!("environment variable {name} is not set")
    );
}

#[cfg(unix)]
#[test]
fn from_env_refuses_a_value_that_is_not_unicode() {
    use std::os::unix::ffi::OsStrExt;
    let name = "MDE_PARTNER_UA_TEST_FROM_ENV_NOT_UNICODE";
    std::env::set_var(
        name,
        std::ffi::OsStr::from_bytes(b"MdePartner-A-B/1 (\xff)"),
    );
    let error = PartnerUserAgent::from_env(name).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("environment variable {name} is not valid Unicode")
    );
}

#[test]
fn classify_tells_the_three_outcomes_apart() {
    match classify(b"MdePartner-JoeSecurity-JoeSecuritySandbox-AzureFunctionApp/4.4.1 (x)") {
        Classification::Partner(p) => {
            assert_eq!(
                (p.company(), p.product(), p.version()),
                (
                    "JoeSecurity",
                    "JoeSecuritySandbox-AzureFunctionApp",
                    "4.4.1"
                )
            );
            assert_eq!(
                p.to_string(),
                "MdePartner-JoeSecurity-JoeSecuritySandbox-AzureFunctionApp/4.4.1"
            );
        }
        other => panic!("{other:?}"),
    }
    match classify(b"Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/120.0") {
        Classification::Rfc9110 {
            first_product,
            reason,
        } => {
            assert_eq!(
                (first_product.name(), first_product.version()),
                ("Mozilla", Some("5.0"))
            );
            assert_eq!(reason.kind(), PartnerErrorKind::MissingPrefix);
        }
        other => panic!("{other:?}"),
    }
    match classify(b"MdePartner-Contoso-ContosoCognito/1.0.0\r") {
        Classification::Invalid(error) => assert_eq!(error.kind(), SyntaxErrorKind::ControlByte),
        other => panic!("{other:?}"),
    }
    // Bytes that are not UTF-8 inside a comment are still a partner value.
    assert!(matches!(
        classify(b"MdePartner-A-B/1 (\xff\xfe)"),
        Classification::Partner(_)
    ));
}

#[test]
fn long_names_are_cut_short_in_messages() {
    let company = "C".repeat(200);
    let error = refused(&format!("MdePartner-{company}"));
    let message = error.to_string();
    assert!(message.contains("..."), "{message}");
    assert!(message.len() < 400, "{message}");
}
