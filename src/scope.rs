//! Host scoping: stamp or validate only the requests that go to Microsoft's APIs.

use std::fmt;
use std::sync::Arc;

use crate::request::host_of_authority;
use crate::OutgoingRequest;

/// The set of hosts a layer acts on; requests to any other host pass untouched.
///
/// A host matches when it equals one of the set, ignoring ASCII case, the port and a
/// trailing dot. The presets follow Microsoft's published lists:
///
/// - [Defender for Endpoint API endpoints] and their regional servers,
/// - [Defender for Endpoint for US Government customers] (section "API"),
/// - [Microsoft Graph national cloud deployments].
///
/// Scoping is off unless a layer is given a scope with `only_for`.
///
/// # Requests whose host is unknown
///
/// A request may not say where it goes: a relative URI (`/api/alerts`) without a `Host` header,
/// as tonic's generated clients (`HealthClient::new(channel)`) and hyper's connection API hand
/// their requests to the layers, or a `Host` header that is not a plain `host[:port]`
/// (user information, a port that is not a number, two `Host` fields). A layer cannot tell
/// whether such a request is in its scope, so by default it acts on it: the request is
/// stamped, and validated. Choose otherwise explicitly with
/// [`on_unknown_host`](Self::on_unknown_host)`(`[`UnknownHost::OutOfScope`]`)`. White space
/// around a `Host` value is ignored, as RFC 9110 asks.
///
/// # Examples
///
/// ```
/// use mde_partner_ua::HostScope;
///
/// let scope = HostScope::commercial();
/// assert!(scope.contains("api.security.microsoft.com"));
/// assert!(scope.contains("EU.API.Security.Microsoft.com."));
/// assert!(!scope.contains("example.com"));
///
/// let scope = HostScope::commercial().with(HostScope::custom(["defender-proxy.internal"])?);
/// assert!(scope.contains("defender-proxy.internal"));
/// # Ok::<(), mde_partner_ua::InvalidHost>(())
/// ```
///
/// [Defender for Endpoint API endpoints]: https://learn.microsoft.com/defender-endpoint/api/exposed-apis-list
/// [Defender for Endpoint for US Government customers]: https://learn.microsoft.com/defender-endpoint/gov
/// [Microsoft Graph national cloud deployments]: https://learn.microsoft.com/graph/deployments
#[derive(Clone, PartialEq, Eq)]
pub struct HostScope {
    hosts: Arc<[Box<str>]>,
    unknown: UnknownHost,
}

/// What a scoped layer does with a request whose host it cannot tell; see
/// [`HostScope::on_unknown_host`].
///
/// ```
/// use mde_partner_ua::{HostScope, OutgoingRequest, UnknownHost};
///
/// // A relative URI without `Host`, as tonic's generated clients send to the layers.
/// let request = http::Request::get("/grpc.health.v1.Health/Check").body(()).unwrap();
/// assert_eq!(request.target_host(), None);
/// assert_eq!(HostScope::commercial().unknown_host(), UnknownHost::InScope);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum UnknownHost {
    /// Act on the request as on a host of the scope: stamp it and validate it. The default,
    /// so that a layer that cannot tell fails safe.
    #[default]
    InScope,
    /// Let the request pass untouched, as a host outside the scope.
    OutOfScope,
}

/// The Defender for Endpoint API, its regional servers, its legacy host names, and the global
/// Microsoft Graph service.
const COMMERCIAL: &[&str] = &[
    "api.security.microsoft.com",
    "us.api.security.microsoft.com",
    "eu.api.security.microsoft.com",
    "uk.api.security.microsoft.com",
    "au.api.security.microsoft.com",
    "swa.api.security.microsoft.com",
    "ina.api.security.microsoft.com",
    "api.securitycenter.microsoft.com",
    "api-us.securitycenter.microsoft.com",
    "api-eu.securitycenter.microsoft.com",
    "api-uk.securitycenter.microsoft.com",
    "api-au.securitycenter.microsoft.com",
    "api.securitycenter.windows.com",
    "graph.microsoft.com",
];

/// US Government GCC: its own Defender for Endpoint API; GCC tenants use the global Graph.
const GCC: &[&str] = &["api-gcc.securitycenter.microsoft.us", "graph.microsoft.com"];

/// US Government GCC High: the government Defender for Endpoint API and Graph for US Gov L4.
const GCC_HIGH: &[&str] = &["api-gov.securitycenter.microsoft.us", "graph.microsoft.us"];

