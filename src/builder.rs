//! `ServiceBuilder` methods for the layers of this crate.

use tower::layer::util::Stack;
use tower::ServiceBuilder;

use crate::{PartnerUserAgent, PartnerUserAgentLayer, ValidateUserAgentLayer};

/// Adds the layers of this crate to [`ServiceBuilder`].
///
/// # Example
///
/// ```
/// use mde_partner_ua::{PartnerUserAgent, ServiceBuilderExt};
/// use tower::ServiceBuilder;
///
/// const UA: PartnerUserAgent = PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");
///
/// # let client = tower::service_fn(|_r: http::Request<()>| async { Ok::<_, std::convert::Infallible>(()) });
/// let client = ServiceBuilder::new().partner_user_agent(UA).service(client);
/// ```
///
/// The trait is sealed: only `ServiceBuilder` implements it, so methods can be added to it
/// without breaking anyone.
pub trait ServiceBuilderExt<L>: sealed::Sealed<L> + Sized {
    /// Replaces the User-Agent of every request with `user_agent`; see
    /// [`PartnerUserAgentLayer::new`].
    fn partner_user_agent(
        self,
        user_agent: PartnerUserAgent,
    ) -> ServiceBuilder<Stack<PartnerUserAgentLayer, L>>;

    /// Puts `user_agent` before the User-Agent the caller set; see
    /// [`PartnerUserAgentLayer::prepend`].
    fn prepend_partner_user_agent(
        self,
        user_agent: PartnerUserAgent,
    ) -> ServiceBuilder<Stack<PartnerUserAgentLayer, L>>;

    /// Refuses requests whose User-Agent is not a partner User-Agent; see
    /// [`ValidateUserAgentLayer::reject`].
    fn validate_partner_user_agent(self) -> ServiceBuilder<Stack<ValidateUserAgentLayer, L>>;
}

impl<L> ServiceBuilderExt<L> for ServiceBuilder<L> {
    fn partner_user_agent(
        self,
        user_agent: PartnerUserAgent,
    ) -> ServiceBuilder<Stack<PartnerUserAgentLayer, L>> {
        self.layer(PartnerUserAgentLayer::new(user_agent))
    }

    fn prepend_partner_user_agent(
        self,
        user_agent: PartnerUserAgent,
    ) -> ServiceBuilder<Stack<PartnerUserAgentLayer, L>> {
        self.layer(PartnerUserAgentLayer::prepend(user_agent))
    }

    fn validate_partner_user_agent(self) -> ServiceBuilder<Stack<ValidateUserAgentLayer, L>> {
        self.layer(ValidateUserAgentLayer::reject())
    }
}

mod sealed {
    pub trait Sealed<T> {}
    impl<T> Sealed<T> for tower::ServiceBuilder<T> {}
}
