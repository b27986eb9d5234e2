//! The layers as [`reqwest_middleware::Middleware`], for clients built with
//! `reqwest_middleware::ClientBuilder`.
//!
//! The middleware stamps and checks requests exactly as the layers do (the same code), and reads
//! a per-request [`PartnerUserAgent`] from the middleware chain's extensions, which
//! `RequestBuilder::with_extension` fills.
//!
//! ```
//! use mde_partner_ua::{PartnerUserAgent, PartnerUserAgentLayer, ValidateUserAgentLayer};
//!
//! const UA: PartnerUserAgent = PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");
//!
//! let client = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
//!     .with(PartnerUserAgentLayer::prepend(UA))
//!     .with(ValidateUserAgentLayer::reject())
//!     .build();
//! ```
//!
//! A refusal is a `reqwest_middleware::Error::Middleware` whose source is the
//! [`ValidateUserAgentError`](crate::ValidateUserAgentError).

use http::Extensions;
use reqwest_middleware::{Middleware, Next, Result};

use crate::{PartnerUserAgent, PartnerUserAgentLayer, ValidateUserAgentLayer};

#[cfg_attr(docsrs, doc(cfg(feature = "reqwest-middleware")))]
#[async_trait::async_trait]
impl Middleware for PartnerUserAgentLayer {
    async fn handle(
        &self,
        mut request: reqwest::Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> Result<reqwest::Response> {
        self.stamp(&mut request, extensions.get::<PartnerUserAgent>());
        next.run(request, extensions).await
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "reqwest-middleware")))]
#[async_trait::async_trait]
impl Middleware for ValidateUserAgentLayer {
    async fn handle(
        &self,
        mut request: reqwest::Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> Result<reqwest::Response> {
        match self.check_request(&mut request, extensions.get::<PartnerUserAgent>()) {
            Ok(()) => next.run(request, extensions).await,
            Err(error) => Err(reqwest_middleware::Error::middleware(*error)),
        }
    }
}