/// US Government DoD: the government Defender for Endpoint API and Graph for US Gov L5.
const DOD: &[&str] = &[
    "api-gov.securitycenter.microsoft.us",
    "dod-graph.microsoft.us",
];

impl HostScope {
    fn from_static(lists: &[&[&str]]) -> Self {
        let mut hosts: Vec<Box<str>> = Vec::new();
        for host in lists.iter().flat_map(|list| list.iter()) {
            if !hosts.iter().any(|known| **known == **host) {
                hosts.push((*host).into());
            }
        }
        HostScope {
            hosts: hosts.into(),
            unknown: UnknownHost::InScope,
        }
    }

    /// The commercial cloud: `api.security.microsoft.com`, its regional servers (`us.`, `eu.`,
    /// `uk.`, `au.`, `swa.`, `ina.`), the legacy `api.securitycenter.microsoft.com` (and its
    /// `api-us`, `api-eu`, `api-uk`, `api-au` servers), `api.securitycenter.windows.com`, and
    /// `graph.microsoft.com`.
    ///
    /// ```
    /// # use mde_partner_ua::HostScope;
    /// assert!(HostScope::commercial().contains("swa.api.security.microsoft.com"));
    /// ```
    pub fn commercial() -> Self {
        Self::from_static(&[COMMERCIAL])
    }

    /// US Government GCC: `api-gcc.securitycenter.microsoft.us` and `graph.microsoft.com`.
    ///
    /// ```
    /// # use mde_partner_ua::HostScope;
    /// assert!(HostScope::gcc().contains("api-gcc.securitycenter.microsoft.us"));
    /// ```
    pub fn gcc() -> Self {
        Self::from_static(&[GCC])
    }

    /// US Government GCC High: `api-gov.securitycenter.microsoft.us` and `graph.microsoft.us`.
    ///
    /// ```
    /// # use mde_partner_ua::HostScope;
    /// assert!(HostScope::gcc_high().contains("graph.microsoft.us"));
    /// ```
    pub fn gcc_high() -> Self {
        Self::from_static(&[GCC_HIGH])
    }

    /// US Government DoD: `api-gov.securitycenter.microsoft.us` and `dod-graph.microsoft.us`.
    ///
    /// ```
    /// # use mde_partner_ua::HostScope;
    /// assert!(HostScope::dod().contains("dod-graph.microsoft.us"));
    /// ```
    pub fn dod() -> Self {
        Self::from_static(&[DOD])
    }

    /// Every preset together: the commercial cloud, GCC, GCC High and DoD.
    ///
    /// ```
    /// # use mde_partner_ua::HostScope;
    /// let all = HostScope::all_microsoft();
    /// assert!(all.contains("graph.microsoft.com") && all.contains("dod-graph.microsoft.us"));
    /// ```
    pub fn all_microsoft() -> Self {
        Self::from_static(&[COMMERCIAL, GCC, GCC_HIGH, DOD])
    }

