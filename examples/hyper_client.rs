//! The crate's main job: hyper's client, wrapped with the partner User-Agent layers, talking to
//! a server that answers with the User-Agent fields it received.
//!
//! ```text
//! cargo run --example hyper_client                  # embedded server on 127.0.0.1
//! cargo run --example hyper_client -- --url URL     # a real http:// server instead
//! ```
//!
//! Each line shows one request: the policy, what the caller set, what the server saw, and the
//! verdict. The program exits with 1 if any verdict is not the expected one.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::header::USER_AGENT;
use http::{Request, Response};
use http_body_util::{BodyExt, Empty, Full};
use hyper::body::Incoming;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo};
use mde_partner_ua::{
    classify, Classification, HostScope, PartnerUserAgent, PartnerUserAgentLayer,
    ServiceBuilderExt, ValidateUserAgentError,
};
use tokio::net::TcpListener;
use tower::{BoxError, Service, ServiceBuilder, ServiceExt};

/// The caller's own User-Agent, kept after ours by prepend.
const CURL: Option<&str> = Some("curl/8.5.0");

/// Checked at compile time: a typo here does not build.
const UA: PartnerUserAgent =
    PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .init();

    let (url, received) = match url_argument()? {
        Some(url) => (url, None),
        None => {
            let (addr, received) = start_server().await?;
            (format!("http://{addr}/api/alerts"), Some(received))
        }
    };
    println!("sending to {url}\n");

    // What leaves the layers is recorded just above the client, so that the verdict holds for
    // any server, ours or a real one.
    let sent = Sent::default();
    let client = ServiceBuilder::new()
        .map_request(sent.recorder())
        .service(Client::builder(TokioExecutor::new()).build_http::<Empty<Bytes>>());
    let demo = Demo {
        url,
        sent,
        echoing_server: received.is_some(),
    };
    let mut all_as_expected = true;

    // One line adds the layer; the partner value replaces whatever the caller set.
    let mut replace = ServiceBuilder::new()
        .partner_user_agent(UA)
        .service(client.clone());
    all_as_expected &= demo
        .show("replace", &mut replace, None, Verdict::Partner)
        .await;
    all_as_expected &= demo
        .show("replace", &mut replace, CURL, Verdict::Partner)
        .await;

    // The partner value first, then the caller's own, in one field.
    let mut prepend = ServiceBuilder::new()
        .prepend_partner_user_agent(UA)
        .service(client.clone());
    all_as_expected &= demo
        .show("prepend", &mut prepend, CURL, Verdict::Partner)
        .await;

    // The caller's value is checked, and a wrong one never leaves the process.
    let mut validate = ServiceBuilder::new()
        .validate_partner_user_agent()
        .service(client.clone());
    let before = received.as_ref().map(|count| count.load(Ordering::SeqCst));
    let wrong = Some("MdePartner-Contoso Ltd-Cognito/1.0");
    all_as_expected &= demo
        .show("validate", &mut validate, wrong, Verdict::Refused)
        .await;
    if let (Some(before), Some(count)) = (before, &received) {
        let sent = count.load(Ordering::SeqCst) - before;
        println!("  (the server received {sent} requests for it)");
        all_as_expected &= sent == 0;
    }

    // Scoped to Microsoft's hosts: a request to any other host is left as it is.
    let scope = HostScope::all_microsoft();
    let host = demo.url.parse::<http::Uri>()?.host().map(str::to_owned);
    let expected = match host {
        Some(host) if scope.contains(&host) => Verdict::Partner,
        _ => Verdict::Untouched,
    };
    let mut scoped = ServiceBuilder::new()
        .layer(PartnerUserAgentLayer::new(UA).only_for(scope))
        .service(client.clone());
    all_as_expected &= demo.show("scoped", &mut scoped, CURL, expected).await;

    println!();
    if all_as_expected {
        println!("every request got the expected verdict");
        Ok(())
    } else {
        println!("some request did not get the expected verdict");
        std::process::exit(1);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// The server saw one field, a partner User-Agent.
    Partner,
    /// The request was refused before it was sent.
    Refused,
    /// The server saw exactly what the caller set.
    Untouched,
    /// Anything else.
    Other,
}

fn fail(message: &str) -> bool {
    println!("{message}");
    false
}

/// The `User-Agent` fields of the last request that left the layers.
#[derive(Clone, Default)]
struct Sent(Arc<Mutex<Option<Vec<String>>>>);

