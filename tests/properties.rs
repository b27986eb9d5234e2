//! Property tests: the grammar and the partner check against a deliberately simple reference
//! written here from the ABNF of RFC 9110, on generated values, mutations and arbitrary bytes.
//!
//! `PROPTEST_CASES` sets the number of cases (proptest's default is 256).

mod reference;
mod support;

use mde_partner_ua::grammar::{self, SyntaxErrorKind};
use mde_partner_ua::{classify, Classification, PartnerUserAgent};
use proptest::prelude::*;
use reference::{
    elements_rfc2616, is_tchar, is_white, reference, reference_partner, reference_rfc2616,
    without_white,
};

// ---------------------------------------------------------------------------------------------
// Values generated from the grammar.

const TCHARS: &[u8] =
    b"!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

fn token() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(prop::sample::select(TCHARS), 1..12)
}

fn company() -> impl Strategy<Value = Vec<u8>> {
    let no_hyphen: Vec<u8> = TCHARS.iter().copied().filter(|&b| b != b'-').collect();
    prop::collection::vec(prop::sample::select(no_hyphen), 1..12)
}

fn product() -> impl Strategy<Value = Vec<u8>> {
    (token(), prop::option::of(token())).prop_map(|(name, version)| {
        let mut product = name;
        if let Some(version) = version {
            product.push(b'/');
            product.extend(version);
        }
        product
    })
}

fn white() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(prop::sample::select(&b" \t"[..]), 1..3)
}

/// A comment with nesting, quoted pairs, white space and obs-text.
fn comment() -> impl Strategy<Value = Vec<u8>> {
    let visible_ctext: Vec<u8> = (0x21u8..=0x7e)
        .filter(|b| !matches!(b, b'(' | b')' | b'\\'))
        .collect();
    let ctext = prop_oneof![
        4 => prop::sample::select(visible_ctext),
        1 => prop::sample::select(&b" \t"[..]),
        1 => 0x80u8..=0xff,
    ];
    let quoted = prop_oneof![0x21u8..=0x7e, 0x80u8..=0xff, Just(b' '), Just(b'\t')];
    let leaf = prop_oneof![
        3 => prop::collection::vec(ctext, 1..8),
        1 => quoted.prop_map(|b| vec![b'\\', b]),
    ];
    let body = leaf.prop_recursive(4, 32, 4, |inner| {
        prop::collection::vec(inner, 0..4).prop_map(|parts| {
            let mut nested = vec![b'('];
            nested.extend(parts.concat());
            nested.push(b')');
            nested
        })
    });
    prop::collection::vec(body, 0..4).prop_map(|parts| {
        let mut comment = vec![b'('];
        comment.extend(parts.concat());
        comment.push(b')');
        comment
    })
}

/// What may follow the first product: white space, then a product or a comment, repeated.
fn rest() -> impl Strategy<Value = Vec<u8>> {
    let element = prop_oneof![product(), comment()];
    prop::collection::vec((white(), element), 0..5).prop_map(|pairs| {
        pairs
            .into_iter()
            .flat_map(|(white, element)| white.into_iter().chain(element))
            .collect()
    })
}

fn user_agent() -> impl Strategy<Value = Vec<u8>> {
    (product(), rest()).prop_map(|(first, rest)| [first, rest].concat())
}

fn partner_user_agent() -> impl Strategy<Value = Vec<u8>> {
    (company(), token(), token(), rest()).prop_map(|(company, product, version, rest)| {
        [
            b"MdePartner-".to_vec(),
            company,
            b"-".to_vec(),
            product,
            b"/".to_vec(),
            version,
            rest,
        ]
        .concat()
    })
}

