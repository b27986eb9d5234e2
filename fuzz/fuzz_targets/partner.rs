//! Any text as a partner User-Agent: accepted values re-parse to themselves, and their parts
//! rebuild their partner product.
#![no_main]

#[path = "../../tests/reference/mod.rs"]
mod reference;

use libfuzzer_sys::fuzz_target;
use mde_partner_ua::{classify, Classification, PartnerUserAgent};

fuzz_target!(|text: &str| {
    let is_partner = matches!(classify(text.as_bytes()), Classification::Partner(_));
    assert_eq!(
        is_partner,
        reference::reference_partner(text.as_bytes()).is_some()
    );
    match text.parse::<PartnerUserAgent>() {
        Ok(ua) => {
            assert!(is_partner);
            assert_eq!(ua.as_str(), text);
            assert_eq!(ua.header_value().as_bytes(), text.as_bytes());
            let again: PartnerUserAgent = ua.as_str().parse().unwrap();
            assert_eq!(again, ua);
            let built = PartnerUserAgent::new(ua.company(), ua.product(), ua.version()).unwrap();
            assert_eq!(built.as_str(), ua.partner_product());
            assert_eq!(PartnerUserAgent::try_from(ua.header_value()).unwrap(), ua);
        }
        Err(error) => {
            assert!(!is_partner, "{error}");
            assert!(error.offset() <= text.len());
            let message = error.to_string();
            assert!(!message.contains(['\t', '\r', '\n']), "{message}");
        }
    }
    // The parts as given to `new`: accepted exactly when each is a token, the company without '-'.
    let mut parts = text.splitn(3, '\u{0}');
    if let (Some(company), Some(product), Some(version)) =
        (parts.next(), parts.next(), parts.next())
    {
        let token = |part: &str| !part.is_empty() && part.bytes().all(reference::is_tchar);
        let valid = token(company) && !company.contains('-') && token(product) && token(version);
        assert_eq!(
            PartnerUserAgent::new(company, product, version).is_ok(),
            valid
        );
    }
});
