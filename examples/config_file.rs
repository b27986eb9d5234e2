//! The partner User-Agent from a TOML configuration file, in parts or whole, checked when the
//! file is read.
//!
//! ```text
//! cargo run --example config_file --features serde
//! ```

use mde_partner_ua::{PartnerError, PartnerUserAgent};
use serde::Deserialize;

/// The company, product and version, as a configuration file gives them.
#[derive(Deserialize)]
struct Parts {
    company: String,
    product: String,
    version: String,
}

impl TryFrom<Parts> for PartnerUserAgent {
    type Error = PartnerError;

    fn try_from(parts: Parts) -> Result<Self, Self::Error> {
        PartnerUserAgent::new(&parts.company, &parts.product, &parts.version)
    }
}

#[derive(Deserialize)]
struct Config {
    /// From parts.
    #[serde(rename = "partner")]
    parts: Parts,
    /// Whole, deserialized with every check (the `serde` feature).
    user_agent: PartnerUserAgent,
}

const CONFIG: &str = r#"
user_agent = "MdePartner-Contoso-ContosoSentinel/2.1 (Linux; x86_64)"

[partner]
company = "Contoso"
product = "ContosoCognito"
version = "1.0.0"
"#;

const BROKEN: &str = r#"
user_agent = "MdePartner-Contoso Ltd-Cognito/1.0"

[partner]
company = "Contoso-Ltd"
product = "ContosoCognito"
version = "1.0.0"
"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config: Config = toml::from_str(CONFIG)?;
    let from_parts = PartnerUserAgent::try_from(config.parts)?;
    println!("from parts: {from_parts}");
    println!("whole:      {}", config.user_agent);

    // A wrong value stops the program when the file is read, with the byte and the rule.
    match toml::from_str::<Config>(BROKEN) {
        Ok(_) => unreachable!("the value has a space in the company name"),
        Err(error) => println!("\nrefused at start-up:\n{error}"),
    }
    let broken: toml::Table = toml::from_str(BROKEN)?;
    let parts: Parts = broken["partner"].clone().try_into()?;
    match PartnerUserAgent::try_from(parts) {
        Ok(_) => unreachable!("the company name has a hyphen"),
        Err(error) => println!("refused at start-up: {error}"),
    }
    Ok(())
}