/// A value with a few bytes inserted, deleted or replaced, favouring the bytes the grammar
/// cares about.
fn mutated(value: impl Strategy<Value = Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    let byte = prop_oneof![
        3 => prop::sample::select(&b"()\\/, \t\r\n\x00\x7f\x80-\"M"[..]),
        1 => any::<u8>(),
    ];
    let edit = (0..3u8, any::<prop::sample::Index>(), byte);
    (value, prop::collection::vec(edit, 1..4)).prop_map(|(mut value, edits)| {
        for (kind, at, byte) in edits {
            let i = at.index(value.len() + 1);
            match kind {
                0 => value.insert(i, byte),
                1 if i < value.len() => {
                    value.remove(i);
                }
                _ if i < value.len() => value[i] = byte,
                _ => value.push(byte),
            }
        }
        value
    })
}

fn any_value() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        user_agent(),
        partner_user_agent(),
        mutated(user_agent()),
        mutated(partner_user_agent()),
        prop::collection::vec(any::<u8>(), 0..40),
    ]
}

/// A value valid under RFC 2616 and often not under RFC 9110: elements that touch where a
/// comment stands between them, white space around a product's '/', a comment first.
fn rfc2616_value() -> impl Strategy<Value = Vec<u8>> {
    let maybe_white = || prop::option::of(white()).prop_map(Option::unwrap_or_default);
    let product = (
        token(),
        prop::option::of((maybe_white(), maybe_white(), token())),
    )
        .prop_map(|(name, version)| {
            let mut product = name;
            if let Some((before, after, version)) = version {
                product.extend(before);
                product.push(b'/');
                product.extend(after);
                product.extend(version);
            }
            (product, false)
        });
    let element = prop_oneof![product, comment().prop_map(|c| (c, true))];
    prop::collection::vec((element, maybe_white()), 1..6).prop_map(|elements| {
        let mut value = Vec::new();
        let mut previous_is_comment = true;
        for ((element, is_comment), white) in elements {
            if !value.is_empty() {
                // Two products need white space between them, or they would be one token.
                if white.is_empty() && !previous_is_comment && !is_comment {
                    value.push(b' ');
                }
                value.extend(white);
            }
            value.extend(element);
            previous_is_comment = is_comment;
        }
        value
    })
}

/// What `layer` sends for a request carrying `fields` (those a header value can hold).
fn prepended(fields: &[&[u8]]) -> Vec<Vec<u8>> {
    let mut request = http::Request::get("https://api.security.microsoft.com/")
        .body(())
        .unwrap();
    for field in fields {
        if let Ok(value) = http::HeaderValue::from_bytes(field) {
            request
                .headers_mut()
                .append(http::header::USER_AGENT, value);
        }
    }
    let echo =
        tower::service_fn(|r: http::Request<()>| async { Ok::<_, std::convert::Infallible>(r) });
    let layer =
        mde_partner_ua::PartnerUserAgentLayer::prepend(PartnerUserAgent::from_static(PARTNER));
    let mut service = tower::Layer::layer(&layer, echo);
    let std::task::Poll::Ready(Ok(sent)) =
        support::poll_once(tower::Service::call(&mut service, request))
    else {
        panic!("the echo service answers at once");
    };
    sent.headers()
        .get_all(http::header::USER_AGENT)
        .iter()
        .map(|v| v.as_bytes().to_vec())
        .collect()
}

const PARTNER: &str = "MdePartner-Contoso-ContosoCognito/1.0.0";

// ---------------------------------------------------------------------------------------------
// Properties.

