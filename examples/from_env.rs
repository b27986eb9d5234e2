//! The partner User-Agent from an environment variable, checked at start-up.
//!
//! ```text
//! MDE_PARTNER_USER_AGENT='MdePartner-Contoso-ContosoCognito/1.0.0' cargo run --example from_env
//! MDE_PARTNER_USER_AGENT='MdePartner-Contoso Ltd-Cognito/1.0' cargo run --example from_env
//! ```

use mde_partner_ua::PartnerUserAgent;

fn main() {
    match PartnerUserAgent::from_env("MDE_PARTNER_USER_AGENT") {
        Ok(ua) => println!(
            "company {}, product {}, version {}: {ua}",
            ua.company(),
            ua.product(),
            ua.version()
        ),
        Err(error) if error.is_not_set() => {
            eprintln!(
                "{error}; set it to your value, such as MdePartner-Contoso-ContosoCognito/1.0.0"
            );
            std::process::exit(2);
        }
        Err(error) => {
            // Names the variable, the byte and the rule; refuse to start.
            eprintln!("{error}");
            std::process::exit(1);
        }
    }
}