impl Sent {
    fn recorder(&self) -> impl Fn(Request<Empty<Bytes>>) -> Request<Empty<Bytes>> + Clone {
        let slot = self.0.clone();
        move |request| {
            let fields = request
                .headers()
                .get_all(USER_AGENT)
                .iter()
                .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
                .collect();
            *slot.lock().expect("not poisoned") = Some(fields);
            request
        }
    }

    fn take(&self) -> Option<Vec<String>> {
        self.0.lock().expect("not poisoned").take()
    }
}

/// Where the requests go, and what is known of them.
struct Demo {
    url: String,
    sent: Sent,
    /// Whether the server is ours, which answers with the fields it received.
    echoing_server: bool,
}

impl Demo {
    /// Sends one request through `client` and prints what happened. Returns whether the verdict is
    /// the expected one.
    async fn show<S>(
        &self,
        policy: &str,
        client: &mut S,
        caller: Option<&str>,
        expected: Verdict,
    ) -> bool
    where
        S: Service<Request<Empty<Bytes>>, Response = Response<Incoming>>,
        S::Error: Into<BoxError>,
    {
        let mut request = Request::get(&self.url)
            .body(Empty::new())
            .expect("a valid request");
        if let Some(value) = caller {
            request
                .headers_mut()
                .insert(USER_AGENT, value.parse().expect("a valid header value"));
        }
        let caller_text = caller.map_or("nothing".to_owned(), |value| format!("`{value}`"));
        print!("{policy:<8} caller set {caller_text:<38} -> ");

        let result = match client.ready().await {
            Ok(ready) => ready.call(request).await.map_err(Into::into),
            Err(error) => Err(error.into()),
        };
        let fields = self.sent.take();
        let seen = match result {
            Ok(response) => {
                let status = response.status();
                let body = match response.into_body().collect().await {
                    Ok(body) => body.to_bytes(),
                    Err(error) => return fail(&format!("reading the answer failed: {error}")),
                };
                if self.echoing_server {
                    let seen = String::from_utf8_lossy(&body).replace('\n', "`, `");
                    format!("server saw `{seen}`")
                } else {
                    let sent = fields.as_deref().unwrap_or_default().join("`, `");
                    format!("sent `{sent}`, server answered {status}")
                }
            }
            Err(error) => match error.downcast_ref::<ValidateUserAgentError>() {
                Some(refusal) => format!("refused before sending: {refusal}"),
                None => return fail(&format!("failed: {error}")),
            },
        };
        let verdict = match fields.as_deref() {
            None => Verdict::Refused,
            Some([one]) if matches!(classify(one.as_bytes()), Classification::Partner(_)) => {
                Verdict::Partner
            }
            Some(fields) if caller.map_or(fields.is_empty(), |value| fields == [value]) => {
                Verdict::Untouched
            }
            Some(_) => Verdict::Other,
        };
        let mark = if verdict == expected {
            "ok"
        } else {
            "UNEXPECTED"
        };
        println!("{seen}  [{verdict:?}, {mark}]");
        verdict == expected
    }
}

fn url_argument() -> Result<Option<String>, BoxError> {
    let mut args = std::env::args().skip(1);
    match (args.next().as_deref(), args.next()) {
        (None, _) => Ok(None),
        (Some("--url"), Some(url)) if url.starts_with("http://") => Ok(Some(url)),
        (Some("--url"), Some(_)) => {
            Err("--url takes an http:// URL (this example has no TLS)".into())
        }
        _ => Err("usage: hyper_client [--url http://HOST:PORT/PATH]".into()),
    }
}

/// Starts an HTTP/1.1 server on 127.0.0.1 that answers with the User-Agent fields it received,
/// one per line, and counts the requests.
async fn start_server() -> std::io::Result<(SocketAddr, Arc<AtomicUsize>)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let received = Arc::new(AtomicUsize::new(0));
    let count = received.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let count = count.clone();
            let service = hyper::service::service_fn(move |request: Request<Incoming>| {
                count.fetch_add(1, Ordering::SeqCst);
                let fields: Vec<&[u8]> = request
                    .headers()
                    .get_all(USER_AGENT)
                    .iter()
                    .map(|value| value.as_bytes())
                    .collect();
                let body = Bytes::from(fields.join(&b'\n'));
                async move { Ok::<_, Infallible>(Response::new(Full::new(body))) }
            });
            tokio::spawn(async move {
                let connection = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service);
                if let Err(error) = connection.await {
                    eprintln!("server: {error}");
                }
            });
        }
    });
    Ok((addr, received))
}
