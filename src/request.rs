//! What the layers need to know about a request.

use http::header::HOST;
use http::{HeaderMap, Request};

use crate::PartnerUserAgent;

/// A request the layers can stamp or validate: its headers, the host it goes to, and an
/// optional per-request partner User-Agent.
///
/// It is implemented for [`http::Request`], which hyper, hyper-util, tonic and most tower
/// clients use. Implement it for the request type of a hand-written client to use the layers
/// with that client as they are.
///
/// # Examples
///
/// ```
/// use http::{HeaderMap, HeaderValue};
/// use mde_partner_ua::OutgoingRequest;
///
/// /// A request of a hand-written client.
/// struct MyRequest {
///     host: String,
///     headers: HeaderMap,
/// }
///
/// impl OutgoingRequest for MyRequest {
///     fn headers(&self) -> &HeaderMap {
///         &self.headers
///     }
///     fn headers_mut(&mut self) -> &mut HeaderMap {
///         &mut self.headers
///     }
///     fn target_host(&self) -> Option<&str> {
///         Some(&self.host)
///     }
/// }
/// ```
pub trait OutgoingRequest {
    /// The request's headers.
    fn headers(&self) -> &HeaderMap;

    /// The request's headers, to change.
    fn headers_mut(&mut self) -> &mut HeaderMap;

    /// The host the request goes to, without port, used by
    /// [`HostScope`](crate::HostScope). `None` when it is not known.
    fn target_host(&self) -> Option<&str>;

    /// A partner User-Agent that replaces the layer's own for this request only.
    ///
    /// The default has none. For [`http::Request`], it is a [`PartnerUserAgent`] in the
    /// request's extensions.
    fn partner_user_agent(&self) -> Option<&PartnerUserAgent> {
        None
    }
}

/// The host comes from the URI's authority, or, for a URI without one (`/api/alerts`, as
/// HTTP/1.1 clients send), from the `Host` header. It is unknown (`None`) when neither says it,
/// and when the `Host` header is not one plain `host[:port]` (two fields, user information, a
/// port that is not a number): a scoped layer then acts by its
/// [`UnknownHost`](crate::UnknownHost) choice.
///
/// ```
/// use mde_partner_ua::{OutgoingRequest, PartnerUserAgent};
///
/// let request = http::Request::get("https://api.security.microsoft.com:443/api/alerts").body(()).unwrap();
/// assert_eq!(request.target_host(), Some("api.security.microsoft.com"));
///
/// let mut request = http::Request::get("/api/alerts")
///     .header("host", "graph.microsoft.com:8443")
///     .body(())
///     .unwrap();
/// assert_eq!(request.target_host(), Some("graph.microsoft.com"));
///
/// let malformed = http::Request::get("/").header("host", "evil.example@graph.microsoft.com").body(()).unwrap();
/// assert_eq!(malformed.target_host(), None);
///
/// // A per-request partner value, for a vendor with several products behind one client:
/// request.extensions_mut().insert(PartnerUserAgent::from_static("MdePartner-Contoso-Other/2.0"));
/// assert_eq!(request.partner_user_agent().unwrap().product(), "Other");
/// ```
impl<B> OutgoingRequest for Request<B> {
    #[inline]
    fn headers(&self) -> &HeaderMap {
        Request::headers(self)
    }

    #[inline]
    fn headers_mut(&mut self) -> &mut HeaderMap {
        Request::headers_mut(self)
    }

    fn target_host(&self) -> Option<&str> {
        match self.uri().authority() {
            Some(authority) => Some(host_of_authority(authority.as_str())),
            None => host_header(Request::headers(self)),
        }
    }

    #[inline]
    fn partner_user_agent(&self) -> Option<&PartnerUserAgent> {
        self.extensions().get::<PartnerUserAgent>()
    }
}

/// The host in the one `Host` header, without its port and surrounding white space; `None` when
/// there is not exactly one, or it is not `host[:port]` (RFC 9110, section 7.2: no user
/// information, a port of digits).
fn host_header(headers: &HeaderMap) -> Option<&str> {
    let mut fields = headers.get_all(HOST).iter();
    let value = fields.next()?;
    if fields.next().is_some() {
        return None;
    }
    let value = value.to_str().ok()?.trim_matches([' ', '\t']);
    if value.contains('@') {
        return None;
    }
    let host = host_of_authority(value);
    let port = &value[host.len()..];
    let port_is_digits = match port.strip_prefix(':') {
        Some(digits) => digits.bytes().all(|b| b.is_ascii_digit()),
        None => port.is_empty(),
    };
    if host.is_empty() || !port_is_digits {
        return None;
    }
    Some(host)
}

/// The host of an authority (`[user@]host[:port]`): no user, no port; an IPv6 literal keeps its
/// brackets, as `Uri::host` gives it. One pass over the bytes, as authorities are short.
pub(crate) fn host_of_authority(authority: &str) -> &str {
    let bytes = authority.as_bytes();
    let (mut start, mut end) = (0, bytes.len());
    let mut in_brackets = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            // Whatever came before was a user; the host starts again after it.
            b'@' => (start, end, in_brackets) = (i + 1, bytes.len(), false),
            b'[' if i == start => in_brackets = true,
            b']' if in_brackets => in_brackets = false,
            b':' if !in_brackets && end == bytes.len() => end = i,
            _ => {}
        }
    }
    // Both ends fall next to ASCII bytes, so they are character boundaries.
    authority.get(start..end).unwrap_or(authority)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_header_is_read_only_when_it_is_one_plain_host_and_port() {
        for (fields, host) in [
            (&["graph.microsoft.com"][..], Some("graph.microsoft.com")),
            (&["graph.microsoft.com:443"], Some("graph.microsoft.com")),
            (&[" graph.microsoft.com \t"], Some("graph.microsoft.com")),
            (&["[::1]:8080"], Some("[::1]")),
            (&["evil.example@graph.microsoft.com"], None),
            (&["graph.microsoft.com:abc"], None),
            (&["graph.microsoft.com:"], Some("graph.microsoft.com")),
            (&[":443"], None),
            (&[""], None),
            (&["graph.microsoft.com", "evil.example"], None),
            (&[], None),
        ] {
            let mut request = Request::get("/").body(()).unwrap();
            for field in fields {
                request.headers_mut().append(HOST, field.parse().unwrap());
            }
            assert_eq!(request.target_host(), host, "{fields:?}");
        }
    }

    #[test]
    fn the_host_of_an_authority_has_no_user_and_no_port() {
        for (authority, host) in [
            ("api.security.microsoft.com", "api.security.microsoft.com"),
            (
                "api.security.microsoft.com:443",
                "api.security.microsoft.com",
            ),
            (
                "user:secret@graph.microsoft.com:8443",
                "graph.microsoft.com",
            ),
            ("a@b@graph.microsoft.com", "graph.microsoft.com"),
            ("[::1]:8080", "[::1]"),
            ("[::1]", "[::1]"),
            ("user@[fe80::1]:443", "[fe80::1]"),
            ("graph.microsoft.com.:443", "graph.microsoft.com."),
            ("", ""),
        ] {
            assert_eq!(host_of_authority(authority), host, "{authority}");
        }
    }
}