proptest! {
    #![proptest_config(ProptestConfig {
        // Failures are turned into named regression tests instead.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn generated_values_are_valid(value in user_agent()) {
        prop_assert_eq!(reference(&value), Ok(()));
        prop_assert_eq!(grammar::validate(&value), Ok(()));
    }

    #[test]
    fn generated_partner_values_are_partner_values(value in partner_user_agent()) {
        prop_assert!(reference_partner(&value).is_some());
        prop_assert!(matches!(classify(&value), Classification::Partner(_)));
    }

    #[test]
    fn the_grammar_agrees_with_the_reference(value in any_value()) {
        let expected = reference(&value);
        match grammar::validate(&value) {
            Ok(()) => prop_assert_eq!(expected, Ok(())),
            Err(error) => {
                let Err(at) = expected else {
                    return Err(TestCaseError::fail(format!("refused a valid value: {error}")));
                };
                prop_assert!(error.offset() <= value.len());
                prop_assert_eq!(error.byte(), value.get(error.offset()).copied());
                // The error names the first byte no continuation can repair, except where the
                // grammar points at the cause: the start of trailing white space, or the
                // backslash that escapes the end of the value.
                match error.kind() {
                    SyntaxErrorKind::TrailingWhitespace | SyntaxErrorKind::DanglingBackslash => {
                        prop_assert_eq!(at, value.len());
                        prop_assert!(error.offset() < value.len());
                    }
                    _ => prop_assert_eq!(error.offset(), at, "{}", error),
                }
                let message = error.to_string();
                prop_assert!(!message.contains(['\t', '\r', '\n']), "{}", message);
            }
        }
    }

    #[test]
    fn classify_agrees_with_the_reference(value in any_value()) {
        match (classify(&value), reference_partner(&value)) {
            (Classification::Partner(parts), Some((company, product, version))) => {
                prop_assert_eq!(parts.company(), company);
                prop_assert_eq!(parts.product(), product);
                prop_assert_eq!(parts.version(), version);
            }
            (Classification::Rfc9110 { first_product, reason }, None) => {
                prop_assert_eq!(reference(&value), Ok(()));
                let first = value.split(|&b| is_white(b)).next().unwrap();
                let shown = first_product.to_string();
                prop_assert_eq!(shown.as_bytes(), first);
                prop_assert!(reason.offset() <= value.len());
            }
            (Classification::Invalid(error), None) => {
                prop_assert!(reference(&value).is_err(), "{}", error);
            }
            (got, expected) => {
                return Err(TestCaseError::fail(format!("classify gave {got:?}, reference {expected:?}")));
            }
        }
    }

    #[test]
    fn the_validating_layer_passes_exactly_what_the_reference_calls_partner(value in any_value()) {
        // Only bytes a header value can hold reach a layer.
        if let Ok(header) = http::HeaderValue::from_bytes(&value) {
            let request = http::Request::get("https://api.security.microsoft.com/")
                .header(http::header::USER_AGENT, header)
                .body(())
                .unwrap();
            let inner = tower::service_fn(|_: http::Request<()>| async { Ok::<_, tower::BoxError>(()) });
            let mut service = tower::Layer::layer(&mde_partner_ua::ValidateUserAgentLayer::reject(), inner);
            let result = match support::poll_once(tower::Service::call(&mut service, request)) {
                std::task::Poll::Ready(result) => result,
                std::task::Poll::Pending => return Err(TestCaseError::fail("pending")),
            };
            prop_assert_eq!(result.is_ok(), reference_partner(&value).is_some(), "{:?}", result.err());
        }
    }

    #[test]
    fn partner_values_round_trip(value in partner_user_agent()) {
        // obs-text becomes UTF-8 text, as a `&str` needs: each byte above 0x7F turns into 'é'.
        let text: String = value.iter().map(|&b| if b < 0x80 { b as char } else { 'é' }).collect();
        let value = text.as_bytes();
        let ua: PartnerUserAgent = text.parse().unwrap();
        prop_assert_eq!(ua.as_str(), text.as_str());
        prop_assert_eq!(ua.header_value().as_bytes(), value);
        let again: PartnerUserAgent = ua.as_str().parse().unwrap();
        prop_assert_eq!(&again, &ua);
        let built = PartnerUserAgent::new(ua.company(), ua.product(), ua.version()).unwrap();
        prop_assert_eq!(built.as_str(), ua.partner_product());
        let from_header = PartnerUserAgent::try_from(ua.header_value()).unwrap();
        prop_assert_eq!(from_header, ua);
    }

    #[test]
    fn parsing_never_panics_and_agrees_with_classify(value in any_value()) {
        let text = String::from_utf8_lossy(&value).into_owned();
        let is_partner = matches!(classify(text.as_bytes()), Classification::Partner(_));
        match text.parse::<PartnerUserAgent>() {
            Ok(ua) => {
                prop_assert!(is_partner);
                prop_assert_eq!(ua.as_str(), text.as_str());
            }
            Err(error) => {
                prop_assert!(!is_partner);
                prop_assert!(error.offset() <= text.len());
                let message = error.to_string();
                prop_assert!(!message.contains(['\t', '\r', '\n']), "{}", message);
            }
        }
    }

    #[test]
    fn new_accepts_exactly_the_valid_parts(
        company in prop::collection::vec(any::<u8>(), 0..6),
        product in prop::collection::vec(any::<u8>(), 0..6),
        version in prop::collection::vec(any::<u8>(), 0..6),
    ) {
        let (company, product, version) = (
            String::from_utf8_lossy(&company).into_owned(),
            String::from_utf8_lossy(&product).into_owned(),
            String::from_utf8_lossy(&version).into_owned(),
        );
        let token = |part: &str| !part.is_empty() && part.bytes().all(is_tchar);
        let valid = token(&company) && !company.contains('-') && token(&product) && token(&version);
        prop_assert_eq!(PartnerUserAgent::new(&company, &product, &version).is_ok(), valid);
    }
    #[test]
    fn every_value_the_crate_accepts_is_valid_under_rfc2616(value in any_value()) {
        match grammar::validate(&value) {
            Ok(()) => prop_assert!(reference_rfc2616(&value)),
            // And the crate's RFC 2616 verdict on the values it refuses is the reference's.
            Err(error) => prop_assert_eq!(error.is_valid_rfc2616(), reference_rfc2616(&value), "{}", error),
        }
    }

    #[test]
    fn every_value_prepend_sends_is_valid_under_both_rfcs(
        fields in prop::collection::vec(prop_oneof![any_value(), rfc2616_value(), mutated(rfc2616_value())], 0..4),
    ) {
        let fields: Vec<&[u8]> = fields.iter().map(Vec::as_slice).collect();
        let sent = prepended(&fields);
        prop_assert_eq!(sent.len(), 1);
        prop_assert_eq!(reference(&sent[0]), Ok(()), "{:?}", sent[0]);
        prop_assert!(reference_rfc2616(&sent[0]), "{:?}", sent[0]);
        prop_assert!(reference_partner(&sent[0]).is_some());
    }

    #[test]
    fn rfc2616_values_are_explained_and_kept_under_prepend(value in rfc2616_value()) {
        prop_assert!(reference_rfc2616(&value));
        let sent = prepended(&[&value]);
        let expected_start = format!("{PARTNER} ");
        prop_assert!(sent[0].starts_with(expected_start.as_bytes()), "{:?}", sent);
        let kept = &sent[0][expected_start.len()..];
        match grammar::validate(&value) {
            Ok(()) => prop_assert_eq!(kept, &value[..]),
            Err(error) => {
                prop_assert!(error.is_valid_rfc2616());
                let message = error.to_string();
                prop_assert!(message.contains("valid under RFC 2616"), "{}", message);
                prop_assert!(message.contains("RFC 9110 needs"), "{}", message);
                prop_assert!(!message.contains("a product first, white space"), "{}", message);
                let Classification::Invalid(classified) = classify(&value) else {
                    return Err(TestCaseError::fail("classified as valid"));
                };
                prop_assert_eq!(classified.to_string(), message.clone());
                let text = String::from_utf8_lossy(&value).into_owned();
                if let Err(error) = text.parse::<PartnerUserAgent>() {
                    prop_assert!(error.to_string().contains("valid under RFC 2616"));
                }
                // Kept in RFC 9110 form, with only white space changed.
                prop_assert_eq!(reference(&sent[0]), Ok(()), "{:?}", String::from_utf8_lossy(&sent[0]));
                prop_assert_eq!(without_white(kept), without_white(&value));
                prop_assert_eq!(kept, &elements_rfc2616(&value).join(&b' ')[..]);
            }
        }
    }
}
