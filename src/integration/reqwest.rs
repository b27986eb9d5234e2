//! The layers around a `reqwest::Client`.
//!
//! `reqwest::Client` is a `tower::Service<reqwest::Request>`, and [`OutgoingRequest`] is
//! implemented for `reqwest::Request`, so the layers wrap it as they wrap any client:
//!
//! ```no_run
//! use mde_partner_ua::{PartnerUserAgent, ServiceBuilderExt};
//! use tower::{Service, ServiceBuilder, ServiceExt};
//!
//! const UA: PartnerUserAgent = PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");
//!
//! # async fn run() -> Result<(), reqwest::Error> {
//! let client = reqwest::Client::new();
//! let mut client = ServiceBuilder::new().partner_user_agent(UA).service(client.clone());
//! let request = reqwest::Request::new(
//!     reqwest::Method::GET,
//!     "https://api.security.microsoft.com/api/alerts".parse().unwrap(),
//! );
//! let response = client.ready().await?.call(request).await?;
//! # Ok(())
//! # }
//! ```
//!
//! # What reqwest sends
//!
//! reqwest adds the value of `ClientBuilder::user_agent` inside the client, after every layer,
//! and only when the request has no `User-Agent`. So:
//!
//! - `PartnerUserAgentLayer::new(ua)` (replace) sends exactly `ua`: the request has a value by
//!   the time the client looks.
//! - `PartnerUserAgentLayer::prepend(ua)` keeps what the request carries, but cannot see the
//!   client's own `user_agent`, which is added below it. To send
//!   `MdePartner-Contoso-ContosoCognito/1.0.0 my-agent/2.1`, give the client that value
//!   instead: `ClientBuilder::user_agent(ua.followed_by("my-agent/2.1")?.header_value().clone())`
//!   (see [`PartnerUserAgent::followed_by`]).
//! - `RequestBuilder::header(USER_AGENT, ..)` appends: called twice, it sends two fields. Both
//!   layers merge or replace them into one.
//! - reqwest keeps a request's extensions to itself, so a per-request [`PartnerUserAgent`] is not
//!   read from a `reqwest::Request`; use a second wrapped client for a second product.

use http::HeaderMap;

use crate::{OutgoingRequest, PartnerUserAgent};

/// The host comes from the request's URL.
///
/// ```
/// use mde_partner_ua::OutgoingRequest;
///
/// let request = reqwest::Request::new(
///     reqwest::Method::GET,
///     "https://graph.microsoft.com/v1.0/security/alerts_v2".parse().unwrap(),
/// );
/// assert_eq!(request.target_host(), Some("graph.microsoft.com"));
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "reqwest")))]
impl OutgoingRequest for reqwest::Request {
    #[inline]
    fn headers(&self) -> &HeaderMap {
        reqwest::Request::headers(self)
    }

    #[inline]
    fn headers_mut(&mut self) -> &mut HeaderMap {
        reqwest::Request::headers_mut(self)
    }

    fn target_host(&self) -> Option<&str> {
        self.url().host_str()
    }

    fn partner_user_agent(&self) -> Option<&PartnerUserAgent> {
        None
    }
}
