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
        Ok(HostScope { hosts: list.into() })
    }

    /// This scope and `other` together.
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
        HostScope {
            hosts: hosts.into(),
        }
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

    /// Whether the layer acts on `request`: its host is known and in the scope.
    pub(crate) fn covers<R: OutgoingRequest>(&self, request: &R) -> bool {
        match request.target_host() {
            Some(host) => self.contains_host(host),
            None => false,
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
        f.debug_set().entries(self.hosts()).finish()
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
    "`{host}` is not a host name: expected a bare name such as `api.security.microsoft.com`, \
     without scheme, path or user"
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
