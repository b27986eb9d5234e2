//! Microsoft Defender for Endpoint partner User-Agent for tower, hyper, tonic and reqwest.
//!
//! Microsoft asks every partner integration to identify itself on each call to the Defender for
//! Endpoint APIs and the Graph Security API with a User-Agent of the form
//! `MdePartner-{Company}-{Product}/{Version}`, following the User-Agent grammar of
//! [RFC 9110, section 10.1.5]. This crate gives you that value, checked once, and middleware that
//! puts it on every request.
//!
//! - [`PartnerUserAgent`] is a value that can only hold a valid partner User-Agent. Make it in a
//!   `const` with [`PartnerUserAgent::from_static`] and an invalid value is a compile error.
//! - [`grammar`] checks any bytes against the RFC 9110 User-Agent grammar, exactly, without
//!   allocating, and says which byte is wrong and why.
//! - [`classify`] tells a partner value from another valid User-Agent and from an invalid one.
//!
//! # Example
//!
//! ```
//! use mde_partner_ua::PartnerUserAgent;
//!
//! const UA: PartnerUserAgent = PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");
//!
//! let request = http::Request::builder()
//!     .uri("https://api.security.microsoft.com/api/alerts")
//!     .header(http::header::USER_AGENT, UA.header_value().clone())
//!     .body(())
//!     .unwrap();
//! assert_eq!(request.headers()["user-agent"], "MdePartner-Contoso-ContosoCognito/1.0.0");
//! ```
//!
//! [RFC 9110, section 10.1.5]: https://www.rfc-editor.org/rfc/rfc9110#section-10.1.5

#![forbid(unsafe_code)]
#![warn(
    missing_docs,
    missing_debug_implementations,
    rust_2018_idioms,
    unreachable_pub
)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[macro_use]
mod macros;

mod builder;
pub mod grammar;
mod partner;
mod request;
mod scope;
pub mod set_user_agent;
pub mod validate;

pub use builder::ServiceBuilderExt;
pub use partner::{
    classify, Classification, FromEnvError, PartnerError, PartnerErrorKind, PartnerProduct,
    PartnerUserAgent, PREFIX,
};
pub use request::OutgoingRequest;
pub use scope::{HostScope, InvalidHost};
pub use set_user_agent::{PartnerUserAgentLayer, SetPartnerUserAgent};
pub use validate::{
    UserAgentProblem, ValidateUserAgent, ValidateUserAgentError, ValidateUserAgentLayer,
};

/// The README's code blocks, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
