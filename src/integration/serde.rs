//! `PartnerUserAgent` in configuration: serialized as its text, deserialized with every check.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

use crate::PartnerUserAgent;

/// Serializes as the value's text.
///
/// ```
/// use mde_partner_ua::PartnerUserAgent;
///
/// let ua = PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");
/// assert_eq!(serde_json::to_string(&ua).unwrap(), r#""MdePartner-Contoso-ContosoCognito/1.0.0""#);
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
impl Serialize for PartnerUserAgent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Deserializes from text with the checks of [`str::parse`]: an invalid value is a
/// deserialization error whose message names the byte and the rule.
///
/// ```
/// use mde_partner_ua::PartnerUserAgent;
///
/// let ua: PartnerUserAgent = serde_json::from_str(r#""MdePartner-Contoso-ContosoCognito/1.0.0""#).unwrap();
/// assert_eq!(ua.company(), "Contoso");
///
/// let err = serde_json::from_str::<PartnerUserAgent>(r#""MdePartner-Contoso/1.0""#).unwrap_err();
/// assert!(err.to_string().contains("no \"-\" and product name after the company"));
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
impl<'de> Deserialize<'de> for PartnerUserAgent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(PartnerUserAgentVisitor)
    }
}

struct PartnerUserAgentVisitor;

impl Visitor<'_> for PartnerUserAgentVisitor {
    type Value = PartnerUserAgent;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a partner User-Agent such as MdePartner-Contoso-ContosoCognito/1.0.0")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        value.parse().map_err(E::custom)
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
        PartnerUserAgent::try_from(value).map_err(E::custom)
    }
}
