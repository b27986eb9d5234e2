//! The layers as ureq 3 middleware.
//!
//! [`PartnerUserAgentLayer`] and [`ValidateUserAgentLayer`] implement
//! [`ureq::middleware::Middleware`]. ureq hands middleware an `http::Request`, so they stamp and
//! check it exactly as they do for any tower client (the same code), and read a per-request
//! [`PartnerUserAgent`] from the request's extensions.
//!
//! ```
//! use mde_partner_ua::{PartnerUserAgent, PartnerUserAgentLayer, ValidateUserAgentLayer};
//! use ureq::Agent;
//!
//! const UA: PartnerUserAgent = PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");
//!
//! let config = Agent::config_builder()
//!     .middleware(PartnerUserAgentLayer::prepend(UA))
//!     .middleware(ValidateUserAgentLayer::reject())
//!     .build();
//! let agent = Agent::new_with_config(config);
//! ```
//!
//! # What each policy sends
//!
//! - [`PartnerUserAgentLayer::new`]: exactly one field, the partner value, whatever the request
//!   carried.
//! - [`PartnerUserAgentLayer::prepend`]: the partner value, then the request's own
//!   `User-Agent` fields, merged into one field.
//! - A [`PartnerUserAgent`] in the request's extensions (`RequestBuilder::extension`, or
//!   `http::Request::extensions_mut` with `Agent::run`) replaces the layer's value for that
//!   request.
//! - [`only_for`](PartnerUserAgentLayer::only_for) looks at the host of the request URI.
//! - [`ValidateUserAgentLayer::reject`] answers a request whose User-Agent is not a partner one
//!   with `ureq::Error::Other` holding the
//!   [`ValidateUserAgentError`](crate::ValidateUserAgentError), and nothing is sent. ureq's
//!   error does not give its inner error as `source()`: match `ureq::Error::Other(error)` and
//!   `downcast_ref` it.
//! - [`ValidateUserAgentLayer::warn`] logs and sends the request unchanged;
//!   [`ValidateUserAgentLayer::repair`] logs and sends the partner value alone.
//!
//! # The agent's own `user_agent`
//!
//! ureq adds the agent's `user_agent` (`ureq/{version}` unless `ConfigBuilder::user_agent` says
//! otherwise) after every middleware has run, and only to a request that has no `User-Agent` of
//! its own. So, by policy:
//!
//! - replace and prepend: the middleware always leaves a `User-Agent`, so the agent's value is
//!   never sent; prepend keeps the values the request itself carried, not the agent's.
//! - reject: a request without a `User-Agent` of its own is refused, although the agent would
//!   have added its value after the check.
//! - warn: such a request is reported as missing its User-Agent, then leaves with the agent's
//!   value.
//! - repair: it leaves with the partner value alone.
//!
//! To send the agent's product after the partner value, make it part of the partner value:
//! `PartnerUserAgentLayer::new(UA.followed_by("ureq/3")?)` (see
//! [`PartnerUserAgent::followed_by`]). The agent's `user_agent` is also what ureq sends to an
//! HTTP proxy in its `CONNECT` request, which no middleware sees: set it to the partner value
//! (`.user_agent(UA.as_str())`) if the proxy should see that too.

use ureq::http::{Request, Response};
use ureq::middleware::{Middleware, MiddlewareNext};
use ureq::{Body, SendBody};

use crate::{PartnerUserAgentLayer, ValidateUserAgentLayer};

/// Stamps the partner User-Agent on every request of a ureq agent:
/// `Agent::config_builder().middleware(PartnerUserAgentLayer::new(UA))`.
///
/// [`new`](PartnerUserAgentLayer::new) sends exactly the partner value;
/// [`prepend`](PartnerUserAgentLayer::prepend) the partner value, then the request's own
/// `User-Agent` fields, in one field. A [`PartnerUserAgent`](crate::PartnerUserAgent) in the
/// request's extensions replaces the layer's value for that request, and
/// [`only_for`](PartnerUserAgentLayer::only_for) looks at the host of the request URI.
///
/// The agent adds its own `user_agent` only to a request that leaves the middleware without a
/// `User-Agent`, which this middleware never does, so the agent's value is not sent; to keep
/// the agent's product, put it after the partner value with
/// [`PartnerUserAgent::followed_by`](crate::PartnerUserAgent::followed_by).
///
/// # Example
///
/// ```no_run
/// use mde_partner_ua::{PartnerUserAgent, PartnerUserAgentLayer};
/// use ureq::Agent;
///
/// const UA: PartnerUserAgent = PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// // The partner value, then the agent's product, on every request.
/// let ua = UA.followed_by(concat!("ureq/", "3"))?;
/// let agent = Agent::new_with_config(Agent::config_builder().middleware(PartnerUserAgentLayer::new(ua)).build());
/// let alerts = agent.get("https://api.security.microsoft.com/api/alerts").call()?;
///
/// // Another partner product for one request.
/// let other = PartnerUserAgent::from_static("MdePartner-Contoso-ContosoSentinel/2.1");
/// let incidents = agent.get("https://api.security.microsoft.com/api/incidents").extension(other).call()?;
/// # Ok(())
/// # }
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "ureq")))]
impl Middleware for PartnerUserAgentLayer {
    fn handle(
        &self,
        mut request: Request<SendBody<'_>>,
        next: MiddlewareNext<'_>,
    ) -> Result<Response<Body>, ureq::Error> {
        self.stamp(&mut request, None);
        next.handle(request)
    }
}

/// Checks the User-Agent of every request of a ureq agent:
/// `Agent::config_builder().middleware(ValidateUserAgentLayer::reject())`, after a
/// [`PartnerUserAgentLayer`] if there is one.
///
/// A refusal is `ureq::Error::Other` holding the
/// [`ValidateUserAgentError`](crate::ValidateUserAgentError), and nothing is sent;
/// [`warn`](ValidateUserAgentLayer::warn) logs and sends the request unchanged;
/// [`repair`](ValidateUserAgentLayer::repair) logs and sends the partner value alone.
///
/// The check runs before the agent adds its own `user_agent`: a request without a `User-Agent`
/// of its own is refused by `reject` (even when the agent's value is a partner one), sent with
/// the agent's value by `warn`, and with the partner value by `repair`.
///
/// # Example
///
/// ```
/// use mde_partner_ua::{UserAgentProblem, ValidateUserAgentError, ValidateUserAgentLayer};
/// use ureq::Agent;
///
/// let agent = Agent::new_with_config(Agent::config_builder().middleware(ValidateUserAgentLayer::reject()).build());
///
/// // Refused before anything is sent: no server is needed to see it.
/// let error = agent
///     .get("https://api.security.microsoft.com/api/alerts")
///     .header("user-agent", "curl/8.5.0")
///     .call()
///     .unwrap_err();
/// let ureq::Error::Other(error) = error else { panic!("{error}") };
/// let refusal = error.downcast_ref::<ValidateUserAgentError>().unwrap();
/// assert_eq!(refusal.problem(), UserAgentProblem::NotPartner);
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "ureq")))]
impl Middleware for ValidateUserAgentLayer {
    fn handle(
        &self,
        mut request: Request<SendBody<'_>>,
        next: MiddlewareNext<'_>,
    ) -> Result<Response<Body>, ureq::Error> {
        match self.check_request(&mut request, None) {
            Ok(()) => next.handle(request),
            Err(error) => Err(ureq::Error::Other(error)),
        }
    }
}
