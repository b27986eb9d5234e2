//! Microsoft Defender for Endpoint partner User-Agent for tower, hyper, tonic, reqwest, the Azure
//! SDK (azure_core) and ureq.
//!
//! Microsoft asks every partner integration to identify itself on each call to the Defender for
//! Endpoint APIs and the Graph Security API with a User-Agent of the form
//! `MdePartner-{Company}-{Product}/{Version}`, following the User-Agent grammar of RFC 2616,
//! section 14.43, today [RFC 9110, section 10.1.5]. This crate gives you that value, checked
//! once against RFC 9110 (every such value is also an RFC 2616 one), and tower middleware that
//! puts it on every request or checks the one the caller set.
//!
//! # One line
//!
//! ```
//! use mde_partner_ua::{PartnerUserAgent, ServiceBuilderExt};
//! use tower::ServiceBuilder;
//!
//! // Checked at compile time: an invalid value does not build.
//! const UA: PartnerUserAgent = PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");
//!
//! # let client = tower::service_fn(|_r: http::Request<()>| async { Ok::<_, std::convert::Infallible>(()) });
//! let client = ServiceBuilder::new().partner_user_agent(UA).service(client);
//! ```
//!
//! `client` is any `tower::Service<http::Request<B>>`: hyper-util's `Client`, a tonic
//! `Channel`, a `tower::service_fn`, or a hand-written client (see [`OutgoingRequest`]).
//!
//! # Scoped to Microsoft's hosts
//!
//! `only_for(HostScope)` limits a layer to the Defender for Endpoint and Graph hosts. A request
//! that does not say where it goes (tonic's generated clients hand the layers a relative URI
//! such as `/grpc.health.v1.Health/Check` with no `Host`) is stamped and validated all the same:
//! a layer that cannot tell fails safe. [`UnknownHost::OutOfScope`] lets such requests pass
//! instead.
//!
//! # A full stack
//!
//! ```
//! use std::time::Duration;
//!
//! use mde_partner_ua::{HostScope, PartnerUserAgent, PartnerUserAgentLayer, ValidateUserAgentLayer};
//! use tower::ServiceBuilder;
//!
//! const UA: PartnerUserAgent = PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! # let client = tower::service_fn(|_r: http::Request<()>| async { Ok::<_, tower::BoxError>(()) });
//! let client = ServiceBuilder::new()
//!     .buffer(1024)
//!     .concurrency_limit(64)
//!     .timeout(Duration::from_secs(30))
//!     // The partner value first, then the caller's own, on Microsoft's hosts only.
//!     .layer(PartnerUserAgentLayer::prepend(UA).only_for(HostScope::all_microsoft()))
//!     // Nothing leaves for those hosts without a partner User-Agent.
//!     .layer(ValidateUserAgentLayer::reject().only_for(HostScope::all_microsoft()))
//!     .service(client);
//! # drop(client);
//! # }
//! ```
//!
//! # What is here
//!
//! - [`PartnerUserAgent`]: a value that can only hold a valid partner User-Agent, with a ready
//!   [`HeaderValue`](http::HeaderValue).
//! - [`PartnerUserAgentLayer`]: stamps it on every request, replacing or prepending, optionally
//!   only for the hosts of a [`HostScope`].
//! - [`ValidateUserAgentLayer`]: refuses, warns about or repairs requests whose User-Agent is
//!   not a partner one.
//! - [`ServiceBuilderExt`]: the same as `ServiceBuilder` methods.
//! - [`grammar`]: the RFC 9110 User-Agent grammar on bytes, with errors that name the byte
//!   and say when a value RFC 9110 refuses is valid under RFC 2616.
//! - [`classify`]: partner, other valid User-Agent, or invalid, for any bytes.
//!
//! # Errors
//!
//! [`PartnerError`], [`grammar::SyntaxError`] and [`ValidateUserAgentError`] each carry a
//! complete message (the rule, the byte offset, a quoted excerpt of the value cut to 200
//! bytes) and no [`source`](std::error::Error::source), so a logger that walks the chain shows
//! each cause once. Their parts are methods: `kind()`, `offset()`, `syntax_error()`.
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

mod automaton;
mod builder;
mod bytes;
mod classify;
mod fmt;
pub mod grammar;
mod integration;
mod partner;
mod request;
mod rfc2616;
mod scope;
pub mod set_user_agent;
pub mod validate;

#[doc(inline)]
pub use builder::ServiceBuilderExt;
#[doc(inline)]
pub use bytes::{LEGACY_PREFIX, PREFIX};
#[doc(inline)]
pub use classify::{classify, Classification, PartnerProduct};
#[doc(inline)]
pub use partner::error::{PartnerError, PartnerErrorKind};
#[doc(inline)]
pub use partner::{FromEnvError, PartnerUserAgent};
#[doc(inline)]
pub use request::OutgoingRequest;
#[doc(inline)]
pub use scope::{HostScope, InvalidHost, UnknownHost};
#[doc(inline)]
pub use set_user_agent::{PartnerUserAgentLayer, SetPartnerUserAgent};
#[doc(inline)]
pub use validate::{
    UserAgentProblem, ValidateUserAgent, ValidateUserAgentError, ValidateUserAgentLayer,
};

/// The README's code blocks, compiled and run as doc tests (they use every feature).
#[cfg(all(
    doctest,
    feature = "azure-core",
    feature = "reqwest",
    feature = "serde",
    feature = "tower-http",
    feature = "ureq"
))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