    /// A scope of your own hosts, such as a proxy in front of the Defender API.
    ///
    /// # Errors
    ///
    /// [`InvalidHost`] for a name that is not a bare host: empty, or with a scheme, port, path
    /// or characters a host name cannot have.
    ///
    /// ```
    /// use mde_partner_ua::HostScope;
    ///
    /// let scope = HostScope::custom(["defender-proxy.internal", "127.0.0.1"]).unwrap();
    /// assert!(scope.contains("127.0.0.1"));
    /// assert!(HostScope::custom(["https://api.security.microsoft.com"]).is_err());
    /// ```
    pub fn custom<I>(hosts: I) -> Result<Self, InvalidHost>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let mut list: Vec<Box<str>> = Vec::new();
        for host in hosts {
            let host = host.as_ref();
            let normal = host.strip_suffix('.').unwrap_or(host);
            if !is_host_name(normal) {
                return Err(InvalidHost {
                    host: host.to_owned(),
                });
            }
            let normal = normal.to_ascii_lowercase();
            if !list.iter().any(|known| **known == *normal) {
                list.push(normal.into());
            }
        }
        Ok(HostScope {
            hosts: list.into(),
            unknown: UnknownHost::InScope,
        })
    }

    /// This scope and `other` together. A request whose host is unknown is in the result when
    /// it is in either.
    ///
    /// ```
    /// # use mde_partner_ua::HostScope;
    /// let scope = HostScope::gcc().with(HostScope::gcc_high());
    /// assert!(scope.contains("api-gcc.securitycenter.microsoft.us"));
    /// assert!(scope.contains("api-gov.securitycenter.microsoft.us"));
    /// ```
    pub fn with(self, other: HostScope) -> Self {
        let mut hosts: Vec<Box<str>> = self.hosts.iter().cloned().collect();
        for host in other.hosts.iter() {
            if !hosts.contains(host) {
                hosts.push(host.clone());
            }
        }
        let unknown = if self.unknown == UnknownHost::InScope {
            self.unknown
        } else {
            other.unknown
        };
        HostScope {
            hosts: hosts.into(),
            unknown,
        }
    }

    /// What a layer scoped to this does with a request whose host it cannot tell; by default
    /// [`UnknownHost::InScope`]: it stamps and validates it. See
    /// [Requests whose host is unknown](Self#requests-whose-host-is-unknown).
    ///
    /// ```
    /// use mde_partner_ua::{HostScope, PartnerUserAgent, PartnerUserAgentLayer, UnknownHost};
    ///
    /// const UA: PartnerUserAgent = PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");
    /// // Only requests that say they go to Microsoft, nothing else.
    /// let scope = HostScope::all_microsoft().on_unknown_host(UnknownHost::OutOfScope);
    /// assert_eq!(scope.unknown_host(), UnknownHost::OutOfScope);
    /// let layer = PartnerUserAgentLayer::new(UA).only_for(scope);
    /// ```
    pub fn on_unknown_host(mut self, unknown: UnknownHost) -> Self {
        self.unknown = unknown;
        self
    }

    /// What a layer scoped to this does with a request whose host it cannot tell.
    ///
    /// ```
    /// # use mde_partner_ua::{HostScope, UnknownHost};
    /// assert_eq!(HostScope::gcc().unknown_host(), UnknownHost::InScope);
    /// ```
    pub fn unknown_host(&self) -> UnknownHost {
        self.unknown
    }

    /// Whether `host` is in the scope, ignoring ASCII case, a port and a trailing dot.
    ///
    /// ```
    /// # use mde_partner_ua::HostScope;
    /// assert!(HostScope::commercial().contains("Graph.Microsoft.com:443"));
    /// ```
    pub fn contains(&self, host: &str) -> bool {
        self.contains_host(host_of_authority(host))
    }

    /// Whether `host`, already without user and port, is in the scope.
    fn contains_host(&self, host: &str) -> bool {
        let host = host.strip_suffix('.').unwrap_or(host);
        // Lengths first: most hosts in a scope differ from a request's in length.
        self.hosts
            .iter()
            .any(|known| known.len() == host.len() && known.eq_ignore_ascii_case(host))
    }

    /// The hosts in the scope, in lowercase.
    ///
    /// ```
    /// # use mde_partner_ua::HostScope;
    /// assert!(HostScope::dod().hosts().any(|host| host == "dod-graph.microsoft.us"));
    /// ```
    pub fn hosts(&self) -> impl Iterator<Item = &str> + '_ {
        self.hosts.iter().map(|host| &**host)
    }

    /// Whether the layer acts on `request`: its host is in the scope, or unknown and unknown
    /// hosts are in the scope.
    pub(crate) fn covers<R: OutgoingRequest>(&self, request: &R) -> bool {
        match request.target_host() {
            Some(host) => self.contains_host(host),
            None => self.unknown == UnknownHost::InScope,
        }
    }
}

fn is_host_name(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return inner.parse::<std::net::Ipv6Addr>().is_ok();
    }
    !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

impl fmt::Debug for HostScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HostScope")
            .field("hosts", &self.hosts)
            .field("unknown", &self.unknown)
            .finish()
    }
}

/// A name given to [`HostScope::custom`] that is not a bare host name.
///
/// ```
/// use mde_partner_ua::HostScope;
///
/// let err = HostScope::custom(["api.security.microsoft.com/api"]).unwrap_err();
/// assert_eq!(err.host(), "api.security.microsoft.com/api");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{host:?} is not a host name: expected a bare name such as \"api.security.microsoft.com\", \
     without scheme, user, port or path"
)]
pub struct InvalidHost {
    host: String,
}

impl InvalidHost {
    /// The name that was refused.
    ///
    /// ```
    /// # use mde_partner_ua::HostScope;
    /// assert_eq!(HostScope::custom([""]).unwrap_err().host(), "");
    /// ```
    pub fn host(&self) -> &str {
        &self.host
    }
}
