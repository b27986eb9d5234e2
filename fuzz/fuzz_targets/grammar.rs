//! Any bytes through the grammar and `classify`, held against the reference of the tests.
#![no_main]

#[path = "../../tests/reference/mod.rs"]
mod reference;

use libfuzzer_sys::fuzz_target;
use mde_partner_ua::grammar::{self, SyntaxErrorKind};
use mde_partner_ua::{classify, Classification};

fuzz_target!(|value: &[u8]| {
    let expected = reference::reference(value);
    match grammar::validate(value) {
        Ok(()) => assert_eq!(expected, Ok(()), "accepted an invalid value"),
        Err(error) => {
            let Err(at) = expected else {
                panic!("refused a valid value: {error}");
            };
            assert_eq!(error.byte(), value.get(error.offset()).copied());
            match error.kind() {
                SyntaxErrorKind::TrailingWhitespace | SyntaxErrorKind::DanglingBackslash => {
                    assert_eq!(at, value.len());
                    assert!(error.offset() < value.len());
                }
                _ => assert_eq!(error.offset(), at, "{error}"),
            }
            let message = error.to_string();
            assert!(!message.contains(['\t', '\r', '\n']), "{message}");
        }
    }
    match (classify(value), reference::reference_partner(value)) {
        (Classification::Partner(parts), Some((company, product, version))) => {
            assert_eq!(
                (parts.company(), parts.product(), parts.version()),
                (&*company, &*product, &*version)
            );
        }
        (Classification::Rfc9110 { reason, .. }, None) => {
            assert_eq!(expected, Ok(()));
            let message = reason.to_string();
            assert!(!message.contains(['\t', '\r', '\n']), "{message}");
        }
        (Classification::Invalid(_), None) => assert!(expected.is_err()),
        (got, reference) => panic!("classify gave {got:?}, the reference {reference:?}"),
    }
});
