//! `PartnerUserAgent` where tower-http takes a header value maker.

use http::{HeaderValue, Request};
use tower_http::set_header::MakeHeaderValue;

use crate::PartnerUserAgent;

/// Lets tower-http's `SetRequestHeaderLayer` put the partner value on requests.
///
/// ```
/// use http::header::USER_AGENT;
/// use mde_partner_ua::PartnerUserAgent;
/// use tower_http::set_header::SetRequestHeaderLayer;
///
/// const UA: PartnerUserAgent = PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");
/// let layer = SetRequestHeaderLayer::overriding(USER_AGENT, UA);
/// ```
///
/// Use `overriding`: `appending` adds a second `User-Agent` field beside the caller's, which a
/// server reads as one comma-joined value that is not a valid User-Agent, and `if_not_present`
/// leaves a caller's non-partner value in place. [`PartnerUserAgentLayer::new`] does what
/// `overriding` does, and can also prepend, scope by host and take a per-request value;
/// `benches/README.md` compares their costs.
///
/// [`PartnerUserAgentLayer::new`]: crate::PartnerUserAgentLayer::new
#[cfg_attr(docsrs, doc(cfg(feature = "tower-http")))]
impl<B> MakeHeaderValue<Request<B>> for PartnerUserAgent {
    #[inline]
    fn make_header_value(&mut self, _request: &Request<B>) -> Option<HeaderValue> {
        Some(self.header_value().clone())
    }
}
